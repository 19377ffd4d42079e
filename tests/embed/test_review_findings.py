"""Security review of the embedding (commit dd17eeb, embed/): reproductions.

The first tests reproduce the review's two findings (a 500 from entries urlsplit cannot
read; international names the IDNA 2003 codec maps to another domain), fixed in
embed/origins.py. The others pin down attacks that were tried and are refused, so that
they stay refused."""

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from candidates.models import Application
from districts.models import District
from embed.origins import allowed_origins, parse_origin, parse_origins
from tests.embed.helpers import EMBED_FORM, EMBED_HARZ, HOMEPAGE, allow, frame_ancestors
from tests.factories import get_district, login_staff, make_application, valid_data

OWN_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def fresh_counters(db):
    cache.clear()  # the form's per-client counters of earlier tests
    yield
    cache.clear()


def admin_post(embed_origins):
    return {
        "contact_person": "",
        "contact_email": "",
        "contact_phone": "",
        "office_hours": "",
        "homepage": "",
        "intro": "",
        "embed_origins": embed_origins,
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }


# --- Finding 1: entries that make urlsplit raise ValueError are not ValidationErrors -----

# "[" is not in parse_origin's refused characters, and urlsplit raises ValueError
# ("Invalid IPv6 URL") for an unbalanced bracket; a netloc whose NFKC form holds
# '/', '?', '#', '@' or ':' raises ValueError too (U+2100 ℀ → "a/c", U+FF03 ＃ → "#").
VALUE_ERROR_ENTRIES = [
    "https://[",
    "https://[::1",
    "https://a\u2100b.de",
    "https://ex\uff03ample.de",
]


@pytest.mark.parametrize("entry", VALUE_ERROR_ENTRIES)
def test_an_entry_urlsplit_cannot_read_is_refused_with_a_message(entry):
    with pytest.raises(ValidationError):
        parse_origin(entry)


@pytest.mark.django_db
def test_team_typing_a_bracket_gets_a_message_not_a_server_error(client, harz_chair):
    harz = get_district("harz")
    login_staff(client, harz_chair)
    client.raise_request_exception = False

    response = client.post(
        reverse("admin:districts_district_change", args=[harz.pk]),
        admin_post("https://[www.dielinke-harz.de"),
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["embed_origins"]


@pytest.mark.django_db
def test_a_stored_unreadable_entry_frames_for_nobody_instead_of_a_server_error(client, election):
    # Written past the validation (raw update, shell, data migration): the module's own
    # promise (allowed_origins: "if the stored text is somehow invalid: then nobody frames
    # them") holds for ValidationError only.
    District.objects.filter(slug="harz").update(embed_origins=f"{HOMEPAGE}\nhttps://[")
    client.raise_request_exception = False

    responses = [client.get(EMBED_HARZ), client.get(EMBED_FORM)]

    assert [response.status_code for response in responses] == [200, 200]
    assert frame_ancestors(responses[0]) == "frame-ancestors 'none'"


# --- Finding 2: IDNA 2003 (Python's "idna" codec) is not what browsers use ---------------


def test_a_sharp_s_domain_is_asked_for_as_the_browser_spells_it():
    # Browsers (WHATWG URL, UTS 46 non-transitional) send https://www.xn--strae-oqa.de as
    # the origin of https://www.straße.de. Python's IDNA 2003 codec would map ß to "ss",
    # i.e. https://www.strasse.de: a domain someone else may own. So the team is asked
    # for the xn-- spelling from the address bar, which is taken as it is.
    with pytest.raises(ValidationError) as error:
        parse_origin("https://www.straße.de")
    assert error.value.code == "idna"
    assert parse_origin("https://www.xn--strae-oqa.de") == "https://www.xn--strae-oqa.de"


def test_a_final_sigma_or_a_joiner_is_asked_for_as_the_browser_spells_it():
    for entry in ("https://\u03c4\u03b5\u03c3\u03c4\u03bf\u03c2.gr", "https://exa\u200dmple.de"):
        with pytest.raises(ValidationError) as error:
            parse_origin(entry)
        assert error.value.code == "idna"
    assert parse_origin("https://xn--wxaikc9b.gr") == "https://xn--wxaikc9b.gr"


# --- Tried and refused today: keep it that way ------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        "https://a.de\r\nSet-Cookie: x=1",
        "https://a.de\x00.evil",
        "https://a.de\u2028script-src",
        "https://a.de\u00a0'unsafe-inline'",
        "https://a.de\u0085x",
        "https://a.de\tx",
        "HTTPS://A.DE:+443",
        "https://a.de:\u0664\u0664\u0663",
        "https://a.de:4_43",
        "https://" + "a" * 64 + ".de",
        "https://" + ".".join(["a" * 63] * 5) + ".de",
        "https://a.de%0d%0ax",
        "https://a.de/;",
        "https://a.de'",
        "https://[::2]",
        "https://[v1.x]",
        "blob:https://a.de",
        "filesystem:https://a.de",
        "ws://localhost",
    ],
)
def test_odd_spellings_never_reach_the_header_unnormalised(entry):
    try:
        origins = parse_origins(entry)
    except ValidationError:
        return
    # Anything that survives is exactly scheme://ascii-host[:port].
    assert all(re.fullmatch(r"https?://[a-z0-9.\-\[\]:]+", origin) for origin in origins)


