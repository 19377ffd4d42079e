"""The statistics' figures (reports.statistics): exact figures on a small known dataset,
small-group suppression, age on election day, the three stages, and who sees which
districts."""

import datetime

import pytest

from candidates import eligibility
from candidates.models import Application, Body
from districts.models import Council, District
from lists.models import CandidateList
from reports import statistics
from reports.suppression import figure
from tests.factories import (
    get_council,
    get_municipality,
    make_application,
    make_election,
    make_list,
)

WOMAN = Application.Gender.WOMAN
MAN = Application.Gender.MAN
ELECTION_DAY = datetime.date(2029, 6, 10)


def magdeburg(**overrides):
    return make_application(municipality=get_municipality("magdeburg", "magdeburg"), **overrides)


def make_many(count, **overrides):
    return [make_application(**overrides) for _ in range(count)]


def row_of(stats, slug):
    (row,) = [row for row in stats.rows if row.district.slug == slug]
    return row


# --- Women's share and suppression -------------------------------------------------------


def test_women_share_of_active_applicants_in_harz(state_office_user, election):
    make_many(6, gender=WOMAN)
    make_many(5, gender=MAN)
    magdeburg(gender=MAN)

    stats = statistics.statistics(state_office_user, election=election)

    active = row_of(stats, "harz").stages["active"]
    assert (str(active.people), str(active.women), active.women.percent) == ("11", "6", 54.5)
    # The total adds Magdeburg's man: 6 of 12.
    total = stats.total.stages["active"]
    assert (str(total.people), str(total.women), total.women.percent) == ("12", "6", 50.0)


def test_women_share_below_five_is_suppressed(state_office_user, election):
    make_many(3, gender=WOMAN)
    make_many(8, gender=MAN)

    stats = statistics.statistics(state_office_user, election=election)

    women = row_of(stats, "harz").stages["active"].women
    assert (str(women), women.percent) == ("< 5", None)


def test_women_share_with_a_remainder_below_five_is_suppressed(state_office_user, election):
    make_many(8, gender=WOMAN)
    make_many(2, gender=MAN)

    stats = statistics.statistics(state_office_user, election=election)

    women = row_of(stats, "harz").stages["active"].women
    assert (str(women), women.percent) == ("> 5", None)


def test_people_without_an_answer_count_in_the_denominator(state_office_user, election):
    make_many(5, gender=WOMAN)
    make_many(5, gender=MAN)
    make_many(5, gender="")

    stats = statistics.statistics(state_office_user, election=election)

    women = row_of(stats, "harz").stages["active"].women
    assert (women, women.percent) == (figure(5, 15), 33.3)


def test_migration_history_and_non_members(state_office_user, election):
    make_many(5, migration_history=Application.MigrationHistory.YES)
    make_many(5, migration_history=Application.MigrationHistory.NO)
    make_many(5, migration_history="", membership=Application.Membership.MEMBER)

    stats = statistics.statistics(state_office_user, election=election)

    active = row_of(stats, "harz").stages["active"]
    assert (active.migration, active.migration.percent) == (figure(5, 15), 33.3)
    assert (active.non_members, active.non_members.percent) == (figure(10, 15), 66.7)


# --- Age on election day -----------------------------------------------------------------


def test_under_35_is_counted_on_election_day(state_office_user):
    election = make_election(election_day=ELECTION_DAY)
    make_many(5, date_of_birth=datetime.date(1994, 6, 11))  # 35 the day after: under 35
    make_many(5, date_of_birth=datetime.date(1994, 6, 10))  # 35 on election day
    make_many(5, date_of_birth=None)  # unknown, not under 35

    stats = statistics.statistics(state_office_user, election=election)

    active = row_of(stats, "harz").stages["active"]
    assert (active.under_35, active.under_35.percent) == (figure(5, 15), 33.3)
    assert (active.age_unknown, active.age_unknown.percent) == (figure(5, 15), 33.3)


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2029, 6, 10),
        datetime.date(2032, 2, 29),
        datetime.date(2029, 2, 28),
        datetime.date(2029, 3, 1),
        datetime.date(2028, 12, 31),
    ],
)
def test_born_by_agrees_with_the_eligibility_age(day):
    for years in (18, 25, 35, 65):
        first = datetime.date(day.year - years - 1, 1, 1)
        births = [first + datetime.timedelta(days=n) for n in range(3 * 366)]
        limit = statistics.born_by(day, years)

        assert [birth for birth in births if birth <= limit] == [
            birth for birth in births if eligibility.age_on(birth, day) >= years
        ]


