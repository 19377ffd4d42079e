"""Eligibility rules at their boundaries, against the election day (§ 40 KVG LSA)."""

import datetime

import pytest

from candidates.eligibility import age_on, ineligibility_reasons, months_before
from candidates.models import Application, Election

ELECTION_DAY = datetime.date(2029, 6, 10)


def reasons(**overrides):
    answers = {
        "election_day": ELECTION_DAY,
        "date_of_birth": datetime.date(1990, 1, 1),
        "citizenship": "de",
        "resident_since": datetime.date(2020, 1, 1),
        "membership": "member",
        "member_of_other_party": False,
    }
    answers.update(overrides)
    return ineligibility_reasons(**answers)


def test_eighteenth_birthday_on_election_day_is_eligible():
    assert reasons(date_of_birth=datetime.date(2011, 6, 10)) == []


def test_eighteenth_birthday_day_after_election_day_is_too_young():
    assert reasons(date_of_birth=datetime.date(2011, 6, 11)) == ["too_young"]


def test_eighteenth_birthday_day_before_election_day_is_eligible():
    assert reasons(date_of_birth=datetime.date(2011, 6, 9)) == []


@pytest.mark.parametrize(
    ("citizenship", "expected"),
    [("de", []), ("eu", []), ("other", ["citizenship"])],
)
def test_german_and_eu_citizens_may_stand_others_not(citizenship, expected):
    assert reasons(citizenship=citizenship) == expected


def test_three_months_residence_exactly_is_enough():
    assert reasons(resident_since=datetime.date(2029, 3, 10)) == []


def test_one_day_short_of_three_months_is_flagged():
    assert reasons(resident_since=datetime.date(2029, 3, 11)) == ["residence"]


@pytest.mark.parametrize(
    ("membership", "other_party", "expected"),
    [
        ("member", False, []),
        ("member", True, []),  # a member's tick does not count
        ("non_member", False, []),
        ("wants_to_join", False, []),
        ("non_member", True, ["other_party"]),
        ("wants_to_join", True, ["other_party"]),
    ],
)
def test_party_list_takes_members_and_non_party_people(membership, other_party, expected):
    assert reasons(membership=membership, member_of_other_party=other_party) == expected


@pytest.mark.parametrize(
    ("membership", "expected"),
    [("member", []), ("non_member", ["other_party"]), ("wants_to_join", ["other_party"])],
)
def test_check_eligibility_ignores_only_a_members_other_party_tick(membership, expected):
    application = Application(
        election=Election(election_day=ELECTION_DAY),
        date_of_birth=datetime.date(1990, 1, 1),
        citizenship=Application.Citizenship.GERMAN,
        resident_since=datetime.date(2020, 1, 1),
        membership=membership,
        member_of_other_party=True,
    )

    application.check_eligibility()

    assert (application.ineligibility_reasons, application.is_eligible) == (
        expected,
        not expected,
    )
    assert application.member_of_other_party is True


def test_all_reasons_are_reported_together():
    assert reasons(
        date_of_birth=datetime.date(2015, 1, 1),
        citizenship="other",
        resident_since=datetime.date(2029, 5, 1),
        membership="non_member",
        member_of_other_party=True,
    ) == ["too_young", "citizenship", "residence", "other_party"]


def test_age_on_leap_day_birthday_counts_from_first_of_march():
    born = datetime.date(2008, 2, 29)
    assert age_on(born, datetime.date(2026, 2, 28)) == 17
    assert age_on(born, datetime.date(2026, 3, 1)) == 18


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2029, 6, 10), datetime.date(2029, 3, 10)),
        (datetime.date(2029, 5, 31), datetime.date(2029, 2, 28)),
        (datetime.date(2029, 1, 15), datetime.date(2028, 10, 15)),
    ],
)
def test_months_before_clamps_to_month_end(day, expected):
    assert months_before(day, 3) == expected
