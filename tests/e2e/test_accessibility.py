"""Automated accessibility checks (WCAG 2.0/2.1, levels A and AA) with axe-core in Chromium.

axe-core comes bundled with axe-playwright-python (axe.min.js inside the wheel) and is
injected with `page.evaluate`: nothing is fetched at run time, and the page's CSP does not
apply to it. `no_third_party_requests` proves the first point on every page.

Every public page is checked on a 360 px phone and at desktop width. axe finds what a
machine can find (contrast, names and labels, ARIA, lists, language, title); it does not
replace trying a page with a keyboard and a screen reader. axe's landmark and heading-order
rules are tagged "best-practice", not WCAG, so this run leaves them out (they were clean on
all these pages when this file was written). The keyboard test at the end covers the skip
link.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import fill_valid_application
from tests.factories import make_election

VIEWPORTS = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 900},
}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
APPLY_PATH = "/harz/wernigerode/"

_axe = Axe()


def axe_violations(page):
    """Run axe on the page; return (violations as (rule id, target) tuples, readable report)."""
    results = _axe.run(page, options=AXE_OPTIONS).response
    found, lines = [], []
    for violation in results["violations"]:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" – {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            found.append((violation["id"], target))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}\n        {summary}")
    return found, "\n".join(lines)


def assert_no_violations(page):
    found, report = axe_violations(page)
    assert found == [], f"axe-core found violations on {page.url}:\n{report}"
    # Reflow (WCAG 1.4.10), which axe does not check: nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.fixture(params=sorted(VIEWPORTS))
def sized_page(request, page):
    page.set_viewport_size(VIEWPORTS[request.param])
    return page


def submit_application(page, live_server, valid=True):
    page.goto(live_server.url + APPLY_PATH)
    fill_valid_application(page)
    if not valid:
        page.get_by_label("Postleitzahl").fill("388")
    page.get_by_role("button", name="Bewerbung absenden").click()


# Pages that need nothing but the reference data. 404: no such district.
STATIC_PAGES = {
    "home": "/",
    "search_hits": "/suche/?q=Lutherstadt",
    "search_no_hit": "/suche/?q=Atlantis",
    "district": "/harz/",
    "imprint": "/impressum/",
    "privacy": "/datenschutz/",
    "about_data": "/ueber-die-daten/",
    "not_found": "/gibt-es-nicht/",
    "login": "/konto/login/",
}


@pytest.mark.parametrize("path", STATIC_PAGES.values(), ids=STATIC_PAGES.keys())
def test_public_page(sized_page, live_server, no_third_party_requests, path):
    make_election()
    page = sized_page
    page.goto(live_server.url + path)
    if path == STATIC_PAGES["search_hits"]:
        # Several hits, so the result list is shown rather than a redirect.
        assert page.locator("main .list-group-item").count() > 1
    assert_no_violations(page)


def test_apply_page(sized_page, live_server, no_third_party_requests):
    make_election()
    page = sized_page
    page.goto(live_server.url + APPLY_PATH)
    expect(page.get_by_role("button", name="Bewerbung absenden")).to_be_visible()
    assert_no_violations(page)


def test_apply_page_with_errors(sized_page, live_server, no_third_party_requests):
    make_election()
    page = sized_page
    submit_application(page, live_server, valid=False)
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_postal_code_error")).to_be_visible()
    assert_no_violations(page)


def test_thanks_page(sized_page, live_server, no_third_party_requests):
    make_election()
    page = sized_page
    submit_application(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für deine Bewerbung!")
    assert re.search(r"/bewerbung/danke/[^/]+/$", page.url)
    assert_no_violations(page)


def test_closed_page(sized_page, live_server, no_third_party_requests):
    # No election open: the municipality's page says so instead of showing the form.
    page = sized_page
    page.goto(live_server.url + APPLY_PATH)
    expect(page.get_by_role("button", name="Bewerbung absenden")).to_have_count(0)
    assert_no_violations(page)


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(
    page, live_server, no_third_party_requests
):
    make_election()
    page.goto(live_server.url + APPLY_PATH)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # visually hidden until focused

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