def test_age_groups_of_active_applicants(state_office_user):
    election = make_election(election_day=ELECTION_DAY)
    births = {
        datetime.date(2012, 6, 11): 1,  # 16: under 18
        datetime.date(2011, 6, 10): 5,  # 18
        datetime.date(2004, 6, 11): 1,  # 24
        datetime.date(2004, 6, 10): 5,  # 25
        datetime.date(1979, 6, 11): 6,  # 49
        datetime.date(1979, 6, 10): 5,  # 50
        datetime.date(1964, 6, 10): 2,  # 65
    }
    for birth, count in births.items():
        make_many(count, date_of_birth=birth)
    make_many(2, date_of_birth=None)
    make_many(3, date_of_birth=datetime.date(1964, 6, 10), status=Application.Status.WITHDRAWN)

    stats = statistics.statistics(state_office_user, election=election)

    people = 27
    assert row_of(stats, "harz").age_groups == [
        figure(1, people),
        figure(6, people),
        figure(5, people),
        figure(6, people),
        figure(5, people),
        figure(2, people),
        figure(2, people),
    ]
    assert [str(group) for group in stats.total.age_groups] == [
        "< 5",
        "6",
        "5",
        "6",
        "5",
        "< 5",
        "< 5",
    ]


# --- Stages ------------------------------------------------------------------------------


def test_stages_count_active_nominated_and_adopted_lists(state_office_user, election):
    new = make_many(5)
    nominated = make_many(5, status=Application.Status.NOMINATED)
    withdrawn = make_many(5, status=Application.Status.WITHDRAWN)
    make_list(
        get_council(),
        places=[*nominated[:3], withdrawn[0]],
        status=CandidateList.Status.ADOPTED,
    )
    # Also on the Kreistag's submitted list: still one person.
    make_list(
        get_council("district_council", "harz", "Harz"),
        places=[nominated[0], new[0]],
        status=CandidateList.Status.SUBMITTED,
    )
    make_list(
        get_council("council", "harz", "Halberstadt"),
        places=nominated[3:],
        status=CandidateList.Status.DRAFT,
    )

    stats = statistics.statistics(state_office_user, election=election)

    stages = row_of(stats, "harz").stages
    assert [stages[stage.key].people for stage in statistics.STAGES] == [
        figure(10),
        figure(5),
        figure(5),
    ]
    assert stats.total.stages["on_lists"].people == figure(5)


def test_other_elections_are_not_counted(state_office_user, election):
    other = make_election(
        name="Kommunalwahl 2024",
        election_day=datetime.date(2024, 6, 9),
        applications_open_from=datetime.date(2023, 1, 1),
        applications_open_until=datetime.date(2024, 4, 1),
    )
    make_many(5, gender=WOMAN)
    make_many(2, gender=WOMAN, election=other)

    stats = statistics.statistics(state_office_user, election=election)

    assert stats.total.stages["active"].women == figure(5, 5)


# --- Statuses, bodies, councils ----------------------------------------------------------


