"""Meine Bewerbung: the applicant, with only the link from their mail, sees where their
application stands, corrects, withdraws, downloads and deletes it, and gets a new link —
while every link that does not open an application looks like any missing page."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from candidates import services
from candidates.emails import queue_already_applied_mail, queue_confirmation_mail
from candidates.models import Application, DetailChange, StatusChange, display_name
from candidates.selectors import application_history
from notifications.models import OutgoingMail
from selfservice.models import AccessToken
from selfservice.tokens import issue_token, token_hash
from tests.candidates.test_erasure import tables_mentioning
from tests.factories import make_application

NAME = "Qwyxtrommel"
EMAIL = "qwyx.selfservice@example.org"
LINK = re.compile(r"https?://\S+/meine-bewerbung/([A-Za-z0-9_-]+)/")


def page(name, token):
    return reverse(f"selfservice:{name}", kwargs={"token": token})


@pytest.fixture
def application(election):
    return make_application(last_name=NAME, email=EMAIL, phone="0391 123456")


@pytest.fixture
def token(application):
    return issue_token(application)


def _without_request_noise(content):
    """A page's body without what differs per request anyway (CSRF token, CSP nonce)."""
    text = content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'nonce="[^"]+"', "", text)


# --- Seeing where it stands -------------------------------------------------------------


@pytest.mark.django_db
def test_overview_says_where_the_application_stands_and_whom_to_ask(
    client, application, token, harz_chair
):
    application.municipality.district.contact_email = "kv@harz.example.org"
    application.municipality.district.save()
    services.assign(application, assignee=harz_chair, by=harz_chair)
    services.change_status(application, status="contacted", by=harz_chair)

    response = client.get(page("overview", token))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Das Team des Kreisverbands ist mit dir in Kontakt." in text
    assert "kv@harz.example.org" in text
    assert display_name(harz_chair) in text


@pytest.mark.django_db
def test_every_status_has_a_sentence_for_the_applicant():
    from selfservice.views import STATUS_TEXTS

    assert set(STATUS_TEXTS) == set(Application.Status)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["overview", "correct", "withdraw", "my_data", "delete"])
def test_pages_are_not_stored_not_referred_and_not_indexed(client, token, name):
    response = client.get(page(name, token))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


# --- Links that open nothing ------------------------------------------------------------


@pytest.mark.django_db
def test_expired_tampered_rotated_and_erased_links_all_give_the_same_404(
    client, application, token
):
    expired = issue_token(application)
    AccessToken.objects.filter(token_hash=token_hash(expired)).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    rotated = issue_token(application)
    issue_token(application, rotate=True)
    other = make_application(last_name="Andere", email="andere@example.org")
    erased = issue_token(other)
    services.erase_applications(Application.objects.filter(pk=other.pk))
    reference = client.get("/meine-bewerbung/" + "x" * 43 + "/")

    answers = [
        client.get(page(name, bad))
        for bad in (expired, tampered, rotated, erased, token)
        for name in ("overview", "my_data_json", "delete")
    ]

    assert reference.status_code == 404
    assert {response.status_code for response in answers} == {404}
    assert {_without_request_noise(response.content) for response in answers} == {
        _without_request_noise(reference.content)
    }
    assert all("no-store" in response["Cache-Control"] for response in answers)


@pytest.mark.django_db
def test_a_link_opens_only_its_own_application(client, application):
    other = make_application(last_name="Nachbarin", email="nachbarin@example.org")

    shown = client.get(page("my_data", issue_token(other))).content.decode()

    assert "Nachbarin" in shown
    assert NAME not in shown and EMAIL not in shown


@pytest.mark.django_db
def test_the_token_is_random_and_stored_only_as_its_hash(application):
    token = issue_token(application)

    assert len(token) == 43  # 32 random bytes, URL-safe
    assert tables_mentioning(token) == set()
    assert AccessToken.objects.get(application=application).token_hash != token


# --- Correcting ---------------------------------------------------------------------------


