"""The printable pages of a list (lists.views.PrintListView, PrintCandidatesView): the
Wahlvorschlag's particulars in list order and nothing else about the people; each
person's declarations prefilled."""

import datetime
import re

import pytest
from django.utils import timezone

from candidates.models import Application
from tests.factories import get_council, login_staff, make_application, make_list

NOMINATED = Application.Status.NOMINATED


def text_of(response):
    """The page's text without tags, whitespace collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def people(election):
    return [
        make_application(
            status=NOMINATED,
            last_name="Zander",
            first_names="Anna Maria",
            occupation="Tischlerin",
            date_of_birth=datetime.date(1980, 2, 29),
            street="Breite Straße 5",
            ortsteil="Hasserode",
            email="anna.zander@example.org",
            phone="03943 555123",
            gender=Application.Gender.WOMAN,
            membership=Application.Membership.MEMBER,
        ),
        make_application(
            status=NOMINATED,
            last_name="Albers",
            first_names="Bernd",
            occupation="Rentner",
            date_of_birth=datetime.date(1950, 7, 1),
            street="Marktplatz 2",
            email="bernd.albers@example.org",
            phone="03943 555777",
            works_for_local_authority=True,
            citizenship=Application.Citizenship.EU,
        ),
    ]


@pytest.fixture
def candidate_list(election, people):
    return make_list(
        get_council(),
        election=election,
        places=people,
        assembly_at=timezone.make_aware(datetime.datetime(2029, 2, 14, 18, 30)),
        assembly_place="Rathaus Wernigerode",
    )


def test_list_page_has_the_wahlvorschlag_particulars_in_list_order(
    client, harz_chair, candidate_list
):
    login_staff(client, harz_chair)
    response = client.get(f"/verwaltung/lists/candidatelist/{candidate_list.pk}/druck/")
    text = text_of(response)
    assert (
        "Nr. Familienname Vornamen Beruf oder Stand Geburtsdatum Anschrift (Hauptwohnung) Ortsteil"
    ) in text
    assert (
        "1 Zander Anna Maria Tischlerin 29.02.1980 Breite Straße 5, 38855 Wernigerode Hasserode "
        "2 Albers Bernd Rentner 01.07.1950 Marktplatz 2, 38855 Wernigerode"
    ) in text
    assert "Wahlvorschlag der Partei DIE LINKE" in text
    assert "Stadtrat Wernigerode" in text
    assert "14.02.2029, 18:30 Uhr, Rathaus Wernigerode" in text


def test_list_page_shows_no_contact_or_self_description(client, harz_chair, candidate_list):
    login_staff(client, harz_chair)
    html = client.get(f"/verwaltung/lists/candidatelist/{candidate_list.pk}/druck/").content
    html = html.decode()
    for private in ["example.org", "555123", "555777", "Frau", "Migration", "Mitglied"]:
        assert private not in html


def test_list_page_has_a_print_button_without_inline_script(client, harz_chair, candidate_list):
    login_staff(client, harz_chair)
    html = client.get(f"/verwaltung/lists/candidatelist/{candidate_list.pk}/druck/").content
    html = html.decode()
    assert 'class="print-button"' in html
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/lists/print.js" defer>']
    assert "onclick" not in html


def test_ortsteil_column_only_for_a_gemeinderat(client, harz_chair, election, people):
    candidate_list = make_list(
        get_council(kind="district_council", area_name="Harz"), election=election, places=people
    )
    login_staff(client, harz_chair)
    text = text_of(client.get(f"/verwaltung/lists/candidatelist/{candidate_list.pk}/druck/"))
    assert "Ortsteil" not in text
    assert "Hasserode" not in text


def test_candidate_page_is_prefilled_for_a_member(client, harz_chair, candidate_list):
    place = candidate_list.places.get(position=1)
    login_staff(client, harz_chair)
    url = f"/verwaltung/lists/candidatelist/{candidate_list.pk}/druck/erklaerungen/{place.pk}/"
    text = text_of(client.get(url))
    assert (
        "Familienname Zander Vornamen Anna Maria Beruf oder Stand Tischlerin Geburtsdatum "
        "29.02.1980 Anschrift (Hauptwohnung) Breite Straße 5, 38855 Wernigerode Ortsteil "
        "Hasserode"
    ) in text
    assert (
        "Ich stimme meiner Benennung als Bewerber:in im Wahlvorschlag der Partei DIE LINKE für "
        "die Wahl zur Vertretung Stadtrat Wernigerode (Wahlgebiet Wernigerode) bei der "
        "Kommunalwahl 2029 am 10.06.2029 zu (vorgesehen: Platz 1)."
    ) in text
    assert (
        "Hiermit wird bescheinigt, dass Anna Maria Zander Mitglied der Partei DIE LINKE ist."
        in (text)
    )
    assert "keiner Partei angehöre" not in text
    assert "§ 21 Abs. 12" not in text
    assert "Eides statt" not in text
    assert "Albers" not in text
    assert "example.org" not in text


def test_candidate_page_has_the_declarations_the_person_needs(client, harz_chair, candidate_list):
    place = candidate_list.places.get(position=2)
    login_staff(client, harz_chair)
    url = f"/verwaltung/lists/candidatelist/{candidate_list.pk}/druck/erklaerungen/{place.pk}/"
    text = text_of(client.get(url))
    assert "Ich erkläre, dass ich keiner Partei angehöre (parteilos bin)." in text
    assert "Erklärung nach § 21 Abs. 12 KWG LSA" in text
    assert "Versicherung an Eides statt (Unionsbürger:innen)" in text
    assert "Mitglied der Partei DIE LINKE ist" not in text


def test_all_declarations_of_a_list_in_list_order(client, harz_chair, candidate_list):
    login_staff(client, harz_chair)
    url = f"/verwaltung/lists/candidatelist/{candidate_list.pk}/druck/erklaerungen/"
    text = text_of(client.get(url))
    assert text.index("Familienname Zander") < text.index("Familienname Albers")


def test_print_pages_of_another_district_are_not_found(client, magdeburg_chair, candidate_list):
    login_staff(client, magdeburg_chair)
    place = candidate_list.places.get(position=1)
    base = f"/verwaltung/lists/candidatelist/{candidate_list.pk}/druck/"
    for url in [base, f"{base}erklaerungen/", f"{base}erklaerungen/{place.pk}/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Zander" not in response.content.decode()
