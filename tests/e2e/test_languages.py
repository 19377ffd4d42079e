"""The public site in its six languages, in Chromium: the form in Arabic right to left on a
phone (error message, submit, confirmation mail), the language switch by keyboard, and
axe-core on every public page in every language at 360 px and at desktop width.

Expected texts come from the catalogues (locale/<lang>/LC_MESSAGES/django.po), never from
guesses typed here: a test fails when a page shows German where the catalogue has a
translation. The German labels of `fill_valid_application` do not work in Arabic, so the
form is filled by field id.
"""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.test_accessibility import VIEWPORTS, axe_violations
from tests.factories import make_election
from tests.portal.test_translations import catalogue, read_po

PHONE = VIEWPORTS["phone"]
APPLY_PATH = "/harz/wernigerode/"
EASYREAD = "/leichte-sprache/"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Every public page (the apply form with an open election); the Leichte Sprache overview is
# German only (tests/easyread), checked with German below.
PUBLIC_PAGES = {
    "home": "/",
    "district": "/harz/",
    "apply": APPLY_PATH,
    "search": "/suche/?q=Lutherstadt",
    "imprint": "/impressum/",
    "privacy": "/datenschutz/",
    "expectations": "/erwartungen/",
    "about_data": "/ueber-die-daten/",
}

_catalogues = {}


def translated(language, msgid, **values):
    """The catalogue's translation of msgid (German for German), with its placeholders
    filled in."""
    if language == settings.LANGUAGE_CODE:
        text = msgid
    else:
        if language not in _catalogues:
            _catalogues[language] = {
                e.msgid: e.msgstr[0] for e in read_po(catalogue(language)) if not e.msgid_plural
            }
        text = _catalogues[language][msgid]
    return text % values if values else text


def prefixed(language, path):
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def fill_by_id(page, *, first_names="Leyla"):
    """A complete, valid application, filled by field id (the labels are Arabic here)."""
    page.locator("#id_bodies_0").check()
    page.locator("#id_first_names").fill(first_names)
    page.locator("#id_last_name").fill("Yılmaz-Schneider")
    page.locator("#id_date_of_birth").fill("2001-09-14")
    page.locator("#id_occupation").fill("طالبة")
    page.locator("#id_citizenship_0").check()
    page.locator("#id_email").fill("leyla@example.org")
    page.locator("#id_street").fill("Marktstraße 3")
    page.locator("#id_postal_code").fill("38855")
    page.locator("#id_resident_since").fill("2019-10-01")
    page.locator("#id_membership_1").check()
    page.locator("#id_motivation").fill("نحتاج إلى مكان يلتقي فيه الشباب في المدينة.")
    page.locator("#id_support_1").check()
    page.locator("#id_accepts_expectations").check()
    page.locator("#id_privacy_consent").check()


def submit(page, language):
    page.get_by_role("button", name=translated(language, "Bewerbung absenden")).click()


def computed(locator, prop):
    return locator.evaluate(f"element => getComputedStyle(element).{prop}")


def assert_accessible(page):
    found, report = axe_violations(page)
    assert found == [], f"axe-core found violations on {page.url}:\n{report}"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.fixture
def phone_page(page):
    page.set_viewport_size(PHONE)
    return page


