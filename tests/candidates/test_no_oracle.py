"""The public form is no oracle: whatever address is typed, the answer is the same, and
only the owner of the address learns by mail that they had applied already. Also the
thank-you page (random link, no personal data, not cached), e-mail spellings, and text
that could spoof what staff read."""

import base64
import datetime
import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from candidates import tokens
from candidates.models import Application
from tests.factories import APPLY_URL, errors_of, make_application, valid_data

KNOWN = "erika@example.org"
UNKNOWN = "fremd@example.org"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
THANKS = re.compile(r"^/bewerbung/danke/([A-Za-z0-9_-]+)/$")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def answer(data, **extra):
    """POST with a fresh browser and follow the answer: (post response, page shown)."""
    browser = Client()
    response = browser.post(APPLY_URL, data, **extra)
    page = browser.get(response["Location"]) if response.status_code == 302 else response
    return response, page


def comparable(page, address):
    """The page's bytes without the CSRF token and without the address as typed."""
    return CSRF.sub(b"", page.content).replace(address.encode(), b"ADDRESS")


def comparable_headers(response):
    # Expires: the time of the answer (no-store pages), not the address.
    ignored = {"location", "set-cookie", "date", "expires", "content-length"}
    return {k.lower(): v for k, v in response.headers.items() if k.lower() not in ignored}


def applications():
    return sorted(Application.objects.values_list("municipality__slug", "email"))


@pytest.mark.django_db
@pytest.mark.parametrize("earlier_status", ["new", "unconfirmed"])
def test_the_answer_for_a_known_and_an_unknown_address_is_the_same(
    election, earlier_status, django_capture_on_commit_callbacks
):
    confirmed = {} if earlier_status == "new" else {"confirmed_at": None}
    make_application(election=election, email=KNOWN, status=earlier_status, **confirmed)

    with django_capture_on_commit_callbacks(execute=True):
        known_post, known_page = answer(valid_data(email=KNOWN))
        unknown_post, unknown_page = answer(valid_data(email=UNKNOWN))

    assert known_post.status_code == unknown_post.status_code == 302
    assert THANKS.match(known_post["Location"]) and THANKS.match(unknown_post["Location"])
    assert comparable_headers(known_post) == comparable_headers(unknown_post)
    assert known_page.status_code == unknown_page.status_code == 200
    assert known_page.content == unknown_page.content
    assert comparable_headers(known_page) == comparable_headers(unknown_page)
    # Only one new row: the unknown address's; the known one was not stored twice.
    assert applications() == [("wernigerode", KNOWN), ("wernigerode", UNKNOWN)]


@pytest.mark.django_db
def test_an_invalid_form_answers_the_same_for_a_known_and_an_unknown_address(election):
    """Before the fix, "schon eine Bewerbung für …" came back even with every other field
    empty, never rate limited: 218 requests told where a person applied."""
    make_application(election=election, email=KNOWN)
    for data in [{"email": KNOWN}, valid_data(email=KNOWN, postal_code="1")]:
        other = {**data, "email": UNKNOWN}

        known, _page = answer(data)
        unknown, _page = answer(other)

        assert known.status_code == unknown.status_code == 200
        assert comparable(known, KNOWN) == comparable(unknown, UNKNOWN)
        assert "email" not in errors_of(known)


@pytest.mark.django_db
def test_only_the_owner_of_a_known_address_learns_it_by_mail(
    election, django_capture_on_commit_callbacks
):
    make_application(election=election, email=KNOWN)

    with django_capture_on_commit_callbacks(execute=True):
        answer(valid_data(email=KNOWN))
        answer(valid_data(email=UNKNOWN))

    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([KNOWN], "Du hast dich schon für Wernigerode beworben"),
        ([UNKNOWN], "Bitte bestätige deine Bewerbung für Wernigerode"),
    ]
    assert "Deine Bewerbung ist bei uns und bestätigt." in mail.outbox[0].body
    assert "/bewerbung/bestaetigen/" not in mail.outbox[0].body


