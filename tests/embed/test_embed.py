"""Embedding on a district's homepage (embed/): which websites a district allows, the
headers that let exactly those frame exactly the embeddable pages, the cookie-free form
inside the frame and the snippet in the district's admin page."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from candidates.models import Application
from districts.models import District
from embed.origins import parse_origin, parse_origins
from tests.embed.helpers import EMBED_FORM, EMBED_HARZ, HOMEPAGE, allow, frame_ancestors
from tests.factories import get_district, login_staff, queries_for, valid_data

# --- Which websites: embed.origins ------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "origin"),
    [
        ("https://www.DieLinke-Harz.de/", "https://www.dielinke-harz.de"),
        ("https://www.dielinke-harz.de:443", "https://www.dielinke-harz.de"),
        ("https://www.dielinke-harz.de:8443", "https://www.dielinke-harz.de:8443"),
        ("https://müller-stendal.de", "https://xn--mller-stendal-wob.de"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ],
)
def test_a_website_address_is_stored_as_the_browser_compares_it(entry, origin):
    assert parse_origin(entry) == origin


@pytest.mark.parametrize(
    "entry",
    [
        "http://www.dielinke-harz.de",  # unencrypted, not on the team's own computer
        "https://www.dielinke-harz.de/kandidieren",  # a path
        "https://*.dielinke-harz.de",
        "*",
        "'self'",
        "'none'",
        "https://a.de;script-src",
        "https://a.de,https://b.de",
        "javascript:alert(1)",
        "data:text/html,x",
        "https://user@a.de",
        "https://a.de?x=1",
        "https://intranet",  # no dot: not a public website
        "https://a..de",
        "https://-a.de",
        "https://a.de:+9",
        "https://a.de:٩٩",
        "https://a.de:0",
        "https://a.de:99999",
        "https://a.de%20",
        "www.dielinke-harz.de",
    ],
)
def test_anything_but_a_plain_website_address_is_refused(entry):
    with pytest.raises(ValidationError):
        parse_origin(entry)


def test_several_websites_one_per_line_without_repeats():
    assert parse_origins(f"{HOMEPAGE}\n\n  https://harz.example.org \n{HOMEPAGE}/\n") == [
        HOMEPAGE,
        "https://harz.example.org",
    ]


def test_a_header_injection_is_refused_as_a_whole():
    with pytest.raises(ValidationError) as error:
        parse_origins(f"{HOMEPAGE}; script-src https://evil.example")
    assert len(error.value.messages) >= 1


@pytest.mark.django_db
def test_the_model_refuses_a_bad_entry_on_every_write_path_that_validates():
    harz = get_district("harz")
    harz.embed_origins = "https://a.de/pfad"
    with pytest.raises(ValidationError) as error:
        harz.full_clean()
    assert list(error.value.message_dict) == ["embed_origins"]


# --- Headers ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_embeddable_pages_name_exactly_the_districts_websites(client, election):
    allow("harz", f"{HOMEPAGE}\nhttps://harz.example.org")
    allow("magdeburg", "https://magdeburg.example.org")

    for url in (EMBED_HARZ, EMBED_FORM):
        response = client.get(url)
        assert response.status_code == 200
        assert frame_ancestors(response) == f"frame-ancestors {HOMEPAGE} https://harz.example.org"
        assert "X-Frame-Options" not in response


@pytest.mark.django_db
def test_a_district_without_websites_stays_unframeable(client, election):
    allow("magdeburg", "https://magdeburg.example.org")

    response = client.get(EMBED_HARZ)

    assert frame_ancestors(response) == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/harz/",
        "/harz/wernigerode/",
        "/suche/?q=Wernigerode",
        "/datenschutz/",
        "/impressum/",
        "/meine-bewerbung/neuer-link/",
        "/verwaltung/login/",
    ],
)
def test_every_other_page_stays_unframeable_even_for_the_districts_website(client, url, election):
    allow("harz", HOMEPAGE)

    response = client.get(url, follow=True)

    assert frame_ancestors(response) == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/einbetten/HARZ/",
        "/einbetten/harz%20/",
        "/einbetten/h%C3%A4rz/",
        "/einbetten/magdeburg/wernigerode/",
        "/einbetten/harz/wernigerode%20/",
        "/einbetten/harz/danke/kein-schluessel/",
        "/einbetten/%D9%A9/",
    ],
)
def test_odd_or_foreign_addresses_are_not_found(client, url, election):
    allow("harz", HOMEPAGE)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_embedded_pages_set_no_cookie_and_link_out_in_a_new_tab(client, election):
    allow("harz", HOMEPAGE)

    district_page = client.get(EMBED_HARZ + "?quelle=kein-code")
    form_page = client.get(EMBED_FORM)

    assert (district_page.cookies, form_page.cookies) == ({}, {})
    assert "csrfmiddlewaretoken" not in form_page.content.decode()
    body = district_page.content.decode()
    assert '<base target="_blank">' in body
    assert f'<a class="btn btn-primary btn-sm" href="{EMBED_FORM}" target="_self"' in body
    assert 'class="portal-header' not in body
    assert f'data-embed-parents="{HOMEPAGE}"' in body
    assert (
        f'<form method="post" action="{EMBED_FORM}" novalidate class="application-form" '
        'target="_self">'
    ) in form_page.content.decode()


@pytest.mark.django_db
def test_the_embedded_district_page_takes_a_fixed_number_of_queries(client, election):
    allow("harz", HOMEPAGE)
    assert queries_for(client, EMBED_HARZ) == queries_for(client, "/harz/") + 1


# --- The form in the frame --------------------------------------------------------------


@pytest.mark.django_db
def test_an_application_sent_from_the_portals_own_page_in_the_frame_goes_through(client, election):
    allow("harz", HOMEPAGE)

    response = client.post(EMBED_FORM, valid_data(), HTTP_ORIGIN="http://testserver")

    assert response.status_code == 302
    assert response["Location"].startswith("/einbetten/harz/danke/")
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Danke für deine Bewerbung!" in thanks.content.decode()
    assert frame_ancestors(thanks) == f"frame-ancestors {HOMEPAGE}"
    assert Application.objects.get().email == "erika@example.org"
    assert client.cookies == {}


@pytest.mark.django_db
def test_browsers_that_send_no_origin_but_fetch_metadata_are_accepted(client, election):
    response = client.post(EMBED_FORM, valid_data(), HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {},  # neither header: cannot tell where it came from
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": HOMEPAGE},  # even the district's own website may not send it
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "http://testserver.evil.example"},
        {"HTTP_ORIGIN": "https://testserver"},  # other scheme
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "same-origin"},
    ],
)
def test_a_form_sent_from_anywhere_else_is_refused_and_nothing_is_stored(client, election, headers):
    allow("harz", HOMEPAGE)

    response = client.post(EMBED_FORM, valid_data(), **headers)

    assert response.status_code == 403
    assert "in einem eigenen Fenster" in response.content.decode()
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_the_normal_form_still_needs_its_csrf_token(election):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/harz/wernigerode/", valid_data(), HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_a_thank_you_key_only_works_under_its_own_district(client, election):
    response = client.post(EMBED_FORM, valid_data(), HTTP_ORIGIN="http://testserver")
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]

    assert client.get(f"/einbetten/magdeburg/danke/{token}/").status_code == 404
    assert client.get(f"/einbetten/harz/danke/{token}/").status_code == 200


@pytest.mark.django_db
def test_the_campaign_source_travels_through_the_frame(client, election, harz_chair):
    from campaigns.models import Source

    harz = get_district("harz")
    source = Source.objects.create(district=harz, name="Homepage des Kreisverbands")

    district_page = client.get(f"{EMBED_HARZ}?quelle={source.code}").content.decode()
    form_page = client.get(f"{EMBED_FORM}?quelle={source.code}").content.decode()
    client.post(EMBED_FORM, valid_data(quelle=source.code), HTTP_ORIGIN="http://testserver")

    assert f'href="{EMBED_FORM}?quelle={source.code}"' in district_page
    assert f'value="{source.code}"' in form_page
    assert Application.objects.get().source == source


# --- The district's admin page ----------------------------------------------------------


def change_url(district):
    return reverse("admin:districts_district_change", args=[district.pk])


@pytest.mark.django_db
def test_team_enters_its_homepage_and_copies_the_snippet(client, harz_chair, settings):
    settings.PORTAL_BASE_URL = "https://kandidieren.example.org"
    harz = get_district("harz")
    login_staff(client, harz_chair)

    before = client.get(change_url(harz)).content.decode()
    saved = client.post(
        change_url(harz),
        {
            "contact_person": "",
            "contact_email": "",
            "contact_phone": "",
            "office_hours": "",
            "homepage": "",
            "intro": "",
            "embed_origins": "https://www.DieLinke-Harz.de/",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    after = client.get(change_url(harz)).content.decode()

    assert saved.status_code == 302
    harz.refresh_from_db()
    assert harz.embed_origins == HOMEPAGE
    assert "Noch keine Website eingetragen" in before
    snippet = (
        "&lt;iframe src=&quot;https://kandidieren.example.org/einbetten/harz/&quot; "
        "title=&quot;Kandidieren im Kreisverband Harz&quot; "
        "style=&quot;width:100%;height:50rem;border:0&quot; loading=&quot;lazy&quot;&gt;"
        "&lt;/iframe&gt;\n"
        "&lt;script src=&quot;https://kandidieren.example.org/static/embed/resize.js&quot; "
        "async&gt;&lt;/script&gt;"
    )
    assert snippet in after
    assert f"auf diesen Websites einbetten: {HOMEPAGE}." in after


@pytest.mark.django_db
def test_a_bad_address_is_shown_next_to_the_field_and_nothing_is_lost(client, harz_chair):
    harz = get_district("harz")
    login_staff(client, harz_chair)

    response = client.post(
        change_url(harz),
        {
            "contact_person": "Clara Zetkin",
            "intro": "Willkommen",
            "embed_origins": "https://www.dielinke-harz.de/kandidieren",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["embed_origins"]
    assert "ohne Pfad" in errors["embed_origins"][0]
    body = response.content.decode()
    assert "https://www.dielinke-harz.de/kandidieren</textarea>" in body
    assert 'value="Clara Zetkin"' in body
    harz.refresh_from_db()
    assert harz.embed_origins == ""


@pytest.mark.django_db
def test_team_cannot_set_another_districts_websites(client, harz_chair):
    magdeburg = get_district("magdeburg")
    login_staff(client, harz_chair)

    response = client.post(
        change_url(magdeburg),
        {
            "embed_origins": "https://evil.example",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 404
    assert District.objects.get(pk=magdeburg.pk).embed_origins == ""


@pytest.mark.django_db
def test_a_stored_entry_that_is_somehow_invalid_frames_for_nobody(client, election):
    # Written past the validation (e.g. a raw update): the header never carries it.
    District.objects.filter(slug="harz").update(
        embed_origins="https://a.de; script-src https://evil.example"
    )

    response = client.get(EMBED_HARZ)

    assert frame_ancestors(response) == "frame-ancestors 'none'"
    assert "evil" not in response["Content-Security-Policy"]
    assert "data-embed-parents" not in response.content.decode()


@pytest.mark.django_db
def test_the_check_command_passes(capsys):
    call_command("check")
