"""The overview pages in the admin (lists.overview): who sees which district, the table's
sorting and filters, the to-do links, query counts, and where a sign-in lands."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from candidates.models import Application
from districts.models import Council
from portal.demo import reset_second_factor
from tests.factories import (
    MAGDEBURG_NAME,
    get_council,
    get_municipality,
    letters,
    login_staff,
    make_application,
    make_list,
    make_local_council,
    make_staff_user,
    queries_for,
)
from tests.portal.totp import code_for

OVERVIEW = reverse("admin:overview")
HARZ = reverse("admin:overview_district", kwargs={"district": "harz"})
MAGDEBURG = reverse("admin:overview_district", kwargs={"district": "magdeburg"})
PASSWORD = "ein-langes-testpasswort-123"


def council_names(response):
    return [row["figures"].council.name for row in response.context["rows"]]


# --- Who sees what --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [OVERVIEW, HARZ])
def test_anonymous_is_sent_to_the_sign_in(client, url):
    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"/verwaltung/login/?next={url}")


def test_member_of_one_district_goes_straight_to_its_page(client, harz_chair):
    response = login_staff(client, harz_chair).get(OVERVIEW)

    assert (response.status_code, response.url) == (302, HARZ)


def test_member_of_several_districts_sees_only_theirs(client, election):
    user = make_staff_user("team@example.org", districts=["harz", "magdeburg"])

    response = login_staff(client, user).get(OVERVIEW)

    entries = response.context["coverage"].districts
    assert [entry.district.slug for entry in entries] == ["harz", "magdeburg"]
    assertContains(response, "Ihre Kreisverbände insgesamt")
    assertContains(response, f'href="{HARZ}"')
    assertNotContains(response, "/verwaltung/uebersicht/jerichower-land/")


def test_state_office_sees_all_districts_with_state_totals(client, state_office_user, election):
    make_application()
    make_application(municipality=get_municipality("magdeburg", "magdeburg"))

    response = login_staff(client, state_office_user).get(OVERVIEW)

    coverage = response.context["coverage"]
    assert len(coverage.districts) == 14
    assert (coverage.totals.councils, coverage.totals.active) == (Council.objects.count(), 2)
    assertContains(response, "Sachsen-Anhalt insgesamt")
    assertContains(response, f'href="{MAGDEBURG}"')


def test_state_office_opens_any_district(client, state_office_user, magdeburg_application):
    response = login_staff(client, state_office_user).get(MAGDEBURG)

    assert council_names(response) == ["Stadtrat Magdeburg"]
    assert response.context["figures"].totals.active == 1


def test_harz_chair_never_sees_magdeburg(client, harz_chair, magdeburg_application):
    login_staff(client, harz_chair)

    foreign = client.get(MAGDEBURG)
    unknown = client.get("/verwaltung/uebersicht/gibt-es-nicht/")
    own = client.get(HARZ)

    assert (foreign.status_code, unknown.status_code) == (404, 404)
    assert "Stadtrat Magdeburg" not in council_names(own)
    assertNotContains(own, "Magdeburg")
    assertNotContains(own, MAGDEBURG_NAME)


def test_staff_without_district_sees_no_district(client, staff_without_district, election):
    login_staff(client, staff_without_district)

    overview = client.get(OVERVIEW)

    assert overview.context["coverage"].districts == []
    assertContains(overview, "Sie gehören noch zu keinem Kreisverbands-Team")
    assert client.get(HARZ).status_code == 404


@pytest.mark.parametrize(
    "slug", ["HARZ", "Harz", "harz%20", "%20harz", "harz+", "..", "a" * 5000, "h%C3%A4rz"]
)
def test_odd_slug_spellings_are_not_found(client, state_office_user, election, slug):
    response = login_staff(client, state_office_user).get(f"/verwaltung/uebersicht/{slug}/")

    assert response.status_code == 404


@pytest.mark.parametrize("slug", ["%00", "harz%00"])
def test_nul_in_the_slug_is_a_bad_request_not_an_error(client, state_office_user, election, slug):
    response = login_staff(client, state_office_user).get(f"/verwaltung/uebersicht/{slug}/")

    assert response.status_code == 400


# --- The district's table -------------------------------------------------------------


def test_councils_with_nobody_are_marked_in_words_and_class(client, harz_chair, election):
    make_application()

    response = login_staff(client, harz_chair).get(HARZ)

    rows = {row["figures"].council.name: row["figures"] for row in response.context["rows"]}
    assert rows["Stadtrat Wernigerode"].has_nobody is False
    assert rows["Stadtrat Blankenburg (Harz)"].has_nobody is True
    content = response.content.decode()
    wernigerode_row = content[: content.index("Stadtrat Wernigerode")].rsplit("<tr", 1)[1]
    blankenburg_row = content[: content.index("Stadtrat Blankenburg (Harz)")].rsplit("<tr", 1)[1]
    assert "nobody" not in wernigerode_row
    assert 'class="row' in blankenburg_row and " nobody" in blankenburg_row
    assertContains(response, '<span class="nobody-marker">niemand</span>', count=21)


def test_default_order_is_by_kind_then_name(client, harz_chair, election):
    response = login_staff(client, harz_chair).get(HARZ)

    names = council_names(response)
    assert names[:3] == [
        "Stadtrat Ballenstedt",
        "Stadtrat Blankenburg (Harz)",
        "Gemeinderat Ditfurt",
    ]
    assert names[-2:] == ["Verbandsgemeinderat Vorharz", "Kreistag Harz"]


def test_sorting_by_open_places_puts_the_most_first_and_unknown_last(client, harz_chair, election):
    response = login_staff(client, harz_chair).get(f"{HARZ}?sortierung=offen")

    open_places = [row["figures"].open_places for row in response.context["rows"]]
    known = [value for value in open_places if value is not None]
    assert known == sorted(known, reverse=True)
    assert open_places[-1] is None  # the Kreistag: Wahlbereiche not entered
    assert [s["key"] for s in response.context["sortings"] if s["active"]] == ["offen"]


@pytest.mark.parametrize(
    "query", ["sortierung=quatsch", "sortierung=", "art=gremium", "luecken=ja"]
)
def test_unknown_parameter_values_fall_back_to_the_defaults(client, harz_chair, election, query):
    login_staff(client, harz_chair)

    response = client.get(f"{HARZ}?{query}")

    assert council_names(response) == council_names(client.get(HARZ))


def test_filters_by_kind_and_by_gaps(client, harz_chair, election):
    make_application(municipality=get_municipality("harz", "ballenstedt"))
    login_staff(client, harz_chair)

    kreistag = client.get(f"{HARZ}?art=kreistag")
    gaps = client.get(f"{HARZ}?art=gemeinderat&luecken=1")

    assert council_names(kreistag) == ["Kreistag Harz"]
    gemeinderaete = Council.objects.filter(district__slug="harz", kind="council").count()
    assert len(council_names(gaps)) == gemeinderaete - 1
    assert "Stadtrat Ballenstedt" not in council_names(gaps)
    assertContains(gaps, "nur Vertretungen ohne Kandidat:innen")


def test_rows_link_to_their_lists_and_to_a_new_list(client, harz_chair, election):
    try:
        changelist = reverse("admin:lists_candidatelist_changelist")
        add = reverse("admin:lists_candidatelist_add")
    except NoReverseMatch:
        pytest.skip("the list admin (lists/admin.py) is not installed yet")
    council = get_council()
    make_list(council)

    response = login_staff(client, harz_chair).get(HARZ)

    assertContains(response, f'href="{changelist}?council__id__exact={council.pk}"')
    assertContains(response, f'href="{add}?council={council.pk}"')


def test_to_do_links_to_the_unanswered_applications(client, harz_chair, election):
    old = make_application(confirmed_at=timezone.now() - datetime.timedelta(days=10))
    make_application(confirmed_at=timezone.now() - datetime.timedelta(days=2))
    make_application(
        confirmed_at=timezone.now() - datetime.timedelta(days=10),
        status=Application.Status.CONTACTED,
    )
    make_application(
        municipality=get_municipality("magdeburg", "magdeburg"),
        confirmed_at=timezone.now() - datetime.timedelta(days=10),
    )
    login_staff(client, harz_chair)

    response = client.get(HARZ)
    changelist = client.get(response.context["unanswered_url"])

    assertContains(response, "1 bestätigte Bewerbung ist seit über 7 Tagen unbeantwortet")
    assert list(changelist.context["cl"].result_list) == [old]


def test_to_do_names_the_lists_without_assembly_date(client, harz_chair, election):
    make_list(get_council())
    make_list(get_council(area_name="Ditfurt"), assembly_at=timezone.now())

    response = login_staff(client, harz_chair).get(HARZ)

    assert [item[0].council.name for item in response.context["lists_without_assembly"]] == [
        "Stadtrat Wernigerode"
    ]
    assertContains(response, "Listen ohne Termin für die Aufstellungsversammlung")


def test_page_says_which_election_when_none_is_open(client, harz_chair):
    from tests.factories import make_election

    make_election(
        name="Kommunalwahl 2024",
        election_day=datetime.date(2024, 6, 9),
        applications_open_from=datetime.date(2023, 6, 1),
        applications_open_until=datetime.date(2024, 3, 1),
    )

    response = login_staff(client, harz_chair).get(HARZ)

    assertContains(response, "Zurzeit nimmt keine Wahl Bewerbungen an.")
    assertContains(response, "Kommunalwahl 2024")


# --- Query counts ---------------------------------------------------------------------


def add_people(indexes):
    """For each index: a local council with an applicant, and a list with one place."""
    areas = ["Wernigerode", "Ditfurt", "Ballenstedt"]
    for index in indexes:
        council = make_local_council(f"Ortschaft {letters(index + 1)}")
        make_application(stands_for_local_council=True, local_council_name=council.area_name)
        make_list(get_council(area_name=areas[index]), places=[make_application()])


@pytest.mark.parametrize("url", [HARZ, OVERVIEW])
def test_query_count_does_not_grow_with_councils_and_applications(
    client, state_office_user, election, url
):
    login_staff(client, state_office_user)
    add_people([0])
    one = queries_for(client, url)

    add_people([1, 2])
    three = queries_for(client, url)

    assert one == three


def test_district_page_query_count_for_a_team_member(client, harz_chair, election):
    login_staff(client, harz_chair)
    add_people([0])
    one = queries_for(client, HARZ)

    add_people([1, 2])

    assert queries_for(client, HARZ) == one


# --- Landing after sign-in ------------------------------------------------------------


def sign_in(client, user):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    return client.post(reverse("mfa_authenticate"), {"code": code_for(user)})


@pytest.mark.parametrize("next_url", ["", "?next=/verwaltung/"])
def test_district_team_member_lands_on_the_overview(client, db, next_url):
    user = make_staff_user("chair@harz.example.org", districts=["harz"], password=PASSWORD)
    reset_second_factor(user)
    client.post(reverse("account_login") + next_url, {"login": user.email, "password": PASSWORD})

    response = client.post(reverse("mfa_authenticate"), {"code": code_for(user)})

    assert (response.status_code, response.url) == (302, OVERVIEW)
    assert client.get(OVERVIEW).url == HARZ


def test_a_page_asked_for_before_sign_in_is_kept(client, db):
    user = make_staff_user("chair@harz.example.org", districts=["harz"], password=PASSWORD)
    reset_second_factor(user)
    wanted = reverse("admin:candidates_application_changelist")
    client.post(
        f"{reverse('account_login')}?next={wanted}", {"login": user.email, "password": PASSWORD}
    )

    response = client.post(reverse("mfa_authenticate"), {"code": code_for(user)})

    assert (response.status_code, response.url) == (302, wanted)


def test_state_office_lands_on_the_admin_index(client, db):
    user = make_staff_user("lgs@example.org", state_office=True, password=PASSWORD)
    reset_second_factor(user)

    response = sign_in(client, user)

    assert (response.status_code, response.url) == (302, reverse("admin:index"))


def test_admin_index_links_to_the_overview(client, harz_chair):
    response = login_staff(client, harz_chair).get(reverse("admin:index"))

    assertContains(response, f'href="{OVERVIEW}"')
    assertContains(response, "Übersicht: wo fehlen noch Kandidat:innen?")
