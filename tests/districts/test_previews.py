"""Link previews: what a messenger shows for a shared page (districts.previews)."""

import io
import re

import pytest
from PIL import Image

from candidates.tokens import store_thanks_page
from districts.models import District
from districts.previews import render_card
from selfservice.tokens import issue_token
from tests.factories import make_application, queries_for

PNG_LIMIT = 300 * 1024  # WhatsApp shows no preview image above about 300 KB.


def preview_tags(response):
    """The page's og:* and twitter:* tags as {name: content}."""
    html = response.content.decode()
    return dict(
        re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)">', html)
    )


def open_png(response):
    image = Image.open(io.BytesIO(response.content))
    return image.format, image.size


@pytest.mark.django_db
def test_home_page_has_the_state_preview(client, settings):
    response = client.get("/")

    assert preview_tags(response) == {
        "og:type": "website",
        "og:locale": "de_DE",
        "og:site_name": "DIE LINKE Sachsen-Anhalt",
        "og:title": "Kandidier mit uns!",
        "og:description": settings.PORTAL_TAGLINE,
        "og:url": "http://testserver/",
        "og:image": "http://testserver/vorschau.png",
        "og:image:type": "image/png",
        "og:image:width": "1200",
        "og:image:height": "630",
        "og:image:alt": "Kandidier mit uns bei der Kommunalwahl! – DIE LINKE Sachsen-Anhalt",
        "twitter:card": "summary_large_image",
        "twitter:title": "Kandidier mit uns!",
        "twitter:description": settings.PORTAL_TAGLINE,
        "twitter:image": "http://testserver/vorschau.png",
        "twitter:image:alt": "Kandidier mit uns bei der Kommunalwahl! – DIE LINKE Sachsen-Anhalt",
    }


@pytest.mark.django_db
def test_district_page_has_the_district_preview_without_its_query(client):
    response = client.get("/harz/?quelle=abc")

    tags = preview_tags(response)
    assert {key: tags[key] for key in ("og:title", "og:description", "og:url", "og:image")} == {
        "og:title": "Kandidier im Kreisverband Harz",
        "og:description": "Kreisverband Harz: Wähl deine Gemeinde und bewirb dich dort für "
        "eine Kandidatur mit DIE LINKE.",
        "og:url": "http://testserver/harz/",
        "og:image": "http://testserver/harz/vorschau.png",
    }
    assert tags["twitter:image:alt"] == "Kandidier im Kreisverband Harz – DIE LINKE Sachsen-Anhalt"


@pytest.mark.django_db
def test_municipality_page_names_the_open_election(client, election):
    response = client.get("/harz/wernigerode/")

    tags = preview_tags(response)
    assert {key: tags[key] for key in ("og:title", "og:description", "og:url", "og:image")} == {
        "og:title": "Kandidier in Wernigerode",
        "og:description": "Kommunalwahl 2029: Bewirb dich in Wernigerode und kandidier mit "
        "DIE LINKE.",
        "og:url": "http://testserver/harz/wernigerode/",
        "og:image": "http://testserver/harz/vorschau.png",
    }


@pytest.mark.django_db
def test_municipality_page_without_open_election_promises_no_application_now(client):
    response = client.get("/harz/wernigerode/")

    assert preview_tags(response)["og:description"] == (
        "Kandidieren in Wernigerode: Sobald die nächste Bewerbungsphase beginnt, kannst du "
        "dich hier bei DIE LINKE bewerben."
    )


@pytest.mark.django_db
def test_preview_urls_are_https_behind_the_production_proxy(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["kandidieren.example.org"]

    response = client.get(
        "/harz/", HTTP_HOST="kandidieren.example.org", HTTP_X_FORWARDED_PROTO="https"
    )

    tags = preview_tags(response)
    assert (tags["og:url"], tags["og:image"]) == (
        "https://kandidieren.example.org/harz/",
        "https://kandidieren.example.org/harz/vorschau.png",
    )


@pytest.mark.django_db
def test_preview_text_is_escaped(client):
    District.objects.filter(slug="harz").update(name='Harz"><script>')

    html = client.get("/harz/").content.decode()

    assert "<script>" not in html
    title = "Kandidier im Kreisverband Harz&quot;&gt;&lt;script&gt;"
    assert f'<meta property="og:title" content="{title}">' in html


@pytest.mark.django_db
def test_unknown_district_page_has_no_preview(client):
    response = client.get("/nirgendwo/")

    assert response.status_code == 404
    assert preview_tags(response) == {}


@pytest.mark.django_db
def test_private_pages_have_no_preview(client, election):
    application = make_application()
    token = issue_token(application)
    thanks = store_thanks_page(application)
    pages = [
        client.get(f"/meine-bewerbung/{token}/"),
        client.get(f"/meine-bewerbung/{token}/korrigieren/"),
        client.get("/meine-bewerbung/neuer-link/"),
        client.get(f"/bewerbung/danke/{thanks}/"),
        client.get("/bewerbung/bestaetigen/nonsense/"),
        client.get("/konto/login/"),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200, 200, 400, 200]
    # The applicant's own page, whose context has a district like a public page.
    assert "Deine Bewerbung als Kandidat:in für Wernigerode" in pages[0].content.decode()
    assert [preview_tags(page) for page in pages] == [{}, {}, {}, {}, {}, {}]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/harz/vorschau.png", "/vorschau.png"])
def test_preview_image_is_a_small_1200x630_png(client, election, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert open_png(response) == ("PNG", (1200, 630))
    assert len(response.content) < PNG_LIMIT


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug", ["saalekreis", "boerde", "anhalt-bitterfeld", "mansfeld-suedharz", "jerichower-land"]
)
def test_every_long_or_umlaut_district_gets_its_image(client, slug):
    response = client.get(f"/{slug}/vorschau.png")

    assert open_png(response) == ("PNG", (1200, 630))
    assert len(response.content) < PNG_LIMIT


@pytest.mark.parametrize(
    "url",
    [
        "/nirgendwo/vorschau.png",
        "/HARZ/vorschau.png",
        "/%20/vorschau.png",
        "/harz%20/vorschau.png",
        "/\u0663\u0664/vorschau.png",
        "/harz/vorschau.PNG",
        "/vorschau/harz.png",
    ],
)
@pytest.mark.django_db
def test_preview_image_of_an_unknown_district_is_a_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_preview_image_queries_are_constant(client, election):
    assert queries_for(client, "/harz/vorschau.png") == 2
    assert queries_for(client, "/vorschau.png") == 1


def test_umlauts_and_sharp_s_are_drawn_not_boxes():
    """The font has the glyphs: a name with umlauts draws different pixels from one where
    they are replaced by an unknown character (which every font draws as the same box)."""

    def card(headline):
        return render_card(
            headline=headline, kicker="x", footer="y", background="#000000", foreground="#ffffff"
        )

    assert card("Börde Süd Straße") != card("B\uffffrde S\uffffd Stra\uffffe")
    assert card("ä") != card("ö")
    assert card("ß") != card("\ufffe")


def test_an_overlong_headline_still_fits_the_image():
    png = render_card(
        headline="Kandidier im Kreisverband " + "Donaudampfschifffahrtsgesellschaft" * 3,
        kicker="DIE LINKE Sachsen-Anhalt " * 5,
        footer="Kommunalwahl 2029 " * 6,
        background="#e3000f",
        foreground="#ffffff",
    )

    assert Image.open(io.BytesIO(png)).size == (1200, 630)
