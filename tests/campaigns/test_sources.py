"""Campaign sources: a district's links and QR codes carry a source's code
(`?quelle=<code>`), the application it brings remembers it through the confirmation, and
the source list counts them, each team for its own district only."""

import re

import pytest
from django.urls import reverse

from campaigns.models import Source
from candidates.models import Application
from candidates.tokens import confirmation_token
from tests.factories import (
    APPLY_URL,
    get_district,
    get_municipality,
    login_staff,
    make_application,
    queries_for,
    valid_data,
)

CHANGELIST_URL = "/verwaltung/campaigns/source/"


def qr_url(source, **params):
    url = reverse("admin:campaigns_source_qr", args=[source.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def make_source(name="Infostand Marktplatz 12.4.", district="harz"):
    return Source.objects.create(name=name, district=get_district(district))


def counts_shown(client):
    response = client.get(CHANGELIST_URL)
    assert response.status_code == 200
    return {source.name: source.application_count for source in response.context["cl"].result_list}


def test_a_new_source_gets_a_random_url_safe_code_of_eight_characters(db):
    first, second = make_source(), make_source("Instagram")

    assert re.fullmatch(r"[A-Za-z0-9_-]{8}", first.code)
    assert first.code != second.code


def test_links_lead_to_the_district_page_or_a_municipality_with_the_code(db):
    source = make_source()

    assert source.link() == f"http://testserver/harz/?quelle={source.code}"
    assert source.link(get_municipality("harz", "wernigerode")) == (
        f"http://testserver/harz/wernigerode/?quelle={source.code}"
    )


def test_source_link_to_apply_to_confirm_is_counted_for_the_source(client, election, harz_chair):
    source = make_source()
    make_source("Instagram")
    link = source.link(get_municipality("harz", "wernigerode"))

    page = client.get(link.removeprefix("http://testserver"))
    assert page.context["form"]["quelle"].value() == source.code
    assert f'name="quelle" value="{source.code}"' in page.content.decode()
    response = client.post(APPLY_URL, valid_data(quelle=source.code))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.source == source
    # Unconfirmed: the district team does not count it yet.
    staff = login_staff(client.__class__(), harz_chair)
    assert counts_shown(staff) == {"Infostand Marktplatz 12.4.": 0, "Instagram": 0}

    client.post(reverse("candidates:confirm", args=[confirmation_token(application)]))

    application.refresh_from_db()
    assert application.confirmed_at is not None
    assert application.source == source
    assert counts_shown(staff) == {"Infostand Marktplatz 12.4.": 1, "Instagram": 0}


def test_a_code_of_another_district_is_ignored(client, election):
    magdeburg_source = make_source("Magdeburg Hbf", district="magdeburg")

    page = client.get(f"{APPLY_URL}?quelle={magdeburg_source.code}")
    assert page.context["form"]["quelle"].value() is None
    client.post(APPLY_URL, valid_data(quelle=magdeburg_source.code))

    assert Application.objects.get().source is None


@pytest.mark.parametrize(
    "value", ["<script>alert(1)</script>", "%00", "x" * 5000, "", "+9", "٩٩٩٩", "abc/../d"]
)
def test_odd_codes_are_ignored_without_an_error(client, election, value):
    make_source()

    page = client.get(APPLY_URL, {"quelle": value})
    assert page.status_code == 200
    assert page.context["form"]["quelle"].value() is None
    assert "<script>alert" not in page.content.decode()
    response = client.post(APPLY_URL, valid_data(quelle=value))

    assert response.status_code == 302
    assert Application.objects.get().source is None


def test_a_nul_byte_in_the_code_is_refused_like_everywhere_else(client, election):
    # portal.middleware answers 400 for a NUL anywhere in the query string (PostgreSQL
    # cannot hold it): a clear answer, not a 500, and nothing stored.
    page = client.get(APPLY_URL + "?quelle=%00")
    response = client.post(APPLY_URL + "?quelle=%00", valid_data(quelle="abc\x00defgh"))

    assert (page.status_code, response.status_code) == (400, 400)
    assert Application.objects.count() == 0


def test_team_sees_only_its_own_districts_sources_with_their_counts(
    client, election, harz_chair, magdeburg_application
):
    own = make_source()
    other = make_source("Magdeburg Hbf", district="magdeburg")
    make_application(source=own)
    magdeburg_application.source = other
    magdeburg_application.save()
    login_staff(client, harz_chair)

    assert counts_shown(client) == {"Infostand Marktplatz 12.4.": 1}
    assert client.get(qr_url(other)).status_code == 404
    assert client.get(reverse("admin:campaigns_source_qr_svg", args=[other.pk])).status_code == 404
    assert client.get(f"{CHANGELIST_URL}{other.pk}/change/").status_code == 404


def test_state_office_counts_every_districts_sources(
    client, election, state_office_user, magdeburg_application
):
    own = make_source()
    other = make_source("Magdeburg Hbf", district="magdeburg")
    make_application(source=own)
    make_application(source=own, email="zweite@example.org")
    magdeburg_application.source = other
    magdeburg_application.save()
    login_staff(client, state_office_user)

    assert counts_shown(client) == {"Infostand Marktplatz 12.4.": 2, "Magdeburg Hbf": 1}


def test_team_creates_a_source_for_its_district(client, harz_chair):
    login_staff(client, harz_chair)

    response = client.post(
        f"{CHANGELIST_URL}add/", {"district": get_district("harz").pk, "name": "Instagram"}
    )

    assert response.status_code == 302
    assert [(s.name, s.district.slug) for s in Source.objects.all()] == [("Instagram", "harz")]


def test_team_cannot_create_a_source_for_another_district(client, harz_chair):
    login_staff(client, harz_chair)

    response = client.post(
        f"{CHANGELIST_URL}add/", {"district": get_district("magdeburg").pk, "name": "Instagram"}
    )

    assert response.status_code == 200
    assert Source.objects.count() == 0


def test_qr_page_shows_the_exact_link_and_an_svg(client, harz_chair):
    source = make_source()
    login_staff(client, harz_chair)

    district_page = client.get(qr_url(source))
    municipality_page = client.get(qr_url(source, gemeinde="wernigerode"))

    assert district_page.context["link"] == f"http://testserver/harz/?quelle={source.code}"
    assert f"http://testserver/harz/?quelle={source.code}" in district_page.content.decode()
    assert "<svg" in district_page.content.decode()
    wernigerode = f"http://testserver/harz/wernigerode/?quelle={source.code}"
    assert municipality_page.context["link"] == wernigerode
    assert wernigerode in municipality_page.content.decode()


@pytest.mark.parametrize("value", ["magdeburg", "%00", "<b>", "x" * 5000, "nirgendwo"])
def test_qr_page_with_another_or_odd_municipality_shows_the_district_link(
    client, harz_chair, value
):
    source = make_source()
    login_staff(client, harz_chair)

    response = client.get(qr_url(source), {"gemeinde": value})

    assert response.status_code == 200
    assert response.context["link"] == f"http://testserver/harz/?quelle={source.code}"


def test_qr_svg_decodes_to_the_link(client, harz_chair):
    source = make_source()
    login_staff(client, harz_chair)

    response = client.get(
        reverse("admin:campaigns_source_qr_svg", args=[source.pk]), {"gemeinde": "wernigerode"}
    )

    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<svg" in svg
    assert decoded(svg) == f"http://testserver/harz/wernigerode/?quelle={source.code}"


def decoded(svg):
    """Which source link the QR code encodes: no QR decoder is installed, so the SVG is
    compared with the one the (deterministic) library makes for each candidate link."""
    from campaigns.qr import qr_svg

    assert "quelle=" not in svg  # the link is never in the SVG as text
    for code in Source.objects.values_list("code", flat=True):
        candidate = f"http://testserver/harz/wernigerode/?quelle={code}"
        if str(qr_svg(candidate)) in svg:
            return candidate
    return None


def test_source_list_query_count_does_not_grow_with_sources(
    client, election, harz_chair, django_assert_num_queries
):
    login_staff(client, harz_chair)
    make_application(source=make_source())
    one = queries_for(client, CHANGELIST_URL)
    make_application(source=make_source("Instagram"), email="b@example.org")
    make_source("Haustür Nordviertel")

    with django_assert_num_queries(one):
        response = client.get(CHANGELIST_URL)

    assert len(response.context["cl"].result_list) == 3


def test_district_page_carries_its_own_source_on_to_the_forms(client, election):
    # A QR code on a flyer may lead to the district page: the code goes on to the form
    # of whichever municipality the person picks; another district's code does not.
    harz, magdeburg = make_source(), make_source(district="magdeburg")

    own = client.get("/harz/", {"quelle": harz.code}).content.decode()
    foreign = client.get("/harz/", {"quelle": magdeburg.code}).content.decode()

    assert f'href="/harz/wernigerode/?quelle={harz.code}"' in own
    assert "quelle=" not in foreign
