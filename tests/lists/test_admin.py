"""The list admin (lists.admin, lists.views): the lists of one's own districts only, a new
list, the people in order with every rule shown, adoption refused while a rule fails,
the conflict of two editors, a person entered directly, the paperwork checklist and the
history."""

import datetime
import re

import pytest
from django.utils import timezone

from candidates.models import Application
from candidates.services import erase_applications
from lists import services
from lists.models import CandidateList, Document, ListChange, ListPlace, PaperworkEvent
from tests.factories import (
    get_council,
    get_municipality,
    login_staff,
    make_application,
    make_list,
    queries_for,
)

NOMINATED = Application.Status.NOMINATED
CHANGELIST_URL = "/verwaltung/lists/candidatelist/"
ADD_URL = "/verwaltung/lists/candidatelist/add/"


def change_url(candidate_list):
    return f"/verwaltung/lists/candidatelist/{candidate_list.pk}/change/"


def nominated(**overrides):
    return make_application(status=NOMINATED, **overrides)


def list_data(candidate_list, people, *, version=None, **overrides):
    """The change page as the browser sends it: the list's fields and one row per person
    (place number, application id), numbered in the given order."""
    assembly = candidate_list.assembly_at and timezone.localtime(candidate_list.assembly_at)
    data = {
        "version": candidate_list.version if version is None else version,
        "status": candidate_list.status,
        "assembly_at_0": assembly.strftime("%Y-%m-%d") if assembly else "",
        "assembly_at_1": assembly.strftime("%H:%M") if assembly else "",
        "assembly_place": candidate_list.assembly_place,
        "submission_deadline": "",
        "places-TOTAL_FORMS": str(len(people)),
        "places-INITIAL_FORMS": "0",
        "places-MIN_NUM_FORMS": "0",
        "places-MAX_NUM_FORMS": "1000",
    }
    for index, person in enumerate(people):
        data[f"places-{index}-position"] = str(index + 1)
        data[f"places-{index}-application"] = str(person.pk)
    data.update(overrides)
    return data


def on_list(candidate_list):
    return list(
        ListPlace.objects.filter(candidate_list=candidate_list)
        .order_by("position")
        .values_list("position", "application__last_name")
    )


def problem_messages(response):
    context = response.context
    return [p.message for p in [*context["list_problems"], *context["place_problems"]]]


@pytest.fixture
def harz_client(client, harz_chair):
    return login_staff(client, harz_chair)


@pytest.fixture
def wernigerode_list(election):
    return make_list(get_council(), election=election)


@pytest.fixture
def magdeburg_list(election):
    person = nominated(
        last_name="Leckmichnicht", municipality=get_municipality("magdeburg", "magdeburg")
    )
    return make_list(
        get_council(district_slug="magdeburg", area_name="Magdeburg"),
        election=election,
        places=[person],
    )


# --- scope -------------------------------------------------------------------------------


def test_changelist_shows_only_lists_of_own_district(harz_client, wernigerode_list, magdeburg_list):
    response = harz_client.get(CHANGELIST_URL)
    assert list(response.context["cl"].result_list) == [wernigerode_list]
    assert "Leckmichnicht" not in response.content.decode()


def test_changelist_filters_by_council_as_the_overview_links(harz_client, election):
    wernigerode = make_list(get_council(), election=election)
    make_list(get_council(area_name="Halberstadt"), election=election)
    response = harz_client.get(CHANGELIST_URL, {"council__id__exact": wernigerode.council_id})
    assert list(response.context["cl"].result_list) == [wernigerode]


@pytest.mark.parametrize(
    "suffix",
    ["change/", "person/", "unterlagen/", "druck/", "druck/erklaerungen/", "delete/"],
)
def test_another_districts_list_is_not_found(harz_client, magdeburg_list, suffix):
    response = harz_client.get(f"/verwaltung/lists/candidatelist/{magdeburg_list.pk}/{suffix}")
    assert response.status_code == 404
    assert "Leckmichnicht" not in response.content.decode()


def test_django_history_page_of_a_list_is_for_the_state_office_only(harz_client, wernigerode_list):
    url = f"/verwaltung/lists/candidatelist/{wernigerode_list.pk}/history/"
    assert harz_client.get(url).status_code == 403


