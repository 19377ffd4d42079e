"""Leichte Sprache in Chromium: axe-core finds no WCAG 2.1 A/AA violations on every page
at 360 px and at desktop width (tests/e2e/test_accessibility.py runs axe), and a reader
gets from the footer of any page to the form through the Leichte Sprache search."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import VIEWPORTS, assert_no_violations
from tests.factories import make_election

PAGES = {
    "overview": "/leichte-sprache/",
    "council": "/leichte-sprache/gemeinde-rat/",
    "candidacy": "/leichte-sprache/kandidieren/",
    "apply": "/leichte-sprache/bewerben/",
    "after_applying": "/leichte-sprache/nach-der-bewerbung/",
}


@pytest.fixture(params=sorted(VIEWPORTS))
def sized_page(request, page):
    page.set_viewport_size(VIEWPORTS[request.param])
    return page


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_easyread_page(sized_page, live_server, no_third_party_requests, path):
    make_election()
    page = sized_page
    page.goto(live_server.url + path)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert_no_violations(page)


def test_from_an_arabic_page_to_the_form_in_easyread(page, live_server, no_third_party_requests):
    make_election()
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(live_server.url + "/ar/harz/")

    page.locator("footer").get_by_role("link", name="Leichte Sprache").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leichte Sprache")
    page.get_by_role("link", name="Wie bewirbst du dich?").first.click()
    page.get_by_label("Finde deine Gemeinde").fill("38879")
    page.get_by_role("button", name="Suchen").click()

    expect(page).to_have_url(live_server.url + "/harz/wernigerode/")
    expect(page.get_by_role("button", name="Bewerbung absenden")).to_be_visible()
