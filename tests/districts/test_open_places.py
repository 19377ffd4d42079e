"""Open places in public (District.show_open_places, lists.public): on the municipality page
and the district page, only where the district turned it on, and counting only staff
decisions. Nothing public may tell whether someone applied."""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from candidates.models import Application
from tests.factories import (
    APPLY_URL,
    get_council,
    get_district,
    get_municipality,
    make_application,
    make_list,
    queries_for,
    valid_data,
)

DISTRICT_URL = "/harz/"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
WERNIGERODE_SENTENCE = "Für den Stadtrat Wernigerode suchen wir noch"


@pytest.fixture
def shown(election):
    district = get_district("harz")
    district.show_open_places = True
    district.save()
    return district


def without_anyone(client):
    return [m.name for m in client.get(DISTRICT_URL).context["without_anyone"]]


def public_pages(client):
    """What anonymous visitors see on the pages that could show counts (the form's CSRF
    token differs on every page view)."""
    return {
        url: CSRF_TOKEN.sub("", client.get(url).content.decode())
        for url in [APPLY_URL, DISTRICT_URL, "/harz/ballenstedt/", "/"]
    }


def test_off_by_default_nothing_is_shown(client, election):
    make_list(get_council(), places=[make_application(status=Application.Status.NOMINATED)])

    apply_page = client.get(APPLY_URL)
    district_page = client.get(DISTRICT_URL)

    assert apply_page.context["open_places"] is None
    assertNotContains(apply_page, "suchen wir noch")
    assert district_page.context["without_anyone"] is None
    assertNotContains(district_page, "Hier suchen wir besonders Kandidat:innen")


def test_municipality_page_says_how_many_places_are_open(client, shown):
    people = [make_application(status=Application.Status.NOMINATED) for _ in range(3)]
    make_list(get_council(), places=people)

    response = client.get(APPLY_URL)

    # Stadtrat Wernigerode: 40 seats (expected), 45 names on one list.
    assertContains(response, f"{WERNIGERODE_SENTENCE} 42 Kandidat:innen.")
    assertNotContains(response, people[0].last_name)


def test_municipality_page_without_known_list_length_says_nothing(client, shown):
    council = get_council()
    council.electoral_areas = None
    council.save()

    response = client.get(APPLY_URL)

    assert response.context["open_places"] is None
    assertNotContains(response, "suchen wir noch")


def test_district_page_lists_municipalities_whose_council_has_nobody(client, shown):
    harz_municipalities = get_district("harz").municipalities.count()
    make_list(get_council(), places=[make_application()])
    make_application(
        municipality=get_municipality("harz", "ditfurt"), status=Application.Status.NOMINATED
    )

    names = without_anyone(client)

    assert len(names) == harz_municipalities - 2
    assert "Wernigerode" not in names and "Ditfurt" not in names
    assert "Ballenstedt" in names
    assertContains(client.get(DISTRICT_URL), "Hier suchen wir besonders Kandidat:innen")


def test_other_districts_are_unaffected(client, shown):
    magdeburg = get_municipality("magdeburg", "magdeburg")
    make_list(get_council(district_slug="magdeburg", area_name="Magdeburg"))

    response = client.get(magdeburg.get_absolute_url())

    assert response.context["open_places"] is None
    assert client.get("/magdeburg/").context["without_anyone"] is None


@pytest.mark.parametrize(
    "status",
    [
        Application.Status.UNCONFIRMED,
        Application.Status.NEW,
        Application.Status.CONTACTED,
        Application.Status.INTERVIEW,
        Application.Status.WITHDRAWN,
    ],
)
def test_applications_not_decided_by_staff_change_no_public_figure(client, shown, status):
    before = (client.get(APPLY_URL).context["open_places"].open_places, without_anyone(client))
    overrides = {"confirmed_at": None} if status == Application.Status.UNCONFIRMED else {}
    make_application(status=status, stands_for_district_council=True, **overrides)
    make_application(
        municipality=get_municipality("harz", "ballenstedt"), status=status, **overrides
    )

    after = (client.get(APPLY_URL).context["open_places"].open_places, without_anyone(client))

    assert after == before


def test_submitting_an_application_changes_no_public_page(client, shown):
    before = public_pages(client)

    response = client.post(APPLY_URL, valid_data())

    assert response.status_code == 302
    assert Application.objects.count() == 1
    assert public_pages(client) == before


def test_a_staff_decision_does_change_the_figures(client, shown):
    before = client.get(APPLY_URL).context["open_places"].open_places

    make_list(get_council(), places=[make_application()])

    assert client.get(APPLY_URL).context["open_places"].open_places == before - 1
    assert "Wernigerode" not in without_anyone(client)


def test_public_pages_query_count_does_not_grow(client, shown):
    make_list(get_council(), places=[make_application(status=Application.Status.NOMINATED)])
    one = (queries_for(client, APPLY_URL), queries_for(client, DISTRICT_URL))
    for slug in ["ditfurt", "ballenstedt"]:
        municipality = get_municipality("harz", slug)
        make_list(
            get_council(area_name=municipality.name),
            places=[make_application(municipality=municipality)],
        )

    assert (queries_for(client, APPLY_URL), queries_for(client, DISTRICT_URL)) == one


def test_the_setting_says_what_is_counted(db):
    from districts.models import District

    help_text = str(District._meta.get_field("show_open_places").help_text)

    assert "nie Namen" in help_text
    assert "nie eingegangene Bewerbungen" in help_text
    assert District._meta.get_field("show_open_places").default is False
