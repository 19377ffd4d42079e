"""The chair of Kreisverband Harz builds the list for Stadtrat Wernigerode in a real
browser: a new list from the add page, three nominated people in an order, the live
count, the women's share and no blocking problem after saving, then the printable list
with the three names in that order."""

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from candidates.models import Application
from districts.councils import sync_councils
from districts.models import Council, District, Municipality
from lists.models import CandidateList
from portal.demo import reset_second_factor
from tests.factories import get_council, make_application, make_election, make_staff_user
from tests.portal.totp import code_for

PASSWORD = "Harz-Wahlteam-2029!"


def sign_in(page, live_server, user):
    page.goto(live_server.url + "/verwaltung/")
    page.get_by_label("E-Mail").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.locator("input[name=code]").fill(code_for(user))
    page.locator("form button[type=submit]").first.click()
    # Signed in: the admin (or the district's overview it leads to), not the 2FA page.
    expect(page.locator("#user-tools")).to_be_visible()


def test_harz_chair_builds_and_prints_the_list_for_wernigerode(
    page, live_server, no_third_party_requests, tmp_path
):
    with scopes_disabled():
        if not Council.objects.exists():
            # A live_server flush empties the councils; the data migration made them.
            sync_councils(District, Municipality, Council)
        make_election()
        nominated = Application.Status.NOMINATED
        woman = Application.Gender.WOMAN
        anna = make_application(last_name="Albrecht", status=nominated, gender=woman)
        bernd = make_application(
            last_name="Brandt", first_names="Bernd", status=nominated, gender="man"
        )
        carla = make_application(last_name="Clausen", status=nominated, gender=woman)
        chair = make_staff_user("chair@harz.example.org", districts=["harz"], password=PASSWORD)
        reset_second_factor(chair)
        council = get_council()

    sign_in(page, live_server, chair)
    page.goto(live_server.url + f"/verwaltung/lists/candidatelist/add/?council={council.pk}")
    expect(page.get_by_label("Vertretung")).to_have_value(str(council.pk))
    page.locator("#id_assembly_at_0").fill("2029-02-14")
    page.locator("#id_assembly_at_1").fill("18:30")
    page.get_by_label("Ort der Versammlung").fill("Rathaus Wernigerode")
    page.get_by_role("button", name="Sichern", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("ist angelegt")

    # Rows in another order than the places: the numbers decide.
    for row, (person, position) in enumerate([(carla, 3), (anna, 1), (bernd, 2)]):
        page.locator(f"#id_places-{row}-application").select_option(str(person.pk))
        page.locator(f"#id_places-{row}-position").fill(str(position))
    limit = council.max_list_length
    # Counted in the browser, before saving.
    expect(page.locator("#list-count-text")).to_have_text(f"3 von höchstens {limit} Namen")
    page.get_by_role("button", name="Sichern", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("Die Liste ist gespeichert.")
    # No women's share of a single list: it would tell a person's gender.
    expect(page.locator("#share-list")).to_have_count(0)
    expect(page.locator(".list-ok")).to_have_text("Keine Probleme gefunden.")
    page.screenshot(path=tmp_path / "list.png", full_page=True)
    with scopes_disabled():
        candidate_list = CandidateList.objects.get()
        assert [p.application.last_name for p in candidate_list.places.order_by("position")] == [
            "Albrecht",
            "Brandt",
            "Clausen",
        ]

    page.get_by_role("link", name="Liste drucken").click()
    rows = page.locator("table.list-table tbody tr")
    expect(rows).to_have_count(3)
    for index, name in enumerate(["Albrecht", "Brandt", "Clausen"]):
        expect(rows.nth(index).locator("td").nth(1)).to_have_text(name)
    expect(page.get_by_role("button", name="Drucken")).to_be_visible()
    page.screenshot(path=tmp_path / "print.png", full_page=True)