@pytest.mark.django_db
def test_an_unconfirmed_earlier_application_gets_a_working_confirmation_link(
    client, election, django_capture_on_commit_callbacks
):
    earlier = make_application(
        election=election, email=KNOWN, status="unconfirmed", confirmed_at=None
    )

    with django_capture_on_commit_callbacks(execute=True):
        answer(valid_data(email=KNOWN))
    link = re.search(r"http://testserver(/bewerbung/bestaetigen/\S+/)", mail.outbox[0].body)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link.group(1))

    earlier.refresh_from_db()
    assert mail.outbox[0].subject == "Du hast dich schon für Wernigerode beworben"
    erased_on = timezone.localtime(earlier.created_at) + datetime.timedelta(days=7)
    assert f"Der Link gilt bis zum {erased_on:%d.%m.%Y};" in mail.outbox[0].body
    assert earlier.status == Application.Status.NEW


@pytest.mark.django_db
def test_another_municipality_is_a_new_application_for_the_same_address(election):
    make_application(election=election, email=KNOWN)

    Client().post("/harz/halberstadt/", valid_data(email=KNOWN, town="Halberstadt"))

    assert applications() == [("halberstadt", KNOWN), ("wernigerode", KNOWN)]


# --- E-mail spellings -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spelling",
    ['"erika"@example.org', "ERIKA@EXAMPLE.ORG", ' "Erika"@Example.Org ', "erika@EXAMPLE.org"],
)
def test_other_spellings_of_one_mailbox_are_one_address(
    election, spelling, django_capture_on_commit_callbacks
):
    make_application(election=election, email=KNOWN)

    with django_capture_on_commit_callbacks(execute=True):
        response, _page = answer(valid_data(email=spelling))

    assert response.status_code == 302
    assert applications() == [("wernigerode", KNOWN)]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([KNOWN], "Du hast dich schon für Wernigerode beworben")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        '"erika mustermann"@example.org',
        "erika@[127.0.0.1]",
        "erika@localhost",
        "erika@example",
        "erika@example.org.",
        "erika(kommentar)@example.org",
    ],
)
def test_addresses_that_mail_systems_do_not_deliver_to_are_refused(client, election, address):
    response = client.post(APPLY_URL, valid_data(email=address))

    assert errors_of(response) == {
        "email": ["Bitte gib eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de."]
    }
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_a_sharp_s_domain_is_not_folded_into_another_owners_domain(client, election):
    """IDNA2008: straße.de and strasse.de are two domains with two owners (Python's
    "idna" codec, IDNA2003, would send one's mail to the other)."""
    client.post(APPLY_URL, valid_data(email="erika@straße.de"))
    client.post(APPLY_URL, valid_data(email="erika@strasse.de"))

    assert applications() == [
        ("wernigerode", "erika@strasse.de"),
        ("wernigerode", "erika@xn--strae-oqa.de"),
    ]


@pytest.mark.django_db
def test_an_international_domain_is_stored_in_one_form(client, election):
    client.post(APPLY_URL, valid_data(email="Erika@Müller-Bäckerei.de"))

    assert applications() == [("wernigerode", "erika@xn--mller-bckerei-hfb76a.de")]


# --- The thank-you page -----------------------------------------------------------------


@pytest.mark.django_db
def test_thanks_page_has_an_opaque_link_no_personal_data_and_is_not_stored(election):
    response, page = answer(valid_data())
    token = THANKS.match(response["Location"]).group(1)
    html = page.content.decode()

    assert tokens.load_thanks_page(token) == {
        "municipality": Application.objects.get().municipality_id,
        "reasons": [],
        "works_for_local_authority": False,
    }
    # Encrypted, not signed: nothing of it is readable in a log.
    readable = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert b"municipality" not in readable and b"reasons" not in readable
    again, _page = answer(valid_data(email="zweite@example.org"))
    assert THANKS.match(again["Location"]).group(1) != token  # a fresh IV each time
    assert "Erika" not in html and "example.org" not in html and "Mustermann" not in html
    assert "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "no-referrer"
    assert page["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.django_db
def test_a_thanks_link_made_with_another_secret_key_or_changed_is_404(election, settings):
    response, _page = answer(valid_data())
    token = THANKS.match(response["Location"]).group(1)
    changed = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]

    assert Client().get(f"/bewerbung/danke/{changed}/").status_code == 404
    settings.SECRET_KEY = "another-" + settings.SECRET_KEY
    assert Client().get(response["Location"]).status_code == 404


