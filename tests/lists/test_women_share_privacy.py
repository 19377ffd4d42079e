"""The women's share of a list without anyone's gender: the list editor marks no person,
computes nothing in the browser, and shows the saved list's share only as
reports.suppression figures (fewer than five women, or fewer than five others, are not
counted out). Print pages, paperwork and a person entered directly show no gender."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import escape

from candidates.models import Application
from lists.models import CandidateList
from reports.suppression import EXPLANATION
from tests.factories import get_council, login_staff, make_application, make_list

pytestmark = pytest.mark.django_db

NOMINATED = Application.Status.NOMINATED
WOMAN, MAN = Application.Gender.WOMAN, Application.Gender.MAN


def change_url(candidate_list):
    return f"/verwaltung/lists/candidatelist/{candidate_list.pk}/change/"


def people(*genders):
    return [
        make_application(status=NOMINATED, last_name=f"Person-{chr(65 + n)}", gender=gender)
        for n, gender in enumerate(genders)
    ]


def share_texts(html):
    """The texts of the two share spans: the list's and its top third's."""
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'<span id="share-(?:list|top)">(.*?)</span>', html, re.S)
    ]


@pytest.fixture(params=["harz_chair", "state_office_user"])
def staff_client(request, client):
    return login_staff(client, request.getfixturevalue(request.param))


def test_editor_marks_no_person_and_suppresses_a_small_share(staff_client, election):
    candidate_list = make_list(get_council(), election=election, places=people(WOMAN, MAN))
    make_application(status=NOMINATED, last_name="Waehlbar", gender=WOMAN)  # a choice only

    response = staff_client.get(change_url(candidate_list))

    html = response.content.decode()
    assert share_texts(html) == ["&lt; 5 von 2", "&lt; 5 von 1"]
    assert "data-woman" not in html
    assert "data-text-share" not in html
    assert [str(value) for value in response.context["share"].values()] == ["< 5", "< 5"]
    assert str(escape(EXPLANATION)) in html


def test_editor_shows_an_exact_share_of_five_women_and_five_others(staff_client, election):
    candidate_list = make_list(get_council(), election=election, places=people(*[WOMAN, MAN] * 5))

    html = staff_client.get(change_url(candidate_list)).content.decode()

    assert share_texts(html) == ["5 von 10 (50,0 %)", "&lt; 5 von 4"]


def test_editor_does_not_count_out_a_small_rest(staff_client, election):
    """Seven women and three others: "all but fewer than five" is not exact either."""
    candidate_list = make_list(
        get_council(), election=election, places=people(*[WOMAN] * 7, *[MAN] * 3)
    )

    html = staff_client.get(change_url(candidate_list)).content.decode()

    assert share_texts(html) == ["&gt; 5 von 10", "&lt; 5 von 4"]


def test_empty_list_shows_no_share(staff_client, election):
    candidate_list = make_list(get_council(), election=election)

    html = staff_client.get(change_url(candidate_list)).content.decode()

    assert share_texts(html) == ["–", "–"]


def test_unsaved_post_gets_no_share_of_its_own(client, harz_chair, election):
    """A POST shown again without being saved (here: someone else saved meanwhile) shows
    the share of the list as saved, so combinations cannot be tried out unrecorded."""
    candidate_list = make_list(get_council(), election=election)
    posted = people(*[WOMAN, MAN] * 5)
    data = {
        "version": candidate_list.version - 1,
        "status": CandidateList.Status.DRAFT,
        "assembly_at_0": "",
        "assembly_at_1": "",
        "assembly_place": "",
        "submission_deadline": "",
        "places-TOTAL_FORMS": str(len(posted)),
        "places-INITIAL_FORMS": "0",
        "places-MIN_NUM_FORMS": "0",
        "places-MAX_NUM_FORMS": "1000",
    }
    for index, person in enumerate(posted):
        data[f"places-{index}-position"] = str(index + 1)
        data[f"places-{index}-application"] = str(person.pk)

    response = login_staff(client, harz_chair).post(change_url(candidate_list), data)

    assert response.context["conflict"] is True
    assert share_texts(response.content.decode()) == ["–", "–"]


def test_list_editor_script_knows_no_gender():
    script = (Path(settings.BASE_DIR) / "static" / "lists" / "list_editor.js").read_text()

    assert [word for word in ["woman", "women", "share"] if word in script.lower()] == []


@pytest.mark.parametrize("page", ["druck/", "druck/erklaerungen/", "unterlagen/"])
def test_print_and_paperwork_pages_show_no_self_description(client, harz_chair, election, page):
    person = make_application(
        status=NOMINATED,
        last_name="Divers",
        gender=Application.Gender.DIVERSE,
        migration_history=Application.MigrationHistory.YES,
    )
    candidate_list = make_list(get_council(), election=election, places=[person])

    response = login_staff(client, harz_chair).get(
        f"/verwaltung/lists/candidatelist/{candidate_list.pk}/{page}"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert [
        text
        for text in ["Geschlecht", "Migrationsgeschichte", "nicht-binär", "Frauen"]
        if text in html
    ] == []


def test_direct_entry_asks_gender_and_says_it_is_only_counted(client, harz_chair, election):
    candidate_list = make_list(get_council(), election=election)

    html = (
        login_staff(client, harz_chair)
        .get(f"/verwaltung/lists/candidatelist/{candidate_list.pk}/person/")
        .content.decode()
    )

    assert "Geschlecht (freiwillig, für den Frauenanteil der Liste)" in html
    assert "Zählt nur zusammengefasst im Frauenanteil der Liste." in html


def test_person_entered_directly_shows_no_stored_gender_afterwards(client, harz_chair, election):
    candidate_list = make_list(get_council(), election=election)
    login_staff(client, harz_chair)
    client.post(
        f"/verwaltung/lists/candidatelist/{candidate_list.pk}/person/",
        {
            "last_name": "Ratsfrau",
            "first_names": "Gisela",
            "occupation": "Stadträtin",
            "date_of_birth": "1961-03-02",
            "street": "Marktplatz 1",
            "postal_code": "38855",
            "town": "Wernigerode",
            "ortsteil": "Hasserode",
            "municipality": candidate_list.council.municipality_id,
            "email": "gisela@example.org",
            "phone": "",
            "citizenship": "de",
            "resident_since": "1990-01-01",
            "membership": "member",
            "gender": "diverse",
            "consent": "on",
            "version": str(candidate_list.version),
        },
    )
    person = Application.objects.get(last_name="Ratsfrau")
    assert person.gender == Application.Gender.DIVERSE

    pages = [
        change_url(candidate_list),
        f"/verwaltung/candidates/application/{person.pk}/change/",
        f"/verwaltung/lists/candidatelist/{candidate_list.pk}/druck/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert [text for text in ["Geschlecht", "nicht-binär", "data-woman"] if text in html] == []
