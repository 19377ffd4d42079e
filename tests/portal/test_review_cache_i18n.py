"""Security review of the page cache (portal.pagecache), the kept empty form
(candidates.forms.rendered_empty_form) and the languages (i18n_patterns, the language
switch, Application.language, translated markup).

Attacks the portal refuses are ordinary tests; what it does not refuse yet is marked
`xfail(strict=True)` with the finding in its reason, so that a fix turns it green and the
marker must then go."""

import re
import secrets
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from campaigns.models import Source
from candidates import forms as candidate_forms
from candidates.models import Application
from portal import pagecache
from tests.factories import get_district, make_election, valid_data

FORM = "/harz/wernigerode/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HREFLANG = re.compile(r'hreflang="(\w+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings, monkeypatch):
    settings.PORTAL_PAGE_CACHE_SECONDS = 5
    now = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now[0])
    pagecache.forget_everything()
    yield
    pagecache.forget_everything()


def text_of(response):
    return response.content.decode()


# --- the page cache: Host, scheme, HEAD, cookies, tokens ---------------------------------


@pytest.mark.django_db
def test_x_forwarded_host_is_ignored_and_reaches_no_later_visitor():
    make_election()
    attacker = Client().get(FORM, HTTP_X_FORWARDED_HOST="evil.example")
    visitor = Client().get(FORM)

    assert "evil.example" not in text_of(attacker)
    assert "evil.example" not in text_of(visitor)
    assert 'content="http://testserver/harz/wernigerode/"' in text_of(visitor)


@pytest.mark.django_db
def test_a_host_outside_allowed_hosts_is_refused_and_nothing_is_kept():
    response = Client().get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert len(pagecache.PAGES) == 0


@pytest.mark.django_db
def test_each_allowed_host_gets_its_own_entry_with_its_own_addresses():
    make_election()
    other = Client().get(FORM, HTTP_HOST="localhost")
    own = Client().get(FORM)

    assert "http://localhost/harz/wernigerode/" in text_of(other)
    assert "localhost" not in text_of(own)
    assert len(pagecache.PAGES) == 2


