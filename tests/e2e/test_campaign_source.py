"""An info stand's QR code, end to end in a real browser: the Harz team prints the flyer
of its source, someone follows the link the QR code encodes from the district page to
Wernigerode, applies and confirms from the mail; the application remembers the source,
and the team's source list and the statistics page count it."""

import re

from django.core import mail
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from campaigns.models import Source
from campaigns.qr import qr_svg
from candidates.models import Application
from portal.demo import reset_second_factor
from tests.e2e.conftest import fill_valid_application
from tests.factories import get_district, make_application, make_election, make_staff_user
from tests.portal.totp import code_for

PASSWORD = "Harz-Wahlteam-2029!"
SOURCE_NAME = "Infostand Marktplatz 12.4."
MM_PER_POINT = 25.4 / 72


def sign_in(page, live_server, user):
    page.goto(live_server.url + "/verwaltung/")
    page.get_by_label("E-Mail").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.locator("input[name=code]").fill(code_for(user))
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("#user-tools")).to_be_visible()


def source_row(page, name):
    return page.locator("#result_list tbody tr").filter(has_text=name)


def test_qr_flyer_link_to_application_to_confirmation_is_counted_for_the_source(
    page, browser, live_server, settings, no_third_party_requests
):
    # The links (QR code, confirmation mail) point at the server the browser talks to.
    settings.PORTAL_BASE_URL = live_server.url
    with scopes_disabled():
        make_election()
        source = Source.objects.create(name=SOURCE_NAME, district=get_district("harz"))
        magdeburg_source = Source.objects.create(
            name="Magdeburg Hbf", district=get_district("magdeburg")
        )
        # Four earlier applications through the same info stand: with the new one the
        # statistics page shows the exact count (fewer than five would read "< 5").
        for _ in range(4):
            make_application(source=source)
        make_application(source=magdeburg_source, district=get_district("magdeburg"))
        chair = make_staff_user("chair@harz.example.org", districts=["harz"], password=PASSWORD)
        reset_second_factor(chair)

    # The team opens its source's printable flyer (A5).
    sign_in(page, live_server, chair)
    page.goto(live_server.url + "/verwaltung/campaigns/source/")
    expect(source_row(page, SOURCE_NAME).locator(".field-application_count")).to_have_text("4")
    expect(page.locator("#result_list")).not_to_contain_text("Magdeburg Hbf")
    source_row(page, SOURCE_NAME).get_by_role(
        "link", name="QR-Code und Link zum Ausdrucken"
    ).click()
    page.get_by_label("Format").select_option(label="Flyer (A5)")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("main.sheet-a5 .place")).to_have_text("Kreisverband Harz")
    link = page.locator("main .link").inner_text()
    assert link == f"{live_server.url}/harz/?quelle={source.code}"
    # The QR code encodes exactly the link written under it.
    svg_url = page.get_by_role("link", name="QR-Code als SVG-Datei herunterladen")
    svg = page.request.get(live_server.url + svg_url.get_attribute("href")).text()
    assert str(qr_svg(link)) in svg

    # Someone at the info stand scans it: the district page, then Wernigerode.
    applicant = browser.new_page()
    applicant.goto(link)
    applicant.get_by_role("link", name="In Wernigerode bewerben").click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Kandidier in Wernigerode")
    assert applicant.url == f"{live_server.url}/harz/wernigerode/?quelle={source.code}"
    fill_valid_application(applicant)
    applicant.get_by_role("button", name="Bewerbung absenden").click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Danke für deine Bewerbung!")

    # The confirmation mail's link, as the applicant's mail program would open it.
    (message,) = [m for m in mail.outbox if m.to == ["leyla@example.org"]]
    confirm_link = re.search(
        rf"{re.escape(live_server.url)}/bewerbung/bestaetigen/\S+/", message.body
    ).group()
    applicant.goto(confirm_link)
    applicant.get_by_role("button", name="Ja, ich habe mich beworben").click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Deine Bewerbung ist bestätigt")
    applicant.close()

    with scopes_disabled():
        application = Application.objects.get(email="leyla@example.org")
        assert (application.source, application.confirmed_at is not None) == (source, True)

    # The team's source list and the statistics page count it.
    page.goto(live_server.url + "/verwaltung/campaigns/source/")
    expect(source_row(page, SOURCE_NAME).locator(".field-application_count")).to_have_text("5")
    page.goto(live_server.url + "/verwaltung/auswertung/")
    expect(page.locator("#tabelle-quellen caption")).to_contain_text("Bewerbungen nach Quelle")
    rows = page.locator("#tabelle-quellen tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.cells].map(cell => cell.textContent.trim()))"
    )
    assert rows == [
        ["Harz", SOURCE_NAME, "5"],
        ["Harz", "ohne Quelle", "< 5"],
        ["Ihre Kreisverbände insgesamt", "mit Quelle", "5"],
        ["Ihre Kreisverbände insgesamt", "ohne Quelle", "< 5"],
    ]
    expect(page.locator("#tabelle-quellen")).not_to_contain_text("Magdeburg")


def test_poster_prints_on_one_a4_page_and_flyer_on_one_a5_page(
    page, live_server, no_third_party_requests
):
    with scopes_disabled():
        source = Source.objects.create(name=SOURCE_NAME, district=get_district("harz"))
        chair = make_staff_user("chair@harz.example.org", districts=["harz"], password=PASSWORD)
        reset_second_factor(chair)
    sign_in(page, live_server, chair)
    qr_page = f"{live_server.url}/verwaltung/campaigns/source/{source.pk}/qr/?gemeinde=wernigerode"

    sizes = {}
    for size in ("a4", "a5"):
        page.goto(f"{qr_page}&format={size}")
        expect(page.locator(f"main.sheet-{size} .place")).to_have_text("Wernigerode")
        # Printed as the browser prints: with the page size the stylesheet's @page asks for.
        pdf = page.pdf(prefer_css_page_size=True).decode("latin-1")
        boxes = re.findall(r"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
        sizes[size] = [
            (round(float(w) * MM_PER_POINT), round(float(h) * MM_PER_POINT)) for w, h in boxes
        ]

    assert sizes == {"a4": [(210, 297)], "a5": [(148, 210)]}
