"""lists.coverage: the figures per council, district and state, on a small known dataset."""

import datetime

import pytest
from django.utils import timezone

from candidates.models import Application
from districts.models import Council
from lists import coverage
from tests.factories import (
    get_council,
    get_district,
    get_municipality,
    make_application,
    make_election,
    make_list,
    make_local_council,
)

ACTIVE = Application.Status


def figures_by_name(result):
    return {row.council.name: row for entry in result.districts for row in entry.councils}


def counts(row):
    return (row.active, row.nominated, row.on_lists, row.open_places)


@pytest.fixture
def harz_coverage(election, state_office_user):
    def compute(user=state_office_user, **kwargs):
        return coverage.coverage(
            user, election=election, districts=[get_district("harz")], **kwargs
        )

    return compute


def test_municipal_council_counts_active_and_nominated_not_unconfirmed_or_closed(
    election, harz_coverage
):
    for status in [ACTIVE.NEW, ACTIVE.CONTACTED, ACTIVE.INTERVIEW, ACTIVE.NOMINATED]:
        make_application(status=status)
    make_application(status=ACTIVE.UNCONFIRMED, confirmed_at=None)
    make_application(status=ACTIVE.WITHDRAWN)
    make_application(status=ACTIVE.NOT_CONSIDERED)
    make_application(stands_for_council=False, stands_for_district_council=True)
    make_application(municipality=get_municipality("magdeburg", "magdeburg"))
    other_election = make_election(
        name="Kommunalwahl 2024",
        election_day=datetime.date(2024, 6, 9),
        applications_open_from=datetime.date(2023, 6, 1),
        applications_open_until=datetime.date(2024, 3, 1),
    )
    make_application(election=other_election)

    rows = figures_by_name(harz_coverage())

    stadtrat = rows["Stadtrat Wernigerode"]
    assert counts(stadtrat) == (4, 1, 0, 45)
    assert (stadtrat.council.seats, stadtrat.council.max_list_length) == (40, 45)
    assert counts(rows["Kreistag Harz"])[:3] == (1, 0, 0)
    assert "Stadtrat Magdeburg" not in rows


def test_verbandsgemeinde_counts_its_member_municipalities_only(election, harz_coverage):
    make_application(
        municipality=get_municipality("harz", "ditfurt"),
        stands_for_council=False,
        stands_for_verbandsgemeinde_council=True,
    )
    make_application(
        municipality=get_municipality("harz", "wegeleben"),
        stands_for_verbandsgemeinde_council=True,
        status=ACTIVE.NOMINATED,
    )
    # Ticked, but Wernigerode belongs to no Verbandsgemeinde.
    make_application(stands_for_verbandsgemeinde_council=True)

    rows = figures_by_name(harz_coverage())

    assert counts(rows["Verbandsgemeinderat Vorharz"])[:3] == (2, 1, 0)
    assert counts(rows["Gemeinderat Ditfurt"])[:2] == (0, 0)
    assert counts(rows["Stadtrat Wegeleben"])[:2] == (1, 1)


def test_kreistag_counts_the_whole_district(election, harz_coverage):
    for slug in ["wernigerode", "ditfurt", "ballenstedt"]:
        make_application(
            municipality=get_municipality("harz", slug), stands_for_district_council=True
        )

    rows = figures_by_name(harz_coverage())

    kreistag = rows["Kreistag Harz"]
    assert counts(kreistag) == (3, 0, 0, None)  # Wahlbereiche not entered: unknown
    assert kreistag.has_nobody is False


def test_ortschaftsrat_matches_the_ortschaft_ignoring_case_and_spaces(election, harz_coverage):
    make_local_council("Silstedt")
    make_local_council("Benzingerode")
    make_application(stands_for_local_council=True, local_council_name="  silstedt ")
    make_application(stands_for_local_council=True, local_council_name="SILSTEDT")
    # The same Ortschaft name in another municipality is another Ortschaftsrat.
    make_application(
        municipality=get_municipality("harz", "ballenstedt"),
        stands_for_local_council=True,
        local_council_name="Silstedt",
    )

    rows = figures_by_name(harz_coverage())

    silstedt = rows["Ortschaftsrat Silstedt"]
    assert counts(silstedt) == (2, 0, 0, silstedt.council.list_places)
    assert counts(rows["Ortschaftsrat Benzingerode"])[:3] == (0, 0, 0)
    assert rows["Ortschaftsrat Benzingerode"].has_nobody is True


