"""A district puts the portal on its own homepage: the snippet from its admin page, on a
page of another origin, shows the district's municipalities in a frame, and a visitor
applies inside it. Another website cannot frame it.

The portal runs at live_server (http://localhost:<port>); the "homepages" are served by
a small HTTP server on 127.0.0.1 (another site to the browser: other host, other port).
"""

import http.server
import threading
from contextlib import contextmanager

import pytest
from django.test import override_settings
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from candidates.models import Application
from districts.models import District
from embed.framing import embed_snippet
from tests.e2e.conftest import fill_valid_application
from tests.factories import make_election


@contextmanager
def homepage(html):
    """A one-page website on 127.0.0.1 with a free port; yields its origin."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def homepage_html(snippet):
    return (
        "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'>"
        "<title>DIE LINKE Harz</title></head><body>"
        "<h1>Willkommen beim Kreisverband Harz</h1><p>Unsere Homepage.</p>"
        f"{snippet}<p id='after'>Fußzeile der Homepage</p></body></html>"
    )


def allow(origin):
    with scopes_disabled():
        harz = District.objects.get(slug="harz")
        harz.embed_origins = origin
        harz.full_clean()
        harz.save()
        return harz


@pytest.fixture
def snippet(live_server):
    make_election()
    with override_settings(PORTAL_BASE_URL=live_server.url), scopes_disabled():
        return embed_snippet(District.objects.get(slug="harz"))


def test_visitor_applies_inside_the_districts_homepage(page, live_server, snippet):
    with homepage(homepage_html(snippet)) as origin:
        allow(origin)
        page.goto(origin + "/")

        frame = page.frame_locator("iframe")
        expect(frame.get_by_role("heading", level=1)).to_have_text("Kandidier im Kreisverband Harz")
        # The frame grows to its page's height (static/embed/resize.js): no inner scrollbar.
        iframe = page.locator("iframe")
        expect(iframe).not_to_have_attribute("style", "width:100%;height:50rem;border:0")
        inner_height = frame.locator("html").evaluate("e => e.getBoundingClientRect().height")
        assert abs(iframe.bounding_box()["height"] - inner_height) <= 2

        frame.get_by_role("link", name="In Wernigerode bewerben").click()
        expect(frame.get_by_role("heading", level=1)).to_have_text("Kandidier in Wernigerode")
        # Still on the homepage: the visitor never left the district's site.
        assert page.url == origin + "/"

        # The frame's page is a frame page object; fill it through the frame.
        inner = next(f for f in page.frames if f.url.startswith(live_server.url))
        assert "/einbetten/harz/wernigerode/" in inner.url
        fill_valid_application(inner)
        inner.get_by_role("button", name="Bewerbung absenden").click()

        expect(frame.get_by_role("heading", level=1)).to_have_text("Danke für deine Bewerbung!")
        assert page.url == origin + "/"
        with scopes_disabled():
            application = Application.objects.get()
        assert (application.email, application.municipality.name) == (
            "leyla@example.org",
            "Wernigerode",
        )
        # The whole way went without a single cookie of the portal's: nothing a browser
        # that blocks third-party cookies could have refused.
        assert page.context.cookies([live_server.url]) == []


def test_a_website_not_entered_by_the_district_cannot_frame_it(page, live_server, snippet):
    with homepage(homepage_html(snippet)) as allowed, homepage(homepage_html(snippet)) as other:
        allow(allowed)
        refusals = []
        page.on(
            "console",
            lambda message: (
                refusals.append(message.text) if "frame-ancestors" in message.text else None
            ),
        )
        page.goto(other + "/")
        page.wait_for_load_state("load")

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Willkommen beim Kreisverband Harz"
        )
        assert page.frame_locator("iframe").get_by_role("heading").count() == 0
        assert any("frame-ancestors" in text for text in refusals)
        inner = page.frames[1]
        assert not inner.url.startswith(live_server.url) or inner.content().count("Kandidier") == 0


def test_other_portal_pages_cannot_be_framed_even_by_the_districts_homepage(
    page, live_server, snippet
):
    other_page = snippet.replace("/einbetten/harz/", "/harz/")
    assert other_page != snippet
    with homepage(homepage_html(other_page)) as origin:
        allow(origin)
        page.goto(origin + "/")
        page.wait_for_load_state("load")
        assert page.frame_locator("iframe").get_by_role("heading").count() == 0


def thanks_height_in_frame(page, origin, live_server, *, with_notes):
    page.goto(origin + "/")
    frame = page.frame_locator("iframe")
    frame.get_by_role("link", name="In Wernigerode bewerben").click()
    expect(frame.get_by_role("heading", level=1)).to_have_text("Kandidier in Wernigerode")
    inner = next(f for f in page.frames if f.url.startswith(live_server.url))
    fill_valid_application(inner)
    email = "notes@example.org" if with_notes else "plain@example.org"
    inner.get_by_label("E-Mail-Adresse").fill(email)
    if with_notes:
        # Too young, not an EU citizen, moved in last month, works for the town.
        inner.get_by_label("Geburtsdatum").fill("2014-02-01")
        inner.get_by_label("eines Staats außerhalb der EU").check()
        inner.get_by_label("Seit wann hast du deine Hauptwohnung in dieser Gemeinde?").fill(
            "2029-01-01"
        )
        inner.get_by_label("Ich arbeite bei", exact=False).check()
    inner.get_by_role("button", name="Bewerbung absenden").click()
    expect(frame.get_by_role("heading", level=1)).to_have_text("Danke für deine Bewerbung!")
    page.wait_for_timeout(500)  # the last height message
    return page.locator("iframe").evaluate("e => e.style.height"), frame


def test_the_homepage_cannot_tell_from_the_height_whether_notes_were_shown(
    page, live_server, snippet
):
    page.set_viewport_size({"width": 360, "height": 740})
    with homepage(homepage_html(snippet)) as origin:
        allow(origin)
        plain, _frame = thanks_height_in_frame(page, origin, live_server, with_notes=False)
        with_notes, frame = thanks_height_in_frame(page, origin, live_server, with_notes=True)

    expect(frame.get_by_text("Ein wichtiger Hinweis zu deiner Kandidatur")).to_be_visible()
    assert plain == with_notes
