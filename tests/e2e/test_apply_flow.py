"""A first-time applicant on a phone: finds their town, applies, fixes a mistake."""

import re

import pytest
from playwright.sync_api import expect

from candidates.models import Application
from tests.e2e.conftest import fill_valid_application
from tests.factories import make_election

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone_page(page):
    page.set_viewport_size(PHONE)
    return page


def scoped_count():
    try:
        from django_scopes import scopes_disabled
    except ImportError:  # pragma: no cover - before django-scopes is installed
        return Application.objects.count()
    with scopes_disabled():
        return Application.objects.count()


def test_phone_user_finds_town_and_applies(phone_page, live_server, no_third_party_requests):
    make_election()
    page = phone_page
    page.goto(live_server.url + "/")

    page.get_by_label("Wo wohnst du?").fill("Wernigerode")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kandidier in Wernigerode")
    assert page.url == live_server.url + "/harz/wernigerode/"
    # Nothing is wider than the phone's screen (measured once the stylesheets have
    # loaded: the heading can be there before them).
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    fill_valid_application(page)
    page.get_by_role("button", name="Bewerbung absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für deine Bewerbung!")
    expect(page.get_by_text("Jetzt noch: E-Mail bestätigen")).to_be_visible()
    assert re.search(r"/bewerbung/danke/[^/]+/$", page.url)
    assert scoped_count() == 1


def test_mistake_is_shown_next_to_field_and_input_kept(
    phone_page, live_server, no_third_party_requests
):
    make_election()
    page = phone_page
    page.goto(live_server.url + "/harz/wernigerode/")
    fill_valid_application(page)
    page.get_by_label("Postleitzahl").fill("388")
    page.get_by_role("button", name="Bewerbung absenden").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Postleitzahl")
    postal_code = page.get_by_label("Postleitzahl")
    expect(postal_code).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_postal_code_error")).to_have_text(
        "Eine Postleitzahl hat fünf Ziffern, z. B. 38855."
    )
    expect(page.get_by_label("Familienname")).to_have_value("Yılmaz-Schneider")
    expect(page.get_by_label("Warum möchtest du kandidieren?")).to_have_value(
        "Junge Leute brauchen einen Treffpunkt in der Stadt."
    )
    assert scoped_count() == 0

    postal_code.fill("38855")
    page.get_by_label("Ich willige ausdrücklich ein", exact=False).check()
    page.get_by_role("button", name="Bewerbung absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für deine Bewerbung!")
    assert scoped_count() == 1
