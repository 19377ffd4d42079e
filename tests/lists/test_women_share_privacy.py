"""Lists without anyone's gender: the list editor shows no women's share of a single list,
marks no person and computes nothing in the browser; print pages, paperwork and a person
entered directly show no gender."""

from pathlib import Path

import pytest
from django.conf import settings

from candidates.models import Application
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


@pytest.fixture(params=["harz_chair", "state_office_user"])
def staff_client(request, client):
    return login_staff(client, request.getfixturevalue(request.param))


@pytest.mark.parametrize(
    "genders", [(WOMAN, MAN), (WOMAN, MAN) * 5, (WOMAN,) * 7 + (MAN,) * 3], ids=len
)
def test_editor_shows_no_womens_share_and_marks_no_person(staff_client, election, genders):
    # Any figure about one list would tell a person's gender when compared before and
    # after adding or moving that person; the share exists only per district, on the
    # statistics page (reports.statistics).
    candidate_list = make_list(get_council(), election=election, places=people(*genders))
    make_application(status=NOMINATED, last_name="Waehlbar", gender=WOMAN)  # a choice only

    response = staff_client.get(change_url(candidate_list))

    html = response.content.decode()
    assert "share" not in response.context
    assert 'id="share-list"' not in html and "Frauen auf der Liste" not in html
    assert "data-woman" not in html and "data-text-share" not in html
    assert "Den Frauenanteil einer einzelnen Liste zeigt das Portal nicht" in html
    assert 'href="/verwaltung/auswertung/"' in html


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
