"""Printable campaign material of a source: a poster (A4) or a flyer (A5) with the
party's colours, the place, what it is for, the QR code and the link written out."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from campaigns.models import Source
from tests.factories import get_district, login_staff


def make_source(name="Infostand Marktplatz 12.4.", district="harz"):
    return Source.objects.create(name=name, district=get_district(district))


def qr_url(source):
    return reverse("admin:campaigns_source_qr", args=[source.pk])


def stylesheets(response):
    html = response.content.decode()
    return [part.split('"', 1)[0] for part in html.split('<link rel="stylesheet" href="')[1:]]


def test_poster_is_the_default_and_prints_on_a4(client, harz_chair):
    source = make_source()
    login_staff(client, harz_chair)

    response = client.get(qr_url(source))

    assert response.context["size"].key == "a4"
    assert stylesheets(response) == [
        "/theme.css",
        "/static/campaigns/qr.css",
        "/static/campaigns/qr-a4.css",
    ]
    assert '<main class="sheet sheet-a4">' in response.content.decode()


def test_flyer_prints_on_a5(client, harz_chair):
    source = make_source()
    login_staff(client, harz_chair)

    response = client.get(qr_url(source), {"format": "a5", "gemeinde": "wernigerode"})

    assert response.context["size"].key == "a5"
    assert stylesheets(response)[-1] == "/static/campaigns/qr-a5.css"
    html = response.content.decode()
    assert '<main class="sheet sheet-a5">' in html
    assert '<p class="place">Wernigerode</p>' in html
    assert (
        "Scanne den Code und bewirb dich in wenigen Minuten für unsere Liste zur "
        "Kommunalwahl in Wernigerode." in html
    )
    assert f'<p class="link">http://testserver/harz/wernigerode/?quelle={source.code}</p>' in html
    assert '<option value="a5" selected>Flyer (A5)</option>' in html


def test_district_material_names_the_district(client, harz_chair):
    source = make_source()
    login_staff(client, harz_chair)

    html = client.get(qr_url(source)).content.decode()

    assert '<p class="place">Kreisverband Harz</p>' in html
    assert f'<p class="link">http://testserver/harz/?quelle={source.code}</p>' in html


@pytest.mark.parametrize("value", ["A5", "a3", "", "%00", "<b>", "x" * 5000, "a5 ", "٥"])
def test_odd_sizes_show_the_poster(client, harz_chair, value):
    source = make_source()
    login_staff(client, harz_chair)

    response = client.get(qr_url(source), {"format": value})

    assert response.status_code == 200
    assert response.context["size"].key == "a4"


def test_repeated_size_parameter_takes_the_last_valid_value(client, harz_chair):
    source = make_source()
    login_staff(client, harz_chair)

    response = client.get(f"{qr_url(source)}?format=a4&format=a5")

    assert response.context["size"].key == "a5"


@pytest.mark.parametrize(("name", "size"), [("qr-a4.css", "A4"), ("qr-a5.css", "A5")])
def test_each_size_has_its_page_rule(name, size):
    with open(finders.find(f"campaigns/{name}"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()

    assert f"@page {{ size: {size} portrait;" in css


def test_material_uses_the_party_colours_from_the_theme():
    with open(finders.find("campaigns/qr.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()

    assert "background: var(--portal-primary, #e3000f);" in css
    assert "color: var(--portal-on-primary, #fff);" in css


def test_another_districts_source_material_is_404(client, magdeburg_chair):
    source = make_source()
    login_staff(client, magdeburg_chair)

    responses = [
        client.get(qr_url(source), {"format": "a5"}),
        client.get(reverse("admin:campaigns_source_qr_svg", args=[source.pk])),
    ]

    assert [response.status_code for response in responses] == [404, 404]
