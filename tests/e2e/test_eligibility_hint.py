"""The live eligibility hint on a phone: an answer that rules someone out is explained
next to its field before submitting; without JavaScript the thank-you page says it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import fill_valid_application
from tests.factories import make_election

PHONE = {"width": 360, "height": 740}
SEVENTEEN_ON_ELECTION_DAY = "2011-06-11"
TOO_YOUNG = "Du bist am Wahltag noch nicht 18 Jahre alt."


@pytest.fixture
def phone_page(page):
    page.set_viewport_size(PHONE)
    return page


def test_under_18_sees_the_hint_next_to_the_field_before_submitting(
    phone_page, live_server, no_third_party_requests
):
    make_election()
    page = phone_page
    page.goto(live_server.url + "/harz/wernigerode/")
    hint = page.locator("#eligibility-hint-too_young")
    expect(hint).to_have_attribute("aria-live", "polite")
    expect(hint).to_be_empty()

    page.get_by_label("Geburtsdatum").fill(SEVENTEEN_ON_ELECTION_DAY)

    expect(hint).to_contain_text(TOO_YOUNG)
    expect(hint).to_contain_text("Wählen darfst du bei der Kommunalwahl schon ab 16")
    expect(hint).to_be_visible()
    # Right after the date of birth, still on the form's page.
    assert page.url == live_server.url + "/harz/wernigerode/"
    page.get_by_label("Geburtsdatum").fill("2011-06-10")  # 18 on election day
    expect(hint).to_be_empty()
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_other_answers_show_their_hints(phone_page, live_server, no_third_party_requests):
    make_election()
    page = phone_page
    page.goto(live_server.url + "/harz/wernigerode/")

    page.get_by_label("eines Staats außerhalb der EU").check()
    page.get_by_label("Ich bin Mitglied einer anderen Partei.").check()

    expect(page.locator("#eligibility-hint-citizenship")).to_contain_text(
        "Kandidieren können nur Deutsche und Bürger:innen anderer EU-Staaten."
    )
    expect(page.locator("#eligibility-hint-other_party")).to_contain_text(
        "Auf unserer Liste können nur Mitglieder oder Parteilose stehen."
    )


def test_without_javascript_the_thanks_page_says_it(browser, live_server):
    make_election()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/harz/wernigerode/")
        fill_valid_application(page)
        page.get_by_label("Geburtsdatum").fill(SEVENTEEN_ON_ELECTION_DAY)
        expect(page.locator("#eligibility-hint-too_young")).to_have_count(0)

        page.get_by_role("button", name="Bewerbung absenden").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Danke für deine Bewerbung!")
        expect(page.get_by_text(TOO_YOUNG)).to_be_visible()
    finally:
        context.close()
