"""Form controls on the real application form in Chromium (WCAG 1.4.11 non-text contrast,
2.4.7 focus visible), which axe does not check: the borders of radios, checkboxes and text
inputs, checked and unchecked, against the page; the keyboard focus ring; and the error
summary's links, which must move focus into radio and checkbox groups (fieldsets without
an element of the field's id), with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import fill_valid_application
from tests.factories import make_election

APPLY_PATH = "/harz/wernigerode/"
PHONE = {"width": 360, "height": 740}
MIN_CONTRAST = 3

# The computed colours of an element: its border and background, the outline, and the
# background it sits on (the first ancestor whose background is not transparent).
COLOURS_JS = """element => {
  const style = getComputedStyle(element);
  let parent = element.parentElement, background = "rgb(255, 255, 255)";
  while (parent) {
    const colour = getComputedStyle(parent).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { background = colour; break; }
    parent = parent.parentElement;
  }
  return {
    border: style.borderTopColor,
    borderWidth: style.borderTopWidth,
    fill: style.backgroundColor,
    outlineStyle: style.outlineStyle,
    outlineWidth: style.outlineWidth,
    outlineOffset: style.outlineOffset,
    outline: style.outlineColor,
    page: background,
  };
}"""


def rgb(css_colour):
    """(r, g, b) of a computed colour; only opaque colours are expected here."""
    match = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)", css_colour)
    assert match, css_colour
    assert match.group(4) in (None, "1"), f"translucent colour {css_colour}"
    return tuple(int(match.group(i)) for i in (1, 2, 3))


def luminance(colour):
    linear = [
        value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        for value in (channel / 255 for channel in rgb(colour))
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    darker, lighter = sorted((luminance(first), luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)


def colours(locator):
    return locator.evaluate(COLOURS_JS)


@pytest.fixture
def form_page(page, live_server, no_third_party_requests):
    make_election()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + APPLY_PATH)
    return page


def test_check_and_text_borders_reach_3_to_1_checked_and_unchecked(form_page):
    page = form_page
    radio = page.get_by_label("deutsch", exact=True)
    checkbox = page.get_by_label("Mentoring durch erfahrene Kommunalpolitiker:innen")
    text = page.get_by_label("Vornamen")
    select = page.locator("#id_gender")

    for control in (radio, checkbox, text, select):
        found = colours(control)
        assert found["borderWidth"] == "1px"
        assert contrast(found["border"], found["page"]) >= MIN_CONTRAST, found

    for control in (radio, checkbox):
        control.check()
        page.get_by_label("Postleitzahl").focus()  # no focus styles on the checked one
        found = colours(control)
        assert contrast(found["border"], found["page"]) >= MIN_CONTRAST, found
        # The white mark on the filled box.
        assert contrast(found["fill"], "rgb(255, 255, 255)") >= MIN_CONTRAST, found
        # The party's colour (from /theme.css), not Bootstrap's blue.
        assert rgb(found["fill"]) == (0xE3, 0x00, 0x0F)


def focus_by_keyboard(page, locator):
    """Reach the element with the keyboard: focus it, go one step back and forward again."""
    locator.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(locator).to_be_focused()


def test_keyboard_focus_ring_is_3px_and_contrasts_with_page_and_control(form_page):
    page = form_page
    controls = {
        "radio": page.get_by_label("deutsch", exact=True),
        "checkbox": page.get_by_label("Mentoring durch erfahrene Kommunalpolitiker:innen"),
        "text": page.get_by_label("Familienname"),
        "select": page.locator("#id_gender"),
        "button": page.get_by_role("button", name="Bewerbung absenden"),
        "link": page.get_by_role("link", name="Was wir erwarten und was wir bieten").last,
    }
    for name, control in controls.items():
        focus_by_keyboard(page, control)
        found = colours(control)
        assert found["outlineStyle"] == "solid", name
        assert found["outlineWidth"] == "3px", name
        assert found["outlineOffset"] == "2px", name
        assert contrast(found["outline"], found["page"]) >= MIN_CONTRAST, (name, found)
        if name != "link":  # a link has no border (its computed colour is the text's)
            assert contrast(found["outline"], found["border"]) >= MIN_CONTRAST, (name, found)
        if name in ("button", "radio", "checkbox"):
            assert contrast(found["outline"], found["fill"]) >= MIN_CONTRAST, (name, found)


def submit(page):
    page.get_by_role("button", name="Bewerbung absenden").click()
    expect(page.locator("#error-summary")).to_be_focused()


def test_error_link_of_missing_consent_moves_focus_to_the_checkbox(form_page):
    # The consent is the form's required checkbox; its link targets the input itself.
    page = form_page
    fill_valid_application(page)
    page.get_by_label("Ich willige ausdrücklich ein", exact=False).uncheck()
    submit(page)

    page.locator("#error-summary").get_by_role("link", name="Ich willige", exact=False).click()

    assert page.evaluate("document.activeElement.id") == "id_privacy_consent"


def send_unknown_answer(page, name):
    """An answer the form refuses (as from an old page or a tampered request), so that a
    radio or checkbox group gets an error: no radio group of the form is required."""
    page.locator(f"input[name={name}]").first.evaluate(
        "input => { input.value = 'unbekannt'; input.checked = true; }"
    )


def test_error_links_of_radio_and_checkbox_groups_move_focus_into_the_group(form_page):
    page = form_page
    fill_valid_application(page)
    send_unknown_answer(page, "citizenship")
    send_unknown_answer(page, "bodies")
    submit(page)
    summary = page.locator("#error-summary")

    summary.get_by_role("link", name="Deine Staatsangehörigkeit").click()
    assert page.evaluate("[document.activeElement.name, document.activeElement.type]") == [
        "citizenship",
        "radio",
    ]
    # The question stays in view above the focused answer.
    expect(page.locator("#div_id_citizenship legend")).to_be_in_viewport()

    summary.get_by_role("link", name="Für welche Gremien", exact=False).click()
    assert page.evaluate("document.activeElement.id") == "id_bodies_0"

    # With an answer chosen meanwhile, the link lands on that answer.
    page.get_by_label("eines anderen EU-Staats").check()
    summary.get_by_role("link", name="Deine Staatsangehörigkeit").click()
    assert page.evaluate("document.activeElement.id") == "id_citizenship_1"


def test_error_links_move_focus_without_javascript(browser, live_server):
    make_election()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + APPLY_PATH)
    page.get_by_label("Vornamen").fill("Leyla")
    page.get_by_label("Familienname").fill("Yılmaz-Schneider")
    page.get_by_label("E-Mail-Adresse").fill("leyla@example.org")
    send_unknown_answer(page, "membership")
    page.get_by_role("button", name="Bewerbung absenden").click()

    page.locator("#error-summary").get_by_role("link", name="Mitglied der Partei").click()

    assert page.evaluate("document.activeElement.id") == "id_membership_0"
    context.close()