def correction_data(application, **overrides):
    data = {
        "bodies": ["council"],
        "first_names": application.first_names,
        "last_name": application.last_name,
        "date_of_birth": application.date_of_birth.isoformat(),
        "occupation": application.occupation,
        "phone": application.phone,
        "street": application.street,
        "postal_code": application.postal_code,
        "town": application.town,
        "ortsteil": application.ortsteil,
        "citizenship": application.citizenship,
        "resident_since": application.resident_since.isoformat(),
        "membership": application.membership,
        "motivation": application.motivation,
        "topics": application.topics,
        "gender": application.gender,
        "migration_history": application.migration_history,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_correcting_the_phone_shows_in_the_district_history_as_done_by_the_person(
    client, application, token, harz_chair
):
    response = client.post(
        page("correct", token), correction_data(application, phone="0171 2345678")
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.phone == "0171 2345678"
    assert list(DetailChange.objects.values_list("fields", "changed_by")) == [(["phone"], None)]
    assert str(DetailChange.objects.get()) == "Telefon"
    history = application_history(application, user=harz_chair)
    assert any("Telefon" in str(entry) for entry in history)


@pytest.mark.django_db
def test_an_invalid_postal_code_is_refused_next_to_the_field_and_nothing_typed_is_lost(
    client, application, token
):
    response = client.post(
        page("correct", token),
        correction_data(application, postal_code="1234", street="Neue Straße 5"),
    )

    assert response.status_code == 200
    assert "postal_code" in response.context["form"].errors
    assert 'value="Neue Straße 5"' in response.content.decode()
    application.refresh_from_db()
    assert application.street == "Breite Straße 1"
    assert DetailChange.objects.count() == 0


@pytest.mark.django_db
def test_the_correction_form_leaves_out_email_municipality_election_and_status(client, token):
    form = client.get(page("correct", token)).context["form"]

    assert {"email", "municipality", "election", "status"} & set(form.fields) == set()


# --- Withdrawing --------------------------------------------------------------------------


@pytest.mark.django_db
def test_withdrawing_tells_the_district_without_personal_data_and_blocks_nomination(
    client, application, token, harz_chair
):
    application.municipality.district.contact_email = "kv@harz.example.org"
    application.municipality.district.save()

    response = client.post(page("withdraw", token))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert list(StatusChange.objects.values_list("to_status", "changed_by", "note")) == [
        ("withdrawn", None, "von der Person selbst zurückgezogen")
    ]
    notices = OutgoingMail.objects.filter(kind=OutgoingMail.Kind.DISTRICT_WITHDRAWN)
    assert {mail.to for mail in notices} >= {"kv@harz.example.org"}
    for mail in notices:
        assert mail.subject == "Eine Bewerbung in Wernigerode wurde zurückgezogen"
        assert NAME not in mail.body + mail.subject
        assert EMAIL not in mail.body
    with pytest.raises(ValidationError):
        services.change_status(application, status="nominated", by=harz_chair)


@pytest.mark.django_db
def test_withdrawing_an_unconfirmed_application_erases_it(client, election):
    application = make_application(
        last_name=NAME, email=EMAIL, status="unconfirmed", confirmed_at=None
    )
    token = issue_token(application)

    response = client.post(page("withdraw", token))

    assert response.url == reverse("selfservice:deleted")
    assert tables_mentioning(NAME, EMAIL) == set()


# --- Seeing and downloading everything -------------------------------------------------


@pytest.mark.django_db
def test_my_data_shows_and_downloads_everything_stored(client, application, token):
    queue_confirmation_mail(application)
    services.update_application(application, by=None, changes={"phone": "0171 9999999"})

    shown = client.get(page("my_data", token)).content.decode()
    download = client.get(page("my_data_json", token))

    for text in (NAME, EMAIL, "0171 9999999", "Telefon", "Bitte bestätige deine Bewerbung"):
        assert text in shown
    assert download["Content-Disposition"] == 'attachment; filename="meine-bewerbung.json"'
    assert "no-store" in download["Cache-Control"]
    data = json.loads(download.content)
    assert data["bewerbung"]["last_name"] == NAME
    assert data["bewerbung"]["email"] == EMAIL
    assert data["geaenderte_angaben"][0]["fields"] == ["Telefon"]
    assert [mail["subject"] for mail in data["emails"]] == [
        "Bitte bestätige deine Bewerbung für Wernigerode"
    ]


# --- Deleting -------------------------------------------------------------------------


@pytest.mark.django_db
def test_deleting_leaves_no_trace_of_the_person(client, application, token, harz_chair):
    queue_confirmation_mail(application)
    services.change_status(application, status="contacted", by=harz_chair)
    services.update_application(application, by=None, changes={"phone": "0171 9999999"})
    assert tables_mentioning(NAME, EMAIL)

    response = client.post(page("delete", token))

    assert response.url == reverse("selfservice:deleted")
    assert client.get(response.url).status_code == 200
    assert tables_mentioning(NAME, EMAIL) == set()
    assert AccessToken.objects.count() == 0
    assert client.get(page("overview", token)).status_code == 404


# --- A new link -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_link_is_answered_alike_for_known_and_unknown_addresses(client, application, token):
    known = client.post(reverse("selfservice:new_link"), {"email": EMAIL})
    unknown = client.post(reverse("selfservice:new_link"), {"email": "niemand@example.org"})

    assert (known.status_code, known["Location"], known.content) == (
        unknown.status_code,
        unknown["Location"],
        unknown.content,
    )
    assert list(OutgoingMail.objects.values_list("to", "kind")) == [
        (EMAIL, OutgoingMail.Kind.APPLICANT_SELF_SERVICE_LINK)
    ]
    new_token = LINK.search(OutgoingMail.objects.get().body).group(1)
    assert client.get(page("overview", new_token)).status_code == 200
    # Rotation: the old link is gone.
    assert client.get(page("overview", token)).status_code == 404


@pytest.mark.django_db
def test_a_new_link_for_an_unconfirmed_application_brings_the_confirmation_link_again(
    client, election
):
    make_application(email=EMAIL, status="unconfirmed", confirmed_at=None)

    client.post(reverse("selfservice:new_link"), {"email": EMAIL})

    body = OutgoingMail.objects.get().body
    assert "/bewerbung/bestaetigen/" in body
    assert "/meine-bewerbung/" in body


@pytest.mark.django_db
def test_new_links_over_the_client_limit_get_a_friendly_429(client, application, settings):
    cache.clear()  # the counters of earlier tests
    settings.PORTAL_APPLICATIONS_PER_IP_PER_HOUR = 1
    client.post(reverse("selfservice:new_link"), {"email": EMAIL})

    response = client.post(reverse("selfservice:new_link"), {"email": EMAIL})

    assert response.status_code == 429
    assert "sehr viele Anfragen" in response.content.decode()
    assert OutgoingMail.objects.count() == 1


@pytest.mark.django_db
def test_new_links_over_the_address_limit_are_silent(client, application, settings):
    cache.clear()
    settings.PORTAL_APPLICATIONS_PER_EMAIL_PER_DAY = 1
    first = client.post(reverse("selfservice:new_link"), {"email": EMAIL})

    second = client.post(reverse("selfservice:new_link"), {"email": EMAIL})

    assert (second.status_code, second["Location"]) == (first.status_code, first["Location"])
    assert OutgoingMail.objects.count() == 1


# --- Mails carry the link ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("queue", [queue_confirmation_mail, queue_already_applied_mail])
def test_every_mail_to_the_applicant_carries_a_working_link(client, application, queue):
    queue(application)

    mail = OutgoingMail.objects.get(to=EMAIL)
    token = LINK.search(mail.body).group(1)
    response = client.get(page("overview", token))

    assert response.status_code == 200
    assert "Meine Bewerbung" in response.content.decode()