def test_statuses_bodies_and_councils_per_district(state_office_user, election):
    make_many(6, stands_for_district_council=True)
    make_many(2, status=Application.Status.NOT_CONSIDERED, stands_for_district_council=True)
    make_many(1, status=Application.Status.UNCONFIRMED, confirmed_at=None)
    magdeburg(status=Application.Status.INTERVIEW)

    stats = statistics.statistics(state_office_user, election=election)

    harz = row_of(stats, "harz")
    assert [status.value for status in stats.statuses] == Application.Status.values
    assert harz.statuses == [
        figure(1),
        figure(6),
        figure(0),
        figure(0),
        figure(0),
        figure(2),
        figure(0),
    ]
    assert (harz.applications, harz.active) == (figure(9), figure(6, None))
    assert dict(zip(statistics.BODIES, harz.bodies, strict=True)) == {
        Body.COUNCIL: figure(6),
        Body.VERBANDSGEMEINDE_COUNCIL: figure(0),
        Body.DISTRICT_COUNCIL: figure(6),
        Body.LOCAL_COUNCIL: figure(0),
    }
    harz_councils = Council.objects.filter(district__slug="harz").count()
    # Wernigerode's Gemeinderat and the Kreistag Harz have active applicants.
    assert (harz.councils, harz.councils_without_anyone) == (harz_councils, harz_councils - 2)
    assert stats.total.applications == figure(10)
    assert stats.total.councils == Council.objects.count()


# --- Who sees what -----------------------------------------------------------------------


def test_harz_chair_sees_only_harz(harz_chair, election):
    make_many(5, gender=WOMAN)
    make_many(1, status=Application.Status.UNCONFIRMED, confirmed_at=None, gender=WOMAN)
    for _ in range(7):
        magdeburg(gender=WOMAN)

    stats = statistics.statistics(harz_chair, election=election)

    assert [row.district.slug for row in stats.rows] == ["harz"]
    assert Application.Status.UNCONFIRMED not in stats.statuses
    assert stats.total.stages["active"].women == figure(5, 5)
    assert stats.total.applications == figure(5)
    assert stats.total.councils == Council.objects.filter(district__slug="harz").count()
    assert str(stats.total_label) == "Ihre Kreisverbände insgesamt"


def test_state_office_sees_all_districts_and_the_state(state_office_user, election):
    make_application()
    magdeburg()

    stats = statistics.statistics(state_office_user, election=election)

    assert [row.district for row in stats.rows] == list(District.objects.all())
    assert len(stats.rows) == 14
    assert stats.total.applications == figure(2)
    assert str(stats.total_label) == "Sachsen-Anhalt insgesamt"


def test_staff_without_district_gets_no_rows(staff_without_district, election):
    stats = statistics.statistics(staff_without_district, election=election)

    assert (stats.rows, stats.total) == ([], None)


# --- Which election ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["abc", "+9", "٩", "9 ", " 9", "9\n", "-1", "0", "1" * 40, "99999999", "1.0"]
)
def test_odd_election_values_fall_back_to_the_default(db, election, value):
    assert statistics.choose_election(value) == statistics.ElectionChoice(
        election, True, unknown=True
    )


def test_election_is_chosen_by_id(db, election):
    older = make_election(
        name="Kommunalwahl 2024",
        election_day=datetime.date(2024, 6, 9),
        applications_open_from=datetime.date(2023, 1, 1),
        applications_open_until=datetime.date(2024, 4, 1),
    )

    assert statistics.choose_election(str(older.pk)) == statistics.ElectionChoice(older, False)
    assert statistics.choose_election("") == statistics.ElectionChoice(election, True)


# --- Tables ------------------------------------------------------------------------------


def test_stage_table_rows_as_csv_cells(harz_chair, election):
    make_many(6, gender=WOMAN)
    make_many(5, gender=MAN, date_of_birth=None)

    stats = statistics.statistics(harz_chair, election=election)

    table = statistics.table(stats, "vielfalt-aktiv")
    cells = ["11", "6", "54,5", "< 5", "", "5", "< 5", "", "> 6", ""]
    assert table.csv_rows() == [
        ["Harz", *cells],
        ["Ihre Kreisverbände insgesamt", *cells],
    ]
    assert table.rows[0].cells == [
        "11", "6", "54,5\u00a0%", "< 5", "–", "5", "< 5", "–", "> 6", "–"
    ]  # fmt: skip


def test_status_table_has_exact_council_counts(harz_chair, election):
    stats = statistics.statistics(harz_chair, election=election)

    (harz, total) = statistics.table(stats, "stand").csv_rows()
    councils = Council.objects.filter(district__slug="harz").count()
    assert harz == ["Harz", councils, councils, "< 5", "< 5", "< 5", "< 5", "< 5", "< 5", "< 5"]
    assert total[1:] == harz[1:]