@pytest.mark.django_db
def test_thanks_page_explains_ineligibility_from_what_was_sent(election):
    _response, page = answer(valid_data(citizenship="other", works_for_local_authority="on"))
    html = page.content.decode()

    assert "Ein wichtiger Hinweis zu deiner Kandidatur" in html
    assert "Zu deiner Arbeit bei einer Verwaltung" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token", ["x" * 22, "1:abc", "%2e%2e", "A" * 200, "٩" * 22, "+9" + "a" * 20]
)
def test_an_unknown_thanks_link_is_404(client, token):
    assert client.get(f"/bewerbung/danke/{token}/").status_code == 404


@pytest.mark.django_db
def test_thanks_link_expires_after_an_hour(election):
    response, _page = answer(valid_data())
    later = time.time() + tokens.THANKS_MAX_AGE + 60

    with mock.patch("candidates.tokens.time.time", return_value=later - 120):
        still = Client().get(response["Location"])
    with mock.patch("candidates.tokens.time.time", return_value=later):
        expired = Client().get(response["Location"])

    assert (still.status_code, expired.status_code) == (200, 404)


# --- Text that could spoof what staff read ----------------------------------------------


@pytest.mark.django_db
def test_direction_controls_are_removed_from_free_text(client, election):
    client.post(
        APPLY_URL,
        valid_data(motivation="Bus\u202efährt\u202c wieder\u200b", topics="\u2066Kita\u2069"),
    )

    application = Application.objects.get()
    assert (application.motivation, application.topics) == ("Busfährt wieder", "Kita")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "last_name",
            "Muster\u202emann",
            "Bitte nur Buchstaben, Leerzeichen, Bindestriche, Punkte und Apostrophe verwenden.",
        ),
        (
            "first_names",
            "E\u0301\u0301\u0301\u0301\u0301rika",
            "Zu viele Akzente oder Zeichen über einem Buchstaben. Bitte tippe es neu.",
        ),
        (
            "last_name",
            "Muster\u0430nn",  # a Cyrillic а inside a Latin word
            "„Musterаnn“ mischt Buchstaben verschiedener Schriften (lateinisch und "
            "kyrillisch), vielleicht durch eine andere Tastatur. Bitte tippe das Wort neu.",
        ),
        (
            "street",
            "Ma\u0456nstraße 1",  # a Cyrillic і
            "„Maіnstraße“ mischt Buchstaben verschiedener Schriften (lateinisch und "
            "kyrillisch), vielleicht durch eine andere Tastatur. Bitte tippe das Wort neu.",
        ),
        (
            "motivation",
            "Bus" + "\u0301" * 8,
            "Zu viele Akzente oder Zeichen über einem Buchstaben. Bitte tippe es neu.",
        ),
    ],
)
def test_spoofing_characters_are_refused_next_to_the_field(client, election, field, value, message):
    response = client.post(APPLY_URL, valid_data(**{field: value}))

    assert errors_of(response) == {field: [message]}


@pytest.mark.django_db
@pytest.mark.parametrize("occupation", ["Erzieher:in", "Student*in", "Büro- & Projektarbeit"])
def test_occupations_in_gender_inclusive_spelling_are_accepted(client, election, occupation):
    response = client.post(APPLY_URL, valid_data(occupation=occupation))

    assert response.status_code == 302
    assert Application.objects.get().occupation == occupation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first_names", "last_name"),
    [("Thị Ngọc", "Nguyễn"), ("مُحَمَّد", "الحسن"), ("Анна", "Иванова"), ("花子", "山田")],
)
def test_real_names_in_every_script_are_accepted(client, election, first_names, last_name):
    response = client.post(APPLY_URL, valid_data(first_names=first_names, last_name=last_name))

    assert response.status_code == 302
    assert Application.objects.get().last_name == last_name