def test_open_places_are_list_places_minus_places_on_lists(election, harz_coverage):
    people = [make_application(status=ACTIVE.NOMINATED) for _ in range(3)]
    make_list(get_council(), places=people)
    magdeburg = get_council(district_slug="magdeburg", area_name="Magdeburg")
    make_list(magdeburg, places=[make_application(municipality=magdeburg.municipality)])

    rows = figures_by_name(harz_coverage())

    assert counts(rows["Stadtrat Wernigerode"]) == (3, 3, 3, 42)
    assert rows["Stadtrat Wernigerode"].lists == 1


def test_next_date_is_the_earliest_future_assembly_or_deadline(election, harz_coverage):
    now = timezone.now()
    today = timezone.localdate()
    council = get_council()
    make_list(council, electoral_area=1, assembly_at=now - datetime.timedelta(days=3))
    make_list(
        council,
        electoral_area=2,
        assembly_at=now + datetime.timedelta(days=20),
        submission_deadline=today + datetime.timedelta(days=10),
    )
    make_list(council, electoral_area=3, assembly_at=now + datetime.timedelta(days=5))

    row = figures_by_name(harz_coverage())["Stadtrat Wernigerode"]

    in_five_days = timezone.localdate(now + datetime.timedelta(days=5))
    assert row.next_date == (in_five_days, "assembly")
    assert row.next_deadline == today + datetime.timedelta(days=10)


def test_district_and_state_totals_count_councils_without_anyone(election, state_office_user):
    make_application()  # Stadtrat Wernigerode
    make_application(municipality=get_municipality("magdeburg", "magdeburg"))

    result = coverage.coverage(state_office_user, election=election)

    harz = next(entry for entry in result.districts if entry.district.slug == "harz")
    harz_councils = Council.objects.filter(district__slug="harz").count()
    assert (harz.totals.councils, harz.totals.active, harz.totals.without_anyone) == (
        harz_councils,
        1,
        harz_councils - 1,
    )
    assert len(result.districts) == 14
    assert result.totals.councils == Council.objects.count()
    assert result.totals.active == 2
    assert result.totals.without_anyone == Council.objects.count() - 2


def test_to_do_counts_new_applications_unanswered_for_more_than_seven_days(election, harz_coverage):
    now = timezone.now()
    old = make_application(confirmed_at=now - datetime.timedelta(days=9))
    make_application(confirmed_at=now - datetime.timedelta(days=3))
    make_application(confirmed_at=now - datetime.timedelta(days=9), status=ACTIVE.CONTACTED)

    result = harz_coverage()

    assert result.districts[0].totals.unanswered == 1
    assert old.confirmed_at.date() < result.unanswered_since


def test_to_do_lists_the_lists_without_an_assembly_date(election, harz_coverage):
    without = make_list(get_council())
    make_list(get_council(area_name="Ditfurt"), assembly_at=timezone.now())

    assert harz_coverage().districts[0].lists_without_assembly == [without]


def test_district_team_counts_only_what_it_may_see(election, harz_chair):
    make_application()
    make_application(status=ACTIVE.UNCONFIRMED, confirmed_at=None)
    make_application(municipality=get_municipality("magdeburg", "magdeburg"))

    result = coverage.coverage(harz_chair, election=election)

    assert [entry.district.slug for entry in result.districts] == ["harz"]
    assert counts(figures_by_name(result)["Stadtrat Wernigerode"]) == (1, 0, 0, 45)
    assert result.totals.active == 1


def test_unconfirmed_applications_are_not_counted_for_the_state_office_either(
    election, harz_coverage
):
    make_application(status=ACTIVE.UNCONFIRMED, confirmed_at=None)

    assert counts(figures_by_name(harz_coverage())["Stadtrat Wernigerode"]) == (0, 0, 0, 45)


def test_queries_do_not_grow_with_councils_and_applications(
    election, harz_coverage, django_assert_num_queries
):
    def add(number, area):
        make_local_council(f"Ortschaft {number}")
        make_application(stands_for_local_council=True, local_council_name=f"Ortschaft {number}")
        make_application(stands_for_district_council=True, status=ACTIVE.NOMINATED)
        make_list(get_council(area_name=area), places=[make_application()])

    add(1, "Wernigerode")
    harz_coverage()  # the user's permissions are cached from here on
    with django_assert_num_queries(7):
        harz_coverage()
    add(2, "Ditfurt")
    add(3, "Ballenstedt")
    with django_assert_num_queries(7):
        result = harz_coverage()
    assert result.totals.on_lists == 3


def test_election_for_overview_is_the_current_one_else_the_latest(db):
    assert coverage.election_for_overview() == (None, False)
    past = make_election(
        name="Kommunalwahl 2024",
        election_day=datetime.date(2024, 6, 9),
        applications_open_from=datetime.date(2023, 6, 1),
        applications_open_until=datetime.date(2024, 3, 1),
    )
    assert coverage.election_for_overview() == (past, False)
    current = make_election()
    assert coverage.election_for_overview() == (current, True)
