"""Writing lists (lists.services): history, optimistic locking, adoption only while the
rules hold, scope checks against forged ids, direct entry and erasure."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from candidates.models import Application, StatusChange
from candidates.services import erase_applications
from districts.models import Council
from lists import selectors, services
from lists.models import CandidateList, Document, ListChange, ListPlace, PaperworkEvent
from tests.factories import get_municipality, make_application

NOMINATED = Application.Status.NOMINATED


def wernigerode_council():
    return Council.objects.get(
        kind=Council.Kind.COUNCIL, municipality=get_municipality("harz", "wernigerode")
    )


@pytest.fixture
def draft(election, harz_chair):
    return services.create_list(election=election, council=wernigerode_council(), by=harz_chair)


def save(candidate_list, people, by, **fields):
    for name, value in fields.items():
        setattr(candidate_list, name, value)
    return services.save_list(
        candidate_list, applications=people, by=by, seen_version=candidate_list.version
    )


def descriptions(candidate_list):
    return list(
        ListChange.objects.filter(candidate_list=candidate_list).values_list(
            "description", flat=True
        )
    )


def test_creating_a_list_is_the_first_history_line(draft, harz_chair):
    [line] = ListChange.objects.filter(candidate_list=draft)
    assert (line.description, line.changed_by) == ("Liste angelegt", harz_chair)


def test_a_second_list_for_the_same_council_and_area_is_refused(draft, election, harz_chair):
    with pytest.raises(ValidationError, match="schon eine Liste"):
        services.create_list(election=election, council=draft.council, by=harz_chair)


def test_a_chair_cannot_create_a_list_for_another_districts_council(election, harz_chair):
    magdeburg = Council.objects.get(
        kind=Council.Kind.COUNCIL, municipality=get_municipality("magdeburg", "magdeburg")
    )
    with pytest.raises(PermissionDenied):
        services.create_list(election=election, council=magdeburg, by=harz_chair)
    assert not CandidateList.objects.exists()


def test_saving_orders_the_people_and_writes_who_changed_what(draft, harz_chair):
    anna, ben, cem = (make_application(status=NOMINATED, first_names=n) for n in "ABC")
    save(draft, [anna, ben, cem], harz_chair, assembly_place="Rathaus")
    assert [p.application for p in selectors.places_of(draft)] == [anna, ben, cem]
    assert draft.version == 2
    save(draft, [cem, anna], harz_chair)
    assert [(p.position, p.application) for p in selectors.places_of(draft)] == [
        (1, cem),
        (2, anna),
    ]
    lines = descriptions(draft)
    assert f"{anna.full_name} auf Platz 1 gesetzt" in lines
    assert "Ort der Versammlung: leer → Rathaus" in lines
    assert f"{ben.full_name} von Platz 2 genommen" in lines
    assert f"{cem.full_name} von Platz 3 auf Platz 1" in lines
    assert f"{anna.full_name} von Platz 1 auf Platz 2" in lines
    assert set(ListChange.objects.values_list("changed_by", flat=True)) == {harz_chair.pk}


def test_a_save_from_an_old_version_is_refused_and_changes_nothing(draft, harz_chair):
    anna, ben = (make_application(status=NOMINATED) for _ in range(2))
    seen_by_both = draft.version
    services.save_list(draft, applications=[anna], by=harz_chair, seen_version=seen_by_both)
    other_tab = CandidateList.objects.get(pk=draft.pk)
    other_tab.assembly_place = "Kneipe"
    with pytest.raises(services.ListConflict):
        services.save_list(other_tab, applications=[ben], by=harz_chair, seen_version=seen_by_both)
    draft.refresh_from_db()
    assert draft.assembly_place == ""
    assert [p.application for p in selectors.places_of(draft)] == [anna]


def test_a_list_breaking_a_rule_is_saved_as_draft_with_its_problems(draft, harz_chair):
    withdrawn = make_application(status=Application.Status.WITHDRAWN)
    problems = save(draft, [withdrawn], harz_chair)
    assert [p.code for p in problems] == ["not_nominated"]
    assert ListPlace.objects.filter(candidate_list=draft).count() == 1


def test_adoption_is_refused_while_a_rule_fails_and_nothing_is_saved(draft, harz_chair):
    person = make_application(status=Application.Status.WITHDRAWN)
    with pytest.raises(services.ListRulesFailed) as refused:
        save(
            draft,
            [person],
            harz_chair,
            status=CandidateList.Status.ADOPTED,
            assembly_at=timezone.now(),
            assembly_place="Rathaus",
        )
    assert [p.code for p in refused.value.problems] == ["not_nominated"]
    draft.refresh_from_db()
    assert draft.status == CandidateList.Status.DRAFT
    assert not ListPlace.objects.filter(candidate_list=draft).exists()
    person.status = NOMINATED
    person.save()
    save(
        draft,
        [person],
        harz_chair,
        status=CandidateList.Status.ADOPTED,
        assembly_at=timezone.now(),
        assembly_place="Rathaus",
    )
    draft.refresh_from_db()
    assert draft.status == CandidateList.Status.ADOPTED
    assert "Stand: Entwurf → von der Versammlung beschlossen" in descriptions(draft)


def test_a_forged_application_of_another_district_is_refused(
    draft, harz_chair, magdeburg_application
):
    magdeburg_application.status = NOMINATED
    magdeburg_application.save()
    with pytest.raises(PermissionDenied):
        save(draft, [magdeburg_application], harz_chair)
    assert not ListPlace.objects.exists()


def test_an_unconfirmed_application_cannot_be_placed_by_a_district_team(draft, harz_chair):
    unconfirmed = make_application(status=Application.Status.UNCONFIRMED, confirmed_at=None)
    with pytest.raises(PermissionDenied):
        save(draft, [unconfirmed], harz_chair)


def test_another_districts_chair_cannot_save_the_list(draft, magdeburg_chair):
    with pytest.raises(PermissionDenied):
        save(draft, [], magdeburg_chair)


def direct_person(**overrides):
    values = {
        "municipality": get_municipality("harz", "wernigerode"),
        "last_name": "Ratsfrau",
        "first_names": "Gisela",
        "occupation": "Stadträtin",
        "date_of_birth": datetime.date(1961, 2, 3),
        "email": "gisela@example.org",
        "street": "Markt 1",
        "postal_code": "38855",
        "town": "Wernigerode",
        "citizenship": Application.Citizenship.GERMAN,
        "resident_since": datetime.date(1990, 1, 1),
        "membership": Application.Membership.MEMBER,
        "accepts_expectations": False,
    }
    values.update(overrides)
    return Application(**values)


def test_a_person_entered_directly_is_a_nominated_application_marked_as_such(draft, harz_chair):
    person = services.add_person_directly(
        draft, person=direct_person(), by=harz_chair, seen_version=draft.version
    )
    person.refresh_from_db()
    assert person.entered_by == harz_chair
    assert person.status == NOMINATED and person.confirmed_at is not None
    assert person.stands_for_council and person.is_eligible
    assert [p.application for p in selectors.places_of(draft)] == [person]
    [change] = StatusChange.objects.filter(application=person)
    assert change.changed_by == harz_chair
    assert Application.objects.visible_to(harz_chair).filter(pk=person.pk).exists()


def test_a_person_entered_twice_gets_a_message_at_the_email(draft, harz_chair):
    services.add_person_directly(
        draft, person=direct_person(), by=harz_chair, seen_version=draft.version
    )
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.add_person_directly(
            draft, person=direct_person(), by=harz_chair, seen_version=draft.version
        )
    assert "email" in refused.value.message_dict


def test_a_person_from_another_district_cannot_be_entered(draft, harz_chair):
    stranger = direct_person(municipality=get_municipality("magdeburg", "magdeburg"))
    with pytest.raises(PermissionDenied):
        services.add_person_directly(
            draft, person=stranger, by=harz_chair, seen_version=draft.version
        )
    assert not Application.objects.filter(last_name="Ratsfrau").exists()


def test_paperwork_ticks_record_who_and_when_and_repeat_nothing(draft, harz_chair):
    person = make_application(status=NOMINATED, works_for_local_authority=True)
    save(draft, [person], harz_chair)
    [place] = selectors.places_of(draft)
    assert services.record_paperwork(place, document=Document.CONSENT, received=True, by=harz_chair)
    assert (
        services.record_paperwork(place, document=Document.CONSENT, received=True, by=harz_chair)
        is None
    )
    services.record_paperwork(place, document=Document.CONSENT, received=False, by=harz_chair)
    state = dict(selectors.paperwork([place])[place.pk])
    assert list(state) == [
        Document.CONSENT,
        Document.ELIGIBILITY_CERTIFICATE,
        Document.MEMBERSHIP,
        Document.INCOMPATIBILITY,
    ]
    assert state[Document.CONSENT].received is False
    assert state[Document.CONSENT].recorded_by == harz_chair
    assert state[Document.ELIGIBILITY_CERTIFICATE] is None
    assert PaperworkEvent.objects.count() == 2
    history = [what for _when, _who, what in selectors.history(draft)]
    assert any("Zustimmungserklärung" in what and "liegt vor" in what for what in history)


def test_another_district_cannot_tick_paperwork(draft, harz_chair, magdeburg_chair):
    save(draft, [make_application(status=NOMINATED)], harz_chair)
    [place] = selectors.places_of(draft)
    with pytest.raises(PermissionDenied):
        services.record_paperwork(
            place, document=Document.CONSENT, received=True, by=magdeburg_chair
        )


def test_erasing_a_person_takes_their_place_papers_and_named_history_lines(
    draft, harz_chair, state_office_user
):
    person = make_application(status=NOMINATED, last_name="Löschbar")
    other = make_application(status=NOMINATED)
    save(draft, [person, other], harz_chair)
    [place, _other_place] = selectors.places_of(draft)
    services.record_paperwork(place, document=Document.CONSENT, received=True, by=harz_chair)
    erase_applications(Application.objects.filter(pk=person.pk), by=state_office_user)
    assert [p.application for p in selectors.places_of(draft)] == [other]
    assert not PaperworkEvent.objects.exists()
    assert not any("Löschbar" in line for line in descriptions(draft))