def test_arabic_form_is_right_to_left_with_arabic_errors_thanks_and_mail(
    phone_page, live_server, no_third_party_requests
):
    make_election()
    page = phone_page
    page.goto(live_server.url + "/ar" + APPLY_PATH)
    page.wait_for_load_state("load")

    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    stylesheets = page.evaluate("[...document.styleSheets].map(sheet => sheet.href || '')")
    assert [href for href in stylesheets if "/bootstrap" in href] == [
        live_server.url + "/static/vendor/bootstrap/css/bootstrap.rtl.min.css"
    ]
    assert computed(page.locator("body"), "direction") == "rtl"
    # Mirrored: a checkbox sits right of its label, a text label starts at the right.
    box = page.locator("#id_bodies_0").bounding_box()
    label = page.locator("label[for=id_bodies_0]").bounding_box()
    assert box["x"] >= label["x"] + label["width"] - 1
    first_label = page.locator("label[for=id_first_names]")
    assert computed(first_label, "textAlign") in ("start", "right")
    field = page.locator("#id_first_names").bounding_box()
    label = first_label.bounding_box()
    assert abs((label["x"] + label["width"]) - (field["x"] + field["width"])) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # A required field left empty: the message in Arabic next to the field, input kept.
    fill_by_id(page, first_names="")
    submit(page, "ar")
    error = page.locator("#id_first_names_error")
    expect(error).to_have_text(translated("ar", "Bitte füll dieses Feld aus."))
    expect(page.locator("#id_first_names")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_last_name")).to_have_value("Yılmaz-Schneider")
    expect(page.locator("#id_motivation")).to_have_value(
        "نحتاج إلى مكان يلتقي فيه الشباب في المدينة."
    )
    assert computed(error, "direction") == "rtl"
    # Next to the field: in the field's own group, right below the input, aligned with it
    # on the right (measured at one moment: the page scrolls to the error summary).
    expect(page.locator("#div_id_first_names #id_first_names_error")).to_have_count(1)
    field, message = page.evaluate(
        """() => ["#id_first_names", "#id_first_names_error"].map(selector => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return {top: box.top, bottom: box.bottom, right: box.right};
        })"""
    )
    assert 0 <= message["top"] - field["bottom"] < 16
    assert abs(message["right"] - field["right"]) < 2
    assert mail.outbox == []
    assert_accessible(page)

    page.locator("#id_first_names").fill("Leyla")
    page.locator("#id_privacy_consent").check()
    mail.outbox.clear()
    submit(page, "ar")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated("ar", "Danke für deine Bewerbung!")
    )
    assert re.search(r"/ar/bewerbung/danke/[^/]+/$", page.url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(page)
    [confirmation] = mail.outbox
    assert confirmation.to == ["leyla@example.org"]
    assert confirmation.subject == translated(
        "ar", "Bitte bestätige deine Bewerbung für %(name)s", name="Wernigerode"
    )
    assert confirmation.body.startswith(translated("ar", "Hallo %(name)s,", name="Leyla"))
    assert translated("ar", "Solidarische Grüße") in confirmation.body
    assert "Bitte bestätige" not in confirmation.body


def test_addresses_and_numbers_stay_left_to_right_in_arabic(
    phone_page, live_server, no_third_party_requests
):
    make_election()
    page = phone_page
    page.goto(live_server.url + "/ar" + APPLY_PATH)
    page.wait_for_load_state("load")

    directions = {
        field: computed(page.locator(f"#id_{field}"), "direction")
        for field in ("first_names", "email", "phone", "postal_code", "date_of_birth")
    }

    assert directions == {
        "first_names": "rtl",
        "email": "ltr",
        "phone": "ltr",
        "postal_code": "ltr",
        "date_of_birth": "ltr",
    }


def focused_text(page):
    return page.evaluate("document.activeElement.textContent.trim()")


def test_language_switch_works_by_keyboard(page, live_server, no_third_party_requests):
    make_election()
    page.goto(live_server.url + "/ar/harz/")
    summary = page.locator(".language-switch summary")
    expect(summary).to_have_accessible_name(re.compile(translated("ar", "Sprache wählen")))

    for _ in range(10):
        page.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".language-switch")).to_have_attribute("open", "")

    english = page.locator(".language-switch a[hreflang=en]")
    expect(english).to_be_visible()
    for _ in range(len(LANGUAGES)):
        page.keyboard.press("Tab")
        if focused_text(page) == "English":
            break
    expect(english).to_be_focused()
    page.keyboard.press("Enter")

    page.wait_for_url(live_server.url + "/en/harz/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator(".skip-link")).to_have_text(translated("en", "Zum Inhalt springen"))


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_is_accessible_in_every_language(
    page, live_server, no_third_party_requests, language, viewport
):
    """axe-core clean, page in its language, no horizontal scrolling, and a link to the
    Leichte Sprache pages; one browser context for all pages of a language and width."""
    make_election()
    page.set_viewport_size(VIEWPORTS[viewport])
    pages = {name: prefixed(language, path) for name, path in PUBLIC_PAGES.items()}
    if language == settings.LANGUAGE_CODE:
        pages["easyread"] = EASYREAD

    problems = []
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        if name == "search" and page.locator("main .list-group-item").count() < 2:
            problems.append(f"{path}: no list of several hits")
        found, report = axe_violations(page)
        if found:
            problems.append(f"{path}:\n{report}")
        lang = page.locator("html").get_attribute("lang")
        if lang != language:
            problems.append(f'{path}: <html lang="{lang}">')
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORTS[viewport]["width"]:
            problems.append(f"{path}: {width} px wide")
        if page.locator(f'a[href="{EASYREAD}"]').count() == 0:
            problems.append(f"{path}: no link to {EASYREAD}")

    assert problems == [], "\n".join(problems)