@pytest.mark.django_db
def test_a_forged_forwarded_scheme_makes_its_own_entry(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    make_election()
    forged = Client().get(FORM, HTTP_X_FORWARDED_PROTO="https")
    plain = Client().get(FORM)

    assert 'og:url" content="https://testserver' in text_of(forged)
    assert "https://testserver" not in text_of(plain)


@pytest.mark.django_db
def test_a_page_first_asked_for_by_head_is_whole_for_get_with_a_real_token():
    make_election()
    head = Client().head(FORM)
    page = Client(enforce_csrf_checks=True).get(FORM)

    assert head.status_code == 200
    assert "Bewerbung absenden" in text_of(page)
    assert pagecache.PLACEHOLDER not in text_of(page)
    assert len(TOKEN.search(text_of(page)).group(1)) == 64


@pytest.mark.django_db
def test_the_placeholder_is_no_csrf_token():
    make_election()
    client = Client(enforce_csrf_checks=True)
    client.get(FORM)

    posted = client.post(FORM, {**valid_data(), "csrfmiddlewaretoken": pagecache.PLACEHOLDER})

    assert posted.status_code == 403
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_no_page_of_any_kind_shows_the_placeholder():
    make_election()
    client = Client()
    urls = [
        "/",
        "/en/",
        "/suche/?q=halber",
        "/suche/?q=Wernigerode",
        "/harz/",
        FORM,
        "/ar" + FORM,
        "/einbetten/harz/",
        "/einbetten" + FORM,
        "/impressum/",
        "/leichte-sprache/",
        "/harz/keine-gemeinde/",
    ]
    for _round in range(2):
        for url in urls:
            for method in (client.get, client.head):
                assert pagecache.PLACEHOLDER not in text_of(method(url)), url


@pytest.mark.django_db
def test_data_typed_into_the_form_never_reaches_the_next_visitor():
    make_election()
    Client().get(FORM)
    Client().post(FORM, valid_data(last_name="Geheimname", email="not-an-address"))
    Client().post(FORM, valid_data(last_name="Geheimname", contact_me_by_fax_only="x"))

    page = text_of(Client().get(FORM))

    assert "Geheimname" not in page
    assert "not-an-address" not in page
    assert all("Geheimname" not in html for html in candidate_forms._EMPTY_FORMS.values())


@pytest.mark.django_db
def test_the_embedded_form_from_the_cache_sets_no_cookie_and_keeps_its_framing():
    make_election()
    harz = get_district("harz")
    harz.embed_origins = "https://www.dielinke-harz.de"
    harz.save()
    responses = [Client().get("/einbetten" + FORM) for _ in range(2)]

    for response in responses:
        assert response.cookies == {}
        assert "frame-ancestors https://www.dielinke-harz.de" in response["Content-Security-Policy"]
        assert "X-Frame-Options" not in response


@pytest.mark.django_db
def test_pages_for_one_applicant_are_never_kept(client):
    make_election()
    posted = client.post("/en" + FORM, valid_data())
    thanks = client.get(posted["Location"])

    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"]
    assert len(pagecache.PAGES) == 0


@pytest.mark.django_db
def test_an_unknown_municipality_is_not_kept():
    for number in range(20):
        assert Client().get(f"/harz/gibt-es-nicht-{number}/").status_code == 404
        assert Client().get(f"/ar/gibt-es-nicht-{number}/").status_code == 404

    assert len(pagecache.PAGES) == 0


@pytest.mark.django_db
def test_where_a_search_goes_is_kept_per_language():
    english = Client().get("/en/suche/?q=Wernigerode")
    german = Client().get("/suche/?q=Wernigerode")

    assert english["Location"] == "/en/harz/wernigerode/"
    assert german["Location"] == "/harz/wernigerode/"


@pytest.mark.django_db
def test_unknown_campaign_codes_share_the_entry_of_the_page_without_a_code():
    make_election()
    Source.objects.create(district=get_district("harz"), name="Infostand", code="real-code")
    client = Client()
    client.get(FORM)
    for _ in range(20):
        client.get(f"{FORM}?quelle={secrets.token_urlsafe(6)}")

    assert len(pagecache.PAGES) == 1


# --- the kept empty form ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_kept_empty_form_carries_nothing_of_the_request():
    make_election()
    source = Source.objects.create(district=get_district("harz"), name="Stand", code="real-code")
    Client().get(f"{FORM}?quelle={source.code}")
    Client().get(f"{FORM}?quelle=foreign-code")
    plain = text_of(Client().get(FORM))

    assert "real-code" not in plain
    assert "csrfmiddlewaretoken" not in "".join(candidate_forms._EMPTY_FORMS.values())
    assert pagecache.PLACEHOLDER not in "".join(candidate_forms._EMPTY_FORMS.values())


# --- languages ------------------------------------------------------------------------------

ODD_ADDRESSES = [
    "/AR/",
    "/Ar/harz/",
    "/ar-SA/",
    "/ar-sa/harz/wernigerode/",
    "/ar/../",
    "/%61r/",
    "/de/",
    "/de/harz/wernigerode/",
    "/en-gb/harz/",
    "/en_GB/",
    "/en@x/",
    "/zh-hans/",
    "/en/leichte-sprache/",
    "/en/verwaltung/",
    "/ar/%D9%A1%D9%A2/",
    "/ar/harz/%D9%A1%D9%A2/",
    "/ar/suche/?q=%D9%A3%D9%A8%D9%A8%D9%A5%D9%A5",
    "/ar/suche/?q=" + "%D9%A1" * 70,
    "/ar/suche/?q=%E2%80%8F%E2%80%AE",
    "/ar/harz/?quelle=%D9%A1%D9%A2%D9%A3%D9%A4",
    "/ar/meine-bewerbung/%D9%A1/",
    "/ar/bewerbung/danke/%D9%A1/",
    "/ar/bewerbung/bestaetigen/%D9%A1/",
    "/uk/einbetten/harz/danke/x/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ODD_ADDRESSES)
def test_odd_language_spellings_never_answer_500(url):
    make_election()
    client = Client(raise_request_exception=False)
    for _round in range(2):
        # 400: the confirmation page's own answer to a key that is no key.
        assert client.get(url).status_code in (200, 301, 302, 400, 404), url


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/de/", "/de/harz/", "/de/harz/wernigerode/", "/AR/", "/ar-sa/"])
def test_no_second_spelling_of_a_page_exists(url):
    make_election()
    assert Client().get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/en", "/ar"])
def test_pages_whose_address_is_a_secret_have_no_language_switch(prefix):
    make_election()
    client = Client()
    thanks = client.get(client.post(prefix + FORM, valid_data())["Location"])
    application = Application.objects.get()
    from candidates.tokens import confirmation_token
    from selfservice.tokens import issue_token

    confirm = client.get(f"{prefix}/bewerbung/bestaetigen/{confirmation_token(application)}/")
    overview = client.get(f"{prefix}/meine-bewerbung/{issue_token(application)}/")

    for response in (thanks, confirm, overview):
        assert response.status_code == 200
        assert HREFLANG.findall(text_of(response)) == ["de"]  # the Leichte Sprache link
        assert "language-switch" not in text_of(response)


@pytest.mark.django_db
def test_a_posted_language_field_does_not_set_the_applicants_language():
    make_election()
    Client().post(FORM, valid_data(language="xx-evil"), HTTP_ACCEPT_LANGUAGE="ar")
    Client().post(
        "/en/harz/ilsenburg-harz/",
        valid_data(language="ar", email="b@example.org", town="Ilsenburg", postal_code="38871"),
    )

    assert sorted(Application.objects.values_list("language", flat=True)) == ["de", "en"]


@pytest.mark.django_db
def test_already_applied_mail_is_in_the_owners_language_not_the_attackers():
    make_election()
    Client().post(FORM, valid_data())
    mail.outbox.clear()
    from notifications.models import OutgoingMail

    OutgoingMail.objects.all().delete()

    first = Client().post("/ar" + FORM, valid_data())
    again = Client().post("/ar" + FORM, valid_data(email="someone-new@example.org"))

    (already,) = OutgoingMail.objects.filter(kind=OutgoingMail.Kind.APPLICANT_ALREADY_APPLIED)
    assert already.body.startswith("Hallo Erika Maria,")
    # The attacker's answer is the same in both cases: a thank-you page of their language.
    assert first.status_code == again.status_code == 302
    assert first["Location"].startswith("/ar/bewerbung/danke/")
    assert again["Location"].startswith("/ar/bewerbung/danke/")


@pytest.mark.django_db
def test_leichte_sprache_is_german_whatever_the_browser_asks():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    first = client.get("/leichte-sprache/", HTTP_ACCEPT_LANGUAGE="ar")
    second = Client().get("/leichte-sprache/", HTTP_ACCEPT_LANGUAGE="en")

    for response in (first, second):
        assert '<html lang="de" dir="ltr">' in text_of(response)
    assert len(pagecache.PAGES) == 1


@pytest.mark.django_db
def test_the_language_switch_carries_no_campaign_code_and_escapes_the_search_term():
    make_election()
    Source.objects.create(district=get_district("harz"), name="Stand", code="real-code")
    district = text_of(Client().get("/harz/?quelle=real-code"))
    search = text_of(Client().get('/suche/?q="><script>x</script>'))

    assert 'href="/en/harz/"' in district
    assert "/en/harz/?quelle" not in district
    assert "<script>x" not in search
    assert "/en/suche/?q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E" in search


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar", "ru", "uk", "pl"])
def test_the_translated_consent_label_has_exactly_one_link_to_the_privacy_page(language):
    make_election()
    page = text_of(Client().get(f"/{language}{FORM}"))
    label = re.search(r'<label[^>]*for="id_privacy_consent"[^>]*>(.*?)</label>', page, re.S)

    tags = re.findall(r"<[^>]+>", label.group(1))
    assert [tag.split()[0] for tag in tags if "span" not in tag] == ["<a", "</a>"]
    assert f'href="/{language}/datenschutz/"' in label.group(1)


LAYOUT_HTML_TEXTS = [
    "Mehr angeben – jetzt oder später",
    "Das alles brauchen wir, bevor du auf einem Wahlvorschlag stehen",
    "Wir möchten mehr Frauen, junge Menschen und Menschen mit",
]


@pytest.mark.parametrize("language", ["en", "ar", "ru", "uk", "pl"])
def test_translations_put_into_crispy_html_carry_no_template_code_or_markup(language):
    # crispy-forms renders HTML(...) as a Django template, unescaped: a translation with
    # `{{`, `{%` or a tag there would run or inject (candidates.forms._build_helper).
    catalogue = Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", "django.po")
    entries = catalogue.read_text(encoding="utf-8").split("\n\n")
    for start in LAYOUT_HTML_TEXTS:
        (entry,) = [e for e in entries if start in e.replace('"\n"', "")]
        msgstr = "".join(re.findall(r'"(.*)"', entry.split("msgstr", 1)[1]))
        assert msgstr
        assert not re.search(r"\{\{|\{%|\{#|<|>", msgstr), msgstr
