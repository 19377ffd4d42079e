"""The rules a candidate list must meet (lists.rules), each at its edge."""

import datetime

import pytest
from django.utils import timezone

from candidates.models import Application
from districts.models import Council
from lists import rules
from lists.models import CandidateList, Document, ListPlace
from tests.factories import get_district, get_municipality, make_application

NOMINATED = Application.Status.NOMINATED


def council_of(municipality):
    return Council.objects.get(kind=Council.Kind.COUNCIL, municipality=municipality)


def draft_for(council, election, **fields):
    return CandidateList.objects.create(election=election, council=council, **fields)


def codes(problems):
    return [problem.code for problem in problems]


def nominated(n, **overrides):
    return [make_application(status=NOMINATED, **overrides) for _ in range(n)]


@pytest.fixture
def wernigerode_list(election):
    return draft_for(council_of(get_municipality("harz", "wernigerode")), election)


def test_a_list_of_nominated_eligible_residents_has_no_problem(wernigerode_list):
    assert rules.list_problems(wernigerode_list, nominated(3)) == []


def test_an_empty_list_cannot_be_adopted(wernigerode_list):
    assert codes(rules.list_problems(wernigerode_list, [])) == ["empty"]


def test_wernigerode_takes_45_names_and_not_46(wernigerode_list):
    # 40 seats (§ 37 Abs. 1 KVG LSA, 30,001-50,000 inhabitants) + 5 (§ 21 Abs. 4 KWG LSA).
    assert wernigerode_list.council.max_list_length == 45
    people = nominated(46)
    assert "too_many" not in codes(rules.list_problems(wernigerode_list, people[:45]))
    problems = rules.list_problems(wernigerode_list, people)
    assert codes(problems) == ["too_many"]
    assert "46 Namen" in problems[0].message and "höchstens 45" in problems[0].message


def test_magdeburg_takes_9_names_per_wahlbereich(election):
    magdeburg = get_municipality("magdeburg", "magdeburg")
    candidate_list = draft_for(council_of(magdeburg), election, electoral_area=10)
    people = nominated(10, municipality=magdeburg)
    assert rules.list_problems(candidate_list, people[:9]) == []
    assert codes(rules.list_problems(candidate_list, people)) == ["too_many"]


def test_there_is_no_eleventh_wahlbereich_in_magdeburg(election):
    magdeburg = get_municipality("magdeburg", "magdeburg")
    candidate_list = draft_for(council_of(magdeburg), election, electoral_area=11)
    people = nominated(1, municipality=magdeburg)
    assert codes(rules.list_problems(candidate_list, people)) == ["no_such_area"]


def test_a_kreistag_without_wahlbereiche_has_no_known_limit(election):
    kreistag = Council.objects.get(kind=Council.Kind.DISTRICT_COUNCIL, district=get_district())
    candidate_list = draft_for(kreistag, election)
    people = nominated(1, stands_for_district_council=True)
    assert codes(rules.list_problems(candidate_list, people)) == ["limit_unknown"]
    kreistag.electoral_areas = 6
    kreistag.save()
    assert rules.list_problems(candidate_list, people) == []


def test_an_ineligible_person_is_named_with_the_reason(wernigerode_list, election):
    too_young = make_application(
        status=NOMINATED,
        date_of_birth=election.election_day.replace(year=election.election_day.year - 17),
    )
    [problem] = rules.list_problems(wernigerode_list, [too_young])
    assert problem.code == "not_eligible" and problem.position == 1
    assert too_young.full_name in problem.message
    assert "noch nicht 18" in problem.message
    assert problem.blocks_adoption


def test_someone_from_another_municipality_is_outside_the_wahlgebiet(wernigerode_list):
    halberstadt = get_municipality("harz", "halberstadt")
    [problem] = rules.list_problems(wernigerode_list, nominated(1, municipality=halberstadt))
    assert problem.code == "outside_area"
    assert "Halberstadt" in problem.message


def test_the_kreistag_takes_anyone_from_the_landkreis(election):
    kreistag = Council.objects.get(kind=Council.Kind.DISTRICT_COUNCIL, district=get_district())
    kreistag.electoral_areas = 6
    kreistag.save()
    candidate_list = draft_for(kreistag, election)
    people = [
        make_application(status=NOMINATED, municipality=m, stands_for_district_council=True)
        for m in (get_municipality("harz", "wernigerode"), get_municipality("harz", "halberstadt"))
    ]
    assert rules.list_problems(candidate_list, people) == []
    elsewhere = make_application(
        status=NOMINATED,
        municipality=get_municipality("magdeburg", "magdeburg"),
        stands_for_council=True,
    )
    problems = rules.list_problems(candidate_list, [elsewhere])
    assert codes(rules.blocking(problems)) == ["outside_area"]


