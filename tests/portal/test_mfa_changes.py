"""Changing the second factor needs the second factor (accounts.mfa.SecondFactorChangeMiddleware),
and every change is mailed to the account owner through the outbox (allauth's
notifications, accounts.adapters.StaffOnlyAccountAdapter)."""

import re

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import dateformat, timezone
from pytest_django.asserts import assertContains

from notifications.models import OutgoingMail
from portal.demo import current_totp_code, reset_second_factor, totp_secret
from tests.factories import login_staff, make_staff_user
from tests.portal.totp import code_for, wait_for_fresh_totp_period

PASSWORD = "ein-langes-testpasswort-123"
ACTIVATE = reverse("mfa_activate_totp")
DEACTIVATE = reverse("mfa_deactivate_totp")
GENERATE_CODES = reverse("mfa_generate_recovery_codes")
VIEW_CODES = reverse("mfa_view_recovery_codes")
DOWNLOAD_CODES = reverse("mfa_download_recovery_codes")
MFA_INDEX = reverse("mfa_index")
REAUTHENTICATE_WITH_PASSWORD = reverse("account_reauthenticate")
TOTP = Authenticator.Type.TOTP
RECOVERY_CODES = Authenticator.Type.RECOVERY_CODES
SUBJECT_PREFIX = "[Kandidat:innenportal] "
TOTP_ADDED = SUBJECT_PREFIX + "Zwei-Faktor-Anmeldung: Authenticator-App eingerichtet"
TOTP_REMOVED = SUBJECT_PREFIX + "Zwei-Faktor-Anmeldung: Authenticator-App entfernt"
CODES_RENEWED = SUBJECT_PREFIX + "Zwei-Faktor-Anmeldung: neue Wiederherstellungscodes"


@pytest.fixture
def owner(db):
    """A Harz chair with a password, a TOTP device and recovery codes."""
    user = make_staff_user("chair@harz.example.org", districts=["harz"], password=PASSWORD)
    reset_second_factor(user)
    return user


@pytest.fixture
def password_only_client(client, owner):
    """Signed in with password and TOTP longer ago than ACCOUNT_REAUTHENTICATION_TIMEOUT,
    and the password (only) entered again just now: what someone who knows the password
    and finds the browser signed in can do."""
    login_staff(client, owner)
    age_records(client, seconds=account_settings.REAUTHENTICATION_TIMEOUT + 60)
    response = client.post(REAUTHENTICATE_WITH_PASSWORD, {"password": PASSWORD})
    assert response.status_code == 302
    assert record_methods(client) == ["password", "mfa", "password"]
    return client


def age_records(client, *, seconds):
    """Move every authentication record of the client's session into the past."""
    session = client.session
    for record in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        record["at"] -= seconds
    session.save()


def record_methods(client):
    return [record["method"] for record in client.session[AUTHENTICATION_METHODS_SESSION_KEY]]


def code_prompt(next_path):
    """Where the portal asks for a code from the current device before `next_path`."""
    return f"{reverse('mfa_reauthenticate')}?next={next_path.replace('/', '%2F')}"


def authenticators(user):
    return {auth.type: auth for auth in Authenticator.objects.filter(user=user)}


def unused_recovery_codes(user):
    return RecoveryCodes(authenticators(user)[RECOVERY_CODES]).get_unused_codes()


def queued_notices():
    return list(
        OutgoingMail.objects.filter(kind=OutgoingMail.Kind.STAFF_SECURITY)
        .order_by("pk")
        .values_list("to", "subject")
    )


def sent_notices():
    return [(message.to, message.subject) for message in mail.outbox]


def enter_code(client, next_path, code):
    """Answer the code prompt in front of `next_path`; the prompt sends the user on."""
    response = client.post(code_prompt(next_path), {"code": code})
    assert (response.status_code, response.url) == (302, next_path)


# --- The password alone changes nothing -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_password_alone_cannot_deactivate_totp(password_only_client, owner, method):
    response = getattr(password_only_client, method)(DEACTIVATE)

    assert (response.status_code, response.url) == (302, code_prompt(DEACTIVATE))
    assert set(authenticators(owner)) == {TOTP, RECOVERY_CODES}
    assert queued_notices() == []
    prompt = password_only_client.get(response.url)
    assertContains(prompt, "Bitte bestätigen Sie diesen Schritt mit einem Code aus Ihrer")