@pytest.mark.django_db
def test_every_header_value_is_a_plain_origin_even_for_odd_unicode(client, election):
    allow(
        "harz",
        "https://WWW.Dielinke-Harz.DE:443/ https://m\u00fcller-stendal.de https://a\u3002b.de",
    )

    response = client.get(EMBED_HARZ)

    assert frame_ancestors(response) == (
        "frame-ancestors https://www.dielinke-harz.de https://xn--mller-stendal-wob.de "
        "https://a.b.de"
    )


@pytest.mark.django_db
def test_the_embedded_post_counts_against_the_same_client_limit(
    client, election, settings, fresh_counters
):
    settings.PORTAL_APPLICATIONS_PER_IP_PER_HOUR = 2
    allow("harz", HOMEPAGE)
    assert client.post("/harz/wernigerode/", valid_data(email="p1@example.org")).status_code == 302
    assert client.post(
        EMBED_FORM, valid_data(email="p2@example.org"), **OWN_ORIGIN
    ).status_code == (302)

    response = client.post(EMBED_FORM, valid_data(email="p3@example.org"), **OWN_ORIGIN)

    assert response.status_code == 429
    assert Application.objects.count() == 2
    assert response.cookies == {}


@pytest.mark.django_db
def test_the_embedded_answer_is_the_same_whether_or_not_the_address_applied(
    client, election, fresh_counters
):
    allow("harz", HOMEPAGE)
    make_application(email="erika@example.org")

    again = client.post(EMBED_FORM, valid_data(email="erika@example.org"), **OWN_ORIGIN)
    new = client.post(EMBED_FORM, valid_data(email="neu@example.org"), **OWN_ORIGIN)

    assert (again.status_code, new.status_code) == (302, 302)
    first = client.get(again["Location"]).content.decode()
    second = client.get(new["Location"]).content.decode()
    assert first == second


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        # The Host header is what a forger would change; a browser never lets a page do so,
        # and a Host outside ALLOWED_HOSTS is a 400 before the check.
        {"HTTP_ORIGIN": "http://evil.example", "HTTP_HOST": "evil.example"},
        {"HTTP_ORIGIN": "http://evil.example", "HTTP_X_FORWARDED_HOST": "evil.example"},
        {"HTTP_ORIGIN": "https://testserver", "HTTP_X_FORWARDED_PROTO": "https"},
        {"HTTP_ORIGIN": "http://testserver:80"},
        {"HTTP_ORIGIN": "http://TESTSERVER"},
        {"HTTP_ORIGIN": "http://testserver/"},
        {"HTTP_ORIGIN": ""},
        {"HTTP_SEC_FETCH_SITE": "same-origin, cross-site"},
        {"HTTP_SEC_FETCH_SITE": "none"},
    ],
)
def test_header_tricks_do_not_pass_the_origin_check(client, election, headers):
    allow("harz", HOMEPAGE)
    client.raise_request_exception = False

    response = client.post(EMBED_FORM, valid_data(), **headers)

    assert response.status_code in (400, 403)
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_put_goes_through_the_same_origin_check(client, election):
    from urllib.parse import urlencode

    allow("harz", HOMEPAGE)
    response = client.put(
        EMBED_FORM,
        urlencode(valid_data()),
        content_type="application/x-www-form-urlencoded",
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert Application.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/einbetten/",
        "/einbetten/harz/danke/",
        "/einbetten/harz/danke/" + "A" * 5000 + "/",
        "/einbetten/harz/danke/%D9%A9%D9%A9/",
        "/einbetten/harz/danke/+9/",
        "/einbetten/harz/danke/%20/",
        "/einbetten/harz/wernigerode/extra/",
        "/einbetten/harz/vorschau.png",
        "/einbetten/harz/bewerbung/bestaetigen/x/",
        "/einbetten/+9/",
        "/einbetten/harz/+9/",
    ],
)
def test_odd_urls_under_einbetten_are_not_found(client, url, election):
    allow("harz", HOMEPAGE)
    response = client.get(url)
    assert response.status_code == 404
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_nul_in_an_embed_url_is_refused(client, election):
    allow("harz", HOMEPAGE)
    assert client.get("/einbetten/harz/danke/a%00b/").status_code == 400