@pytest.mark.parametrize(
    "status",
    [
        Application.Status.NEW,
        Application.Status.INTERVIEW,
        Application.Status.WITHDRAWN,
        Application.Status.NOT_CONSIDERED,
    ],
)
def test_only_nominated_people_belong_on_a_list(wernigerode_list, status):
    [problem] = rules.list_problems(wernigerode_list, [make_application(status=status)])
    assert problem.code == "not_nominated"
    assert str(Application.Status(status).label) in problem.message


def test_nobody_stands_twice_for_the_same_body(election):
    magdeburg = get_municipality("magdeburg", "magdeburg")
    council = council_of(magdeburg)
    first, second = (draft_for(council, election, electoral_area=area) for area in (1, 2))
    person = make_application(status=NOMINATED, municipality=magdeburg)
    ListPlace.objects.create(candidate_list=first, application=person, position=1)
    [problem] = rules.list_problems(second, [person])
    assert problem.code == "on_other_list"
    assert "Wahlbereich 1" in problem.message


def test_the_same_person_under_a_second_application_is_recognised(election):
    magdeburg = get_municipality("magdeburg", "magdeburg")
    council = council_of(magdeburg)
    first, second = (draft_for(council, election, electoral_area=area) for area in (1, 2))
    person = make_application(status=NOMINATED, municipality=magdeburg, last_name="Özdemir")
    again = make_application(
        status=NOMINATED, municipality=magdeburg, last_name=" özdemir ", email="other@example.org"
    )
    ListPlace.objects.create(candidate_list=first, application=person, position=1)
    assert codes(rules.list_problems(second, [again])) == ["on_other_list"]
    assert codes(rules.list_problems(first, [person, again])) == ["twice"]


def test_a_different_body_is_no_duplicate(election):
    wernigerode = get_municipality("harz", "wernigerode")
    kreistag = Council.objects.get(kind=Council.Kind.DISTRICT_COUNCIL, district=get_district())
    kreistag.electoral_areas = 6
    kreistag.save()
    person = make_application(status=NOMINATED, stands_for_district_council=True)
    ListPlace.objects.create(
        candidate_list=draft_for(kreistag, election), application=person, position=1
    )
    assert rules.list_problems(draft_for(council_of(wernigerode), election), [person]) == []


def test_a_body_not_applied_for_is_a_warning_only(election):
    kreistag = Council.objects.get(kind=Council.Kind.DISTRICT_COUNCIL, district=get_district())
    kreistag.electoral_areas = 6
    kreistag.save()
    [problem] = rules.list_problems(draft_for(kreistag, election), nominated(1))
    assert problem.code == "not_applied_for_body"
    assert not problem.blocks_adoption
    assert rules.blocking([problem]) == []


def test_adoption_needs_the_assembly_date_and_place(wernigerode_list):
    people = nominated(1)
    adopted = CandidateList.Status.ADOPTED
    assert codes(rules.list_problems(wernigerode_list, people, status=adopted)) == [
        "assembly_missing"
    ]
    wernigerode_list.assembly_at = timezone.now()
    wernigerode_list.assembly_place = "   "
    assert codes(rules.list_problems(wernigerode_list, people, status=adopted)) == [
        "assembly_missing"
    ]
    wernigerode_list.assembly_place = "Bürgerhaus Wernigerode"
    assert rules.list_problems(wernigerode_list, people, status=adopted) == []


def test_an_application_of_another_election_does_not_fit(wernigerode_list, election):
    from tests.factories import make_election

    later = make_election(
        name="Nachwahl", election_day=election.election_day + datetime.timedelta(days=1)
    )
    [problem] = rules.list_problems(wernigerode_list, nominated(1, election=later))
    assert problem.code == "other_election"


def test_required_papers_follow_the_answers():
    base = [Document.CONSENT, Document.ELIGIBILITY_CERTIFICATE, Document.MEMBERSHIP]
    german = Application(citizenship=Application.Citizenship.GERMAN)
    assert rules.required_documents(german) == base
    employed_eu = Application(
        citizenship=Application.Citizenship.EU, works_for_local_authority=True
    )
    assert rules.required_documents(employed_eu) == [
        *base,
        Document.INCOMPATIBILITY,
        Document.EU_DECLARATION,
    ]