@pytest.mark.django_db
def test_password_alone_cannot_regenerate_recovery_codes(password_only_client, owner):
    before = unused_recovery_codes(owner)

    response = password_only_client.post(GENERATE_CODES)

    assert (response.status_code, response.url) == (302, code_prompt(GENERATE_CODES))
    assert unused_recovery_codes(owner) == before
    assert queued_notices() == []


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_password_alone_cannot_replace_totp_device(password_only_client, owner, method):
    secret = totp_secret(owner)

    data = {"code": "123456"} if method == "post" else None
    response = getattr(password_only_client, method)(ACTIVATE, data)

    assert (response.status_code, response.url) == (302, code_prompt(ACTIVATE))
    assert totp_secret(owner) == secret
    assert Authenticator.objects.filter(user=owner, type=TOTP).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", [VIEW_CODES, DOWNLOAD_CODES])
def test_password_alone_cannot_read_recovery_codes(password_only_client, owner, url):
    """One recovery code would answer the code prompt, so reading them needs a code too."""
    codes = unused_recovery_codes(owner)

    response = password_only_client.get(url)

    assert (response.status_code, response.url) == (302, code_prompt(url))
    assert not any(code in response.content.decode() for code in codes)


# --- With a code from the current device -------------------------------------------------


@pytest.mark.django_db
def test_totp_code_at_prompt_allows_deactivation_and_mails_owner_once(
    password_only_client, owner, django_capture_on_commit_callbacks
):
    wait_for_fresh_totp_period()
    enter_code(password_only_client, DEACTIVATE, code_for(owner))

    with django_capture_on_commit_callbacks(execute=True):
        response = password_only_client.post(DEACTIVATE)

    assert (response.status_code, response.url) == (302, MFA_INDEX)
    assert authenticators(owner) == {}
    expected = [(owner.email, TOTP_REMOVED)]
    assert queued_notices() == expected
    assert sent_notices() == [([to], subject) for to, subject in expected]


@pytest.mark.django_db
def test_recovery_code_at_prompt_allows_deactivation(password_only_client, owner):
    enter_code(password_only_client, DEACTIVATE, unused_recovery_codes(owner)[0])

    response = password_only_client.post(DEACTIVATE)

    assert (response.status_code, response.url) == (302, MFA_INDEX)
    assert authenticators(owner) == {}


@pytest.mark.django_db
def test_code_at_prompt_allows_regenerating_recovery_codes_and_mails_owner_once(
    password_only_client, owner, django_capture_on_commit_callbacks
):
    before = unused_recovery_codes(owner)
    enter_code(password_only_client, GENERATE_CODES, code_for(owner))

    with django_capture_on_commit_callbacks(execute=True):
        response = password_only_client.post(GENERATE_CODES)

    assert (response.status_code, response.url) == (302, VIEW_CODES)
    assert set(unused_recovery_codes(owner)).isdisjoint(before)
    assert password_only_client.get(VIEW_CODES).status_code == 200
    expected = [(owner.email, CODES_RENEWED)]
    assert queued_notices() == expected
    assert sent_notices() == [([to], subject) for to, subject in expected]


@pytest.mark.django_db
def test_code_from_sign_in_within_timeout_is_enough(client, owner):
    """A code entered at sign-in a moment ago counts; allauth still asks for the password."""
    login_staff(client, owner)
    client.post(REAUTHENTICATE_WITH_PASSWORD, {"password": PASSWORD})

    response = client.post(DEACTIVATE)

    assert (response.status_code, response.url) == (302, MFA_INDEX)
    assert authenticators(owner) == {}