@pytest.mark.django_db
def test_the_confirm_page_stays_unframeable(client, election):
    from candidates.tokens import confirmation_token

    allow("harz", HOMEPAGE)
    application = make_application()
    url = reverse("candidates:confirm", args=[confirmation_token(application)])

    response = client.get(url)

    assert response.status_code == 200
    assert frame_ancestors(response) == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_districts_websites_never_frame_another_districts_pages(client, election):
    allow("harz", "https://evil.example")
    allow("magdeburg", "https://magdeburg.example.org")
    token = client.post(EMBED_FORM, valid_data(), **OWN_ORIGIN)["Location"].split("/")[-2]

    magdeburg = client.get("/einbetten/magdeburg/")
    foreign_thanks = client.get(f"/einbetten/magdeburg/danke/{token}/")
    foreign_form = client.get("/einbetten/harz/magdeburg/")

    assert frame_ancestors(magdeburg) == "frame-ancestors https://magdeburg.example.org"
    assert foreign_thanks.status_code == 404
    assert foreign_form.status_code == 404


@pytest.mark.django_db
def test_the_snippet_escapes_a_district_name_with_quotes(client, state_office_user, settings):
    settings.PORTAL_BASE_URL = "https://kandidieren.example.org"
    District.objects.filter(slug="harz").update(name='Harz" onload="alert(1)</textarea><b>')
    login_staff(client, state_office_user)

    body = client.get(
        reverse("admin:districts_district_change", args=[get_district("harz").pk])
    ).content.decode()

    assert "</textarea><b>" not in body
    assert 'onload="alert(1)' not in body
    # In the textarea the team sees (and copies) an attribute that stays one attribute.
    assert "title=&quot;Kandidieren im Kreisverband Harz&amp;quot; onload=" in body


def test_stored_text_is_reparsed_on_every_use():
    district = District(embed_origins="https://a.de https://a.de/ HTTPS://A.DE:443")
    assert allowed_origins(district) == ["https://a.de"]


@pytest.mark.django_db
def test_no_answer_of_the_embedded_form_sets_a_cookie(client, election):
    allow("harz", HOMEPAGE)

    answers = [
        client.post(EMBED_FORM, valid_data(email="kaputt"), **OWN_ORIGIN),  # field errors
        client.post(EMBED_FORM, valid_data(), HTTP_ORIGIN="https://evil.example"),  # refused
        client.post(EMBED_FORM, valid_data(), **OWN_ORIGIN),  # thanks redirect
    ]

    assert [answer.status_code for answer in answers] == [200, 403, 302]
    assert [answer.cookies for answer in answers] == [{}, {}, {}]
    assert frame_ancestors(answers[0]) == f"frame-ancestors {HOMEPAGE}"