def test_another_districts_person_cannot_be_printed_from_own_list(
    harz_client, wernigerode_list, magdeburg_list
):
    place = magdeburg_list.places.get()
    url = f"/verwaltung/lists/candidatelist/{wernigerode_list.pk}/druck/erklaerungen/{place.pk}/"
    response = harz_client.get(url)
    assert response.status_code == 404


def test_ticking_paperwork_of_another_districts_place_is_not_found(
    harz_client, wernigerode_list, magdeburg_list
):
    place = magdeburg_list.places.get()
    data = {"document": Document.CONSENT, "received": "1"}
    for list_pk in [wernigerode_list.pk, magdeburg_list.pk]:
        url = f"/verwaltung/lists/candidatelist/{list_pk}/unterlagen/{place.pk}/"
        assert harz_client.post(url, data).status_code == 404
    assert PaperworkEvent.objects.count() == 0


def test_a_forged_post_cannot_put_another_districts_person_on_a_list(
    harz_client, wernigerode_list, magdeburg_list
):
    foreign = magdeburg_list.places.get().application
    response = harz_client.post(
        change_url(wernigerode_list), list_data(wernigerode_list, [foreign])
    )
    assert response.status_code == 200
    assert response.context["formset"].errors[0]["application"] == [
        f"Bitte eine gültige Auswahl treffen. {foreign.pk} ist keine gültige Auswahl."
    ]
    assert "Leckmichnicht" not in response.content.decode()
    assert on_list(wernigerode_list) == []
    assert CandidateList.objects.get(pk=wernigerode_list.pk).version == 1


def test_the_person_select_offers_nominated_people_of_own_district_only(
    harz_client, wernigerode_list, magdeburg_list
):
    own = nominated(last_name="Harzig")
    make_application(last_name="Neuling")  # not nominated
    response = harz_client.get(change_url(wernigerode_list))
    choices = response.context["formset"].forms[0].fields["application"].choices
    assert [value for value, _label in choices] == ["", own.pk]


# --- a new list --------------------------------------------------------------------------


def test_add_form_is_prefilled_from_the_overview_link(harz_client, election):
    council = get_council()
    response = harz_client.get(ADD_URL, {"council": council.pk})
    form = response.context["adminform"].form
    assert (form["council"].value(), form["election"].value()) == (str(council.pk), election.pk)
    assert set(form.fields["council"].queryset.values_list("district__slug", flat=True)) == {"harz"}


def test_adding_a_list_goes_through_the_service_and_on_to_its_page(
    harz_client, harz_chair, election
):
    council = get_council()
    response = harz_client.post(
        ADD_URL,
        {
            "election": election.pk,
            "council": council.pk,
            "electoral_area": "1",
            "assembly_at_0": "2029-02-14",
            "assembly_at_1": "18:30",
            "assembly_place": "Rathaus Wernigerode",
            "submission_deadline": "",
        },
    )
    candidate_list = CandidateList.objects.get()
    assert response.headers["Location"] == change_url(candidate_list)
    assert (candidate_list.council, timezone.localtime(candidate_list.assembly_at).hour) == (
        council,
        18,
    )
    assert list(ListChange.objects.values_list("description", "changed_by")) == [
        ("Liste angelegt", harz_chair.pk)
    ]