@pytest.mark.django_db
def test_replacing_device_after_code_mails_owner_once_per_change(
    password_only_client, owner, django_capture_on_commit_callbacks
):
    old_secret = totp_secret(owner)
    enter_code(password_only_client, DEACTIVATE, code_for(owner))

    with django_capture_on_commit_callbacks(execute=True):
        password_only_client.post(DEACTIVATE)
    password_only_client.get(ACTIVATE)  # a new secret for the new device
    wait_for_fresh_totp_period()
    new_code, _left = current_totp_code(password_only_client.session[SECRET_SESSION_KEY])
    with django_capture_on_commit_callbacks(execute=True):
        response = password_only_client.post(ACTIVATE, {"code": new_code})

    assert (response.status_code, response.url) == (302, VIEW_CODES)
    assert totp_secret(owner) != old_secret
    assert set(authenticators(owner)) == {TOTP, RECOVERY_CODES}
    expected = [
        (owner.email, TOTP_REMOVED),
        (owner.email, TOTP_ADDED),
    ]
    assert queued_notices() == expected
    assert sent_notices() == [([to], subject) for to, subject in expected]


# --- First enrolment --------------------------------------------------------------------


@pytest.mark.django_db
def test_first_enrolment_needs_only_password_and_mails_owner_once(
    client, django_capture_on_commit_callbacks
):
    newcomer = make_staff_user("neu@harz.example.org", districts=["harz"], password=PASSWORD)
    client.post(reverse("account_login"), {"login": newcomer.email, "password": PASSWORD})
    response = client.get(ACTIVATE)
    assert response.url.startswith(REAUTHENTICATE_WITH_PASSWORD)
    client.post(response.url, {"password": PASSWORD})
    assert client.get(ACTIVATE).status_code == 200

    wait_for_fresh_totp_period()
    code, _left = current_totp_code(client.session[SECRET_SESSION_KEY])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTIVATE, {"code": code})

    assert (response.status_code, response.url) == (302, VIEW_CODES)
    assert client.get(VIEW_CODES).status_code == 200
    assert set(authenticators(newcomer)) == {TOTP, RECOVERY_CODES}
    expected = [(newcomer.email, TOTP_ADDED)]
    assert queued_notices() == expected
    assert sent_notices() == [([to], subject) for to, subject in expected]


# --- The notice -------------------------------------------------------------------------


@pytest.mark.django_db
def test_notice_says_what_and_when_whom_to_contact_and_holds_no_secret(
    password_only_client, owner, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_STATE_OFFICE_EMAIL = "lgs@example.org"
    enter_code(password_only_client, GENERATE_CODES, code_for(owner))
    day_before = dateformat.format(timezone.localtime(), "j. F Y")

    with django_capture_on_commit_callbacks(execute=True):
        password_only_client.post(GENERATE_CODES)

    day_after = dateformat.format(timezone.localtime(), "j. F Y")
    body = OutgoingMail.objects.get(kind=OutgoingMail.Kind.STAFF_SECURITY).body
    assert body.startswith("Guten Tag,")
    assert "neue Wiederherstellungscodes erzeugt" in body
    when = re.search(r"am (\d{1,2}\. \w+ \d{4}) um \d{2}:\d{2} Uhr", body)
    assert when and when.group(1) in {day_before, day_after}
    assert "wenden Sie sich bitte sofort an die Landesgeschäftsstelle (lgs@example.org)" in body
    secrets = [*unused_recovery_codes(owner), totp_secret(owner), code_for(owner)]
    assert not [secret for secret in secrets if secret in body]
    assert not re.search(r"\b(du|dein|deine|dich|dir)\b", body, re.IGNORECASE)
    assert mail.outbox[0].body == body


@pytest.mark.django_db
def test_password_change_is_mailed_too(client, owner, django_capture_on_commit_callbacks):
    """ACCOUNT_EMAIL_NOTIFICATIONS covers the password as well; the text is in "Sie"."""
    login_staff(client, owner)
    client.post(REAUTHENTICATE_WITH_PASSWORD, {"password": PASSWORD})
    new_password = "ein-neues-testpasswort-456"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
        )

    assert response.status_code == 302
    assert queued_notices() == [(owner.email, SUBJECT_PREFIX + "Passwort geändert")]
    body = mail.outbox[0].body
    assert "Ihr Passwort wurde geändert." in body
    assert "Landesgeschäftsstelle" in body


def test_the_admin_offers_no_way_around_the_second_factor_check():
    """allauth's Authenticator admin would delete a second factor without a current code
    and without a mail to its owner."""
    from allauth.mfa.models import Authenticator as AuthenticatorModel
    from django.contrib import admin

    assert not admin.site.is_registered(AuthenticatorModel)
