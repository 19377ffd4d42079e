"""The chair of Kreisverband Harz in a real browser: password, TOTP code, her own
applications only, a status change with a note that lands in the history."""

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from candidates.models import Application, StatusChange
from portal.demo import reset_second_factor
from tests.factories import get_district, make_application, make_election, make_staff_user
from tests.portal.totp import code_for

PASSWORD = "Harz-Wahlteam-2029!"


def test_harz_chair_signs_in_with_totp_and_moves_an_application_on(
    page, live_server, no_third_party_requests
):
    with scopes_disabled():
        make_election()
        own = make_application(last_name="Harzsentinel", district=get_district("harz"))
        foreign = make_application(last_name="Leckmichnicht", district=get_district("magdeburg"))
        chair = make_staff_user("chair@harz.example.org", districts=["harz"], password=PASSWORD)
        reset_second_factor(chair)

    page.goto(live_server.url + "/verwaltung/")
    page.get_by_label("E-Mail").fill("chair@harz.example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    # The admin stays closed until the second factor is given.
    assert "/konto/2fa/authenticate/" in page.url
    page.locator("input[name=code]").fill(code_for(chair))
    page.locator("form button[type=submit]").first.click()
    # A district team member lands on the district's overview (lists.overview).
    assert page.url == live_server.url + "/verwaltung/uebersicht/harz/"

    page.goto(live_server.url + "/verwaltung/candidates/application/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Harzsentinel")
    expect(page.locator("body")).not_to_contain_text("Leckmichnicht")

    rows.first.locator("a").first.click()
    page.get_by_label("Status ändern").select_option(label="In Kontakt")
    page.get_by_label("Bemerkung zur Statusänderung").fill("Angerufen, Treffen am Montag.")
    page.get_by_role("button", name="Sichern", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()

    with scopes_disabled():
        assert Application.objects.get(pk=own.pk).status == Application.Status.CONTACTED
        change = StatusChange.objects.filter(application=own).latest("changed_at")
        assert (change.from_status, change.to_status, change.changed_by, change.note) == (
            Application.Status.NEW,
            Application.Status.CONTACTED,
            chair,
            "Angerufen, Treffen am Montag.",
        )

    # Another district's application by URL: nothing, not even its name.
    response = page.goto(
        live_server.url + f"/verwaltung/candidates/application/{foreign.pk}/change/"
    )
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Leckmichnicht")