def test_adding_a_list_for_another_districts_council_fails_validation(harz_client, election):
    magdeburg = get_council(district_slug="magdeburg", area_name="Magdeburg")
    response = harz_client.post(
        ADD_URL, {"election": election.pk, "council": magdeburg.pk, "electoral_area": "1"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["council"] == [
        "Bitte eine gültige Auswahl treffen. Dies ist keine gültige Auswahl."
    ]
    assert CandidateList.objects.count() == 0


def test_adding_a_list_for_a_wahlbereich_the_council_does_not_have_fails(harz_client, election):
    response = harz_client.post(
        ADD_URL, {"election": election.pk, "council": get_council().pk, "electoral_area": "2"}
    )
    assert response.context["adminform"].form.errors["electoral_area"] == [
        "Stadtrat Wernigerode hat nur 1 Wahlbereich(e)."
    ]
    assert CandidateList.objects.count() == 0


# --- the people in order -----------------------------------------------------------------


def test_saving_puts_people_in_the_typed_order_numbered_from_one(
    harz_client, harz_chair, wernigerode_list
):
    anna, berta, carla = (nominated(last_name=name) for name in ["Anna", "Berta", "Carla"])
    data = list_data(wernigerode_list, [anna, berta, carla])
    data.update({"places-0-position": "7", "places-1-position": "2", "places-2-position": ""})
    response = harz_client.post(change_url(wernigerode_list), data)
    assert response.status_code == 302
    assert on_list(wernigerode_list) == [(1, "Berta"), (2, "Anna"), (3, "Carla")]
    assert list(
        ListChange.objects.filter(candidate_list=wernigerode_list)
        .order_by("pk")
        .values_list("description", flat=True)
    ) == [
        "Erika Berta auf Platz 1 gesetzt",
        "Erika Anna auf Platz 2 gesetzt",
        "Erika Carla auf Platz 3 gesetzt",
    ]


def test_removing_a_person_closes_the_gap(harz_client, election):
    anna, berta, carla = (nominated(last_name=name) for name in ["Anna", "Berta", "Carla"])
    candidate_list = make_list(get_council(), election=election, places=[anna, berta, carla])
    data = list_data(candidate_list, [anna, berta, carla], **{"places-1-DELETE": "on"})
    harz_client.post(change_url(candidate_list), data)
    assert on_list(candidate_list) == [(1, "Anna"), (2, "Carla")]


def test_choosing_one_person_twice_is_refused(harz_client, wernigerode_list):
    anna = nominated(last_name="Anna")
    response = harz_client.post(
        change_url(wernigerode_list), list_data(wernigerode_list, [anna, anna])
    )
    assert response.context["formset"].non_form_errors() == [
        "Eine Person steht mehrmals auf der Liste. Bitte jede Person nur einmal wählen."
    ]
    assert on_list(wernigerode_list) == []


def test_saved_draft_shows_count_and_problems(harz_client, wernigerode_list):
    woman = nominated(last_name="Anna", gender=Application.Gender.WOMAN)
    man = nominated(last_name="Bernd", first_names="Bernd", gender=Application.Gender.MAN)
    harz_client.post(change_url(wernigerode_list), list_data(wernigerode_list, [woman, man]))
    response = harz_client.get(change_url(wernigerode_list))
    limit = wernigerode_list.council.max_list_length
    # No women's share of a single list (tests/lists/test_women_share_privacy.py).
    assert "share" not in response.context
    assert response.context["count_text"] == f"2 von höchstens {limit} Namen"
    assert problem_messages(response) == []
    assert "Keine Probleme gefunden." in response.content.decode()


# --- every rule on the page ----------------------------------------------------------------


def test_too_many_names_are_shown(harz_client, election):
    council = get_council()
    council.official_seats = 1  # at most 1 + 5 names
    council.save()
    people = [nominated(last_name=f"Person{chr(65 + n)}") for n in range(7)]
    candidate_list = make_list(council, election=election)
    response = harz_client.post(change_url(candidate_list), list_data(candidate_list, people))
    assert response.status_code == 302
    response = harz_client.get(change_url(candidate_list))
    assert problem_messages(response) == [
        "Die Liste hat 7 Namen, erlaubt sind höchstens 6 (§ 21 Abs. 4 KWG LSA)."
    ]
    assert response.context["count_text"] == "7 von höchstens 6 Namen"


def test_each_person_rule_is_shown_at_its_place(harz_client, election, harz_chair):
    council = get_council()
    ok = nominated(last_name="Anna")
    young = nominated(last_name="Berta", date_of_birth=datetime.date(2020, 1, 1))
    elsewhere = nominated(
        last_name="Carla", municipality=get_municipality("harz", "halberstadt"), town="Halberstadt"
    )
    withdrawn = nominated(last_name="Dora")
    twice = nominated(last_name="Emil")
    make_list(council, election=election, electoral_area=2, places=[twice])
    candidate_list = make_list(council, election=election, places=[withdrawn])
    Application.objects.filter(pk=withdrawn.pk).update(status=Application.Status.WITHDRAWN)

    people = [ok, young, elsewhere, withdrawn, twice]
    response = harz_client.post(change_url(candidate_list), list_data(candidate_list, people))
    assert response.status_code == 302
    response = harz_client.get(change_url(candidate_list))
    assert problem_messages(response) == [
        "Platz 2, Erika Berta: nach den Angaben nicht wählbar: am Wahltag noch nicht 18 Jahre "
        "alt (§ 40 Abs. 1 KVG LSA)",
        "Platz 3, Erika Carla: wohnt laut Bewerbung in Halberstadt, nicht im Wahlgebiet.",
        "Platz 4, Erika Dora: ist nicht nominiert (Status: Zurückgezogen).",
        "Platz 5, Erika Emil: steht schon auf unserer Liste „Stadtrat Wernigerode“ für "
        "dieselbe Vertretung.",
    ]
    rows = {
        row["application"].value(): problems for row, problems, _papers in response.context["rows"]
    }
    assert [p.code for p in rows[young.pk]] == ["not_eligible"]
    assert rows[ok.pk] == []


def test_adoption_is_refused_while_a_rule_fails_and_nothing_is_saved(harz_client, wernigerode_list):
    anna = nominated(last_name="Anna")
    data = list_data(wernigerode_list, [anna], status=CandidateList.Status.ADOPTED)
    response = harz_client.post(change_url(wernigerode_list), data)
    assert response.status_code == 200
    assert response.context["form"].errors["status"] == [
        "„von der Versammlung beschlossen“ geht erst, wenn die Liste alle Regeln erfüllt; die "
        "Punkte stehen oben. Als Entwurf lässt sie sich speichern."
    ]
    assert problem_messages(response) == [
        "Für eine beschlossene Liste fehlen Datum oder Ort der Aufstellungsversammlung."
    ]
    stored = CandidateList.objects.get(pk=wernigerode_list.pk)
    assert (stored.status, stored.version, on_list(stored)) == ("draft", 1, [])

    data.update(
        {"assembly_at_0": "2029-02-14", "assembly_at_1": "18:00", "assembly_place": "Rathaus"}
    )
    response = harz_client.post(change_url(wernigerode_list), data)
    assert response.status_code == 302
    stored = CandidateList.objects.get(pk=wernigerode_list.pk)
    assert (stored.status, stored.version, on_list(stored)) == ("adopted", 2, [(1, "Anna")])


def test_two_editors_from_the_same_version_get_a_conflict_not_a_silent_overwrite(
    client, harz_chair, wernigerode_list, django_user_model
):
    from django.test import Client

    from tests.factories import make_staff_user

    colleague = make_staff_user("vize@harz.example.org", districts=["harz"])
    first, second = login_staff(Client(), harz_chair), login_staff(Client(), colleague)
    anna, berta = nominated(last_name="Anna"), nominated(last_name="Berta")
    loaded = CandidateList.objects.get(pk=wernigerode_list.pk)  # both load version 1

    first.post(change_url(loaded), list_data(loaded, [anna]))
    response = second.post(
        change_url(loaded), list_data(loaded, [berta], assembly_place="Kulturhaus")
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [services.ListConflict.message]
    # What the second editor typed is still on the page.
    assert response.context["form"]["assembly_place"].value() == "Kulturhaus"
    assert response.context["formset"].forms[0]["application"].value() == str(berta.pk)
    assert on_list(wernigerode_list) == [(1, "Anna")]
    assert CandidateList.objects.get(pk=wernigerode_list.pk).assembly_place == ""


# --- a person entered directly -----------------------------------------------------------


def direct_entry_data(candidate_list, **overrides):
    data = {
        "last_name": "Ratsfrau",
        "first_names": "Gisela",
        "occupation": "Stadträtin",
        "date_of_birth": "1961-03-02",
        "street": "Marktplatz 1",
        "postal_code": "38855",
        "town": "Wernigerode",
        "ortsteil": "Hasserode",
        "municipality": get_municipality().pk,
        "email": "gisela@example.org",
        "phone": "",
        "citizenship": "de",
        "resident_since": "1990-01-01",
        "membership": "member",
        "gender": "woman",
        "consent": "on",
        "version": str(candidate_list.version),
    }
    data.update(overrides)
    return data


def direct_url(candidate_list):
    return f"/verwaltung/lists/candidatelist/{candidate_list.pk}/person/"


def test_direct_entry_creates_a_nominated_person_marked_as_entered_by_staff(
    harz_client, harz_chair, wernigerode_list
):
    anna = nominated(last_name="Anna")
    services.save_list(wernigerode_list, applications=[anna], by=harz_chair, seen_version=1)
    wernigerode_list.refresh_from_db()

    response = harz_client.post(direct_url(wernigerode_list), direct_entry_data(wernigerode_list))

    assert response.headers["Location"] == change_url(wernigerode_list)
    person = Application.objects.get(last_name="Ratsfrau")
    assert (person.status, person.entered_by, person.stands_for_council, person.is_eligible) == (
        NOMINATED,
        harz_chair,
        True,
        True,
    )
    assert on_list(wernigerode_list) == [(1, "Anna"), (2, "Ratsfrau")]
    listed = harz_client.get("/verwaltung/candidates/application/")
    assert person in listed.context["cl"].result_list


def test_direct_entry_keeps_what_was_typed_and_shows_errors_at_the_fields(
    harz_client, wernigerode_list
):
    data = direct_entry_data(
        wernigerode_list,
        municipality=get_municipality("harz", "halberstadt").pk,
        last_name="R4tsfrau",
        consent="",
    )
    response = harz_client.post(direct_url(wernigerode_list), data)
    form = response.context["adminform"].form
    assert set(form.errors) == {"municipality", "last_name", "consent"}
    assert form["occupation"].value() == "Stadträtin"
    assert Application.objects.filter(email="gisela@example.org").count() == 0


def test_direct_entry_offers_only_municipalities_of_the_wahlgebiet(harz_client, wernigerode_list):
    response = harz_client.get(direct_url(wernigerode_list))
    queryset = response.context["adminform"].form.fields["municipality"].queryset
    assert list(queryset) == [get_municipality()]


def test_erasing_a_directly_entered_person_removes_place_and_history_lines(
    harz_client, harz_chair, state_office_user, wernigerode_list
):
    # Followed, so that the success message is shown and gone before the erasure.
    harz_client.post(direct_url(wernigerode_list), direct_entry_data(wernigerode_list), follow=True)
    person = Application.objects.get(last_name="Ratsfrau")

    erase_applications(Application.objects.filter(pk=person.pk), by=state_office_user)

    assert on_list(wernigerode_list) == []
    assert (
        list(
            ListChange.objects.filter(candidate_list=wernigerode_list).values_list(
                "description", flat=True
            )
        )
        == []
    )
    response = harz_client.get(change_url(wernigerode_list))
    assert "Ratsfrau" not in response.content.decode()


# --- paperwork and history -----------------------------------------------------------------


def test_ticking_paperwork_stores_who_and_when_and_shows_in_the_history(
    harz_client, harz_chair, election
):
    anna = nominated(last_name="Anna", works_for_local_authority=True)
    candidate_list = make_list(get_council(), election=election, places=[anna])
    place = candidate_list.places.get()
    url = f"/verwaltung/lists/candidatelist/{candidate_list.pk}/unterlagen/{place.pk}/"

    response = harz_client.post(url, {"document": Document.CONSENT, "received": "1"})

    assert response.status_code == 302
    event = PaperworkEvent.objects.get()
    assert (event.place, event.document, event.received, event.recorded_by) == (
        place,
        Document.CONSENT,
        True,
        harz_chair,
    )
    page = harz_client.get(f"/verwaltung/lists/candidatelist/{candidate_list.pk}/unterlagen/")
    [(shown_place, documents)] = page.context["rows"]
    assert [(document, bool(e and e.received), who) for document, e, who in documents] == [
        (Document.CONSENT, True, "chair@harz.example.org"),
        (Document.ELIGIBILITY_CERTIFICATE, False, ""),
        (Document.MEMBERSHIP, False, ""),
        (Document.INCOMPATIBILITY, False, ""),
    ]
    history = harz_client.get(change_url(candidate_list)).context["history"]
    assert [(who, what) for _when, who, what in history] == [
        (
            "chair@harz.example.org",
            "Erika Anna: Zustimmungserklärung (Anlage 8a KWO LSA) liegt vor",
        )
    ]


def test_a_paper_the_person_does_not_need_cannot_be_ticked(harz_client, election):
    anna = nominated(last_name="Anna")
    candidate_list = make_list(get_council(), election=election, places=[anna])
    place = candidate_list.places.get()
    url = f"/verwaltung/lists/candidatelist/{candidate_list.pk}/unterlagen/{place.pk}/"
    response = harz_client.post(url, {"document": Document.EU_DECLARATION, "received": "1"})
    assert response.status_code == 404
    assert PaperworkEvent.objects.count() == 0


def test_ticking_needs_a_post(harz_client, election):
    candidate_list = make_list(get_council(), election=election, places=[nominated()])
    place = candidate_list.places.get()
    url = f"/verwaltung/lists/candidatelist/{candidate_list.pk}/unterlagen/{place.pk}/"
    assert harz_client.get(url).status_code == 405


def test_the_change_page_shows_the_history(harz_client, harz_chair, wernigerode_list):
    anna = nominated(last_name="Anna")
    harz_client.post(change_url(wernigerode_list), list_data(wernigerode_list, [anna]))
    response = harz_client.get(change_url(wernigerode_list))
    assert [(who, what) for _when, who, what in response.context["history"]][-1] == (
        "chair@harz.example.org",
        "Erika Anna auf Platz 1 gesetzt",
    )


# --- the list of lists ---------------------------------------------------------------------


def test_changelist_shows_count_and_problems(harz_client, election):
    make_list(get_council(), election=election, places=[nominated()])
    response = harz_client.get(CHANGELIST_URL)
    [row] = response.context["cl"].result_list
    limit = row.council.max_list_length
    text = re.sub(r"\s+", " ", response.content.decode())
    assert f"1 / {limit}" in text
    assert [p.code for p in row.problems] == []


def test_changelist_query_count_does_not_grow_with_lists(
    client, harz_chair, election, django_assert_num_queries
):
    login_staff(client, harz_chair)
    make_list(get_council(), election=election, places=[nominated(), nominated()])
    one = queries_for(client, CHANGELIST_URL)
    for area_name in ["Halberstadt", "Quedlinburg"]:
        council = get_council(area_name=area_name)
        person = nominated(municipality=council.municipality, town=area_name)
        make_list(council, election=election, places=[person])
    with django_assert_num_queries(one):
        response = client.get(CHANGELIST_URL)
    assert len(response.context["cl"].result_list) == 3


def test_state_office_sees_every_districts_lists(
    client, state_office_user, wernigerode_list, magdeburg_list
):
    login_staff(client, state_office_user)
    response = client.get(CHANGELIST_URL)
    assert set(response.context["cl"].result_list) == {wernigerode_list, magdeburg_list}


def test_staff_without_district_sees_no_list(client, staff_without_district, wernigerode_list):
    login_staff(client, staff_without_district)
    response = client.get(CHANGELIST_URL)
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert list(response.context["cl"].result_list) == []
    assert client.get(change_url(wernigerode_list)).status_code in (403, 404)


# --- findings of the second review ------------------------------------------------------


def test_a_person_on_a_list_cannot_be_moved_to_another_district(
    wernigerode_list, state_office_user
):
    from django.core.exceptions import ValidationError

    from candidates.services import update_application

    person = nominated()
    ListPlace.objects.create(candidate_list=wernigerode_list, application=person, position=1)
    with pytest.raises(ValidationError) as refused:
        update_application(
            person,
            by=state_office_user,
            changes={"municipality": get_municipality("magdeburg", "magdeburg")},
        )
    assert "Stadtrat Wernigerode" in refused.value.message_dict["municipality"][0]
    person.refresh_from_db()
    assert person.municipality == get_municipality()
    # Within the district it may move (the list then shows "nicht im Wahlgebiet").
    update_application(
        person,
        by=state_office_user,
        changes={"municipality": get_municipality("harz", "halberstadt")},
    )


def test_direct_entry_answers_the_same_whether_an_unconfirmed_application_exists(
    harz_client, wernigerode_list
):
    hidden = make_application(
        email="geheim@example.org", status=Application.Status.UNCONFIRMED, confirmed_at=None
    )
    response = harz_client.post(
        direct_url(wernigerode_list),
        direct_entry_data(wernigerode_list, email="geheim@example.org"),
    )
    assert response.status_code == 302
    assert not Application.objects.filter(pk=hidden.pk).exists()
    [place] = ListPlace.objects.filter(candidate_list=wernigerode_list)
    assert place.application.email == "geheim@example.org"
    assert place.application.entered_by is not None


def test_a_visible_application_with_the_address_is_named_at_the_email(
    harz_client, wernigerode_list
):
    nominated(email="bekannt@example.org")
    response = harz_client.post(
        direct_url(wernigerode_list),
        direct_entry_data(wernigerode_list, email="bekannt@example.org"),
    )
    assert response.status_code == 200
    assert "schon eine Person erfasst" in str(response.context["form"].errors["email"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_of_birth", "9999-12-31"),
        ("date_of_birth", "0001-01-01"),
        ("resident_since", "1066-10-14"),
    ],
)
def test_direct_entry_refuses_implausible_dates(harz_client, wernigerode_list, field, value):
    response = harz_client.post(
        direct_url(wernigerode_list), direct_entry_data(wernigerode_list, **{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Application.objects.filter(last_name="Ratsfrau").exists()


def test_an_assembly_in_year_one_is_a_form_error_not_a_500(harz_client, wernigerode_list):
    response = harz_client.post(
        change_url(wernigerode_list),
        list_data(wernigerode_list, [], assembly_at_0="0001-01-01", assembly_at_1="00:00"),
    )
    assert response.status_code == 200
    assert "Bitte das Jahr prüfen." in response.content.decode()
    response = harz_client.post(
        ADD_URL,
        {
            "election": wernigerode_list.election.pk,
            "council": get_council(area_name="Halberstadt").pk,
            "electoral_area": "1",
            "assembly_at_0": "0001-01-01",
            "assembly_at_1": "00:00",
            "submission_deadline": "99999-01-01",
        },
    )
    assert response.status_code == 200
    assert not CandidateList.objects.filter(council__area_name="Halberstadt").exists()


@pytest.mark.parametrize("query", ["?assembly_at=x", "?status=x&version=y", "?council=%D9%A9"])
def test_the_add_page_takes_only_the_council_from_the_query_string(harz_client, election, query):
    assert harz_client.get(ADD_URL + query).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/verwaltung/districts/council/?population_as_of__year=99999999999999",
        "/verwaltung/candidates/application/?date_of_birth__year=99999999999999",
        "/verwaltung/lists/candidatelist/?assembly_at__month=13",
    ],
)
def test_date_parts_typed_into_a_changelist_url_are_refused(harz_client, url):
    assert harz_client.get(url).status_code == 400


def test_an_adopted_list_cannot_be_deleted_with_its_history(harz_client, wernigerode_list):
    wernigerode_list.status = CandidateList.Status.SUBMITTED
    wernigerode_list.save()
    services_line = ListChange.objects.create(
        candidate_list=wernigerode_list,
        changed_by=wernigerode_list.places.model._meta.apps.get_model(
            "auth", "User"
        ).objects.first(),
        description="Liste angelegt",
    )
    url = f"/verwaltung/lists/candidatelist/{wernigerode_list.pk}/delete/"
    assert harz_client.get(url).status_code == 403
    response = harz_client.post(
        CHANGELIST_URL,
        {"action": "delete_selected", "_selected_action": [wernigerode_list.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert CandidateList.objects.filter(pk=wernigerode_list.pk).exists()
    assert ListChange.objects.filter(pk=services_line.pk).exists()


def test_a_draft_can_be_deleted(harz_client, wernigerode_list):
    response = harz_client.post(
        CHANGELIST_URL,
        {"action": "delete_selected", "_selected_action": [wernigerode_list.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not CandidateList.objects.filter(pk=wernigerode_list.pk).exists()
