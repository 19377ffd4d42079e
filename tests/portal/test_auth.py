"""Sign-in through allauth, the second factor the admin requires, and the staff session's
working-day limit (accounts.mfa)."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.authentication import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from notifications.models import OutgoingMail
from portal.demo import current_totp_code, reset_second_factor, set_up_demo_staff_user
from tests.factories import login_staff, make_staff_user
from tests.portal.totp import code_for, wait_for_fresh_totp_period

PASSWORD = "ein-langes-testpasswort-123"
ADMIN = reverse("admin:index")
# Where a district team member's sign-in ends (accounts.adapters.get_login_redirect_url).
OVERVIEW = reverse("admin:overview")
LOGIN = reverse("account_login")
MFA_AUTHENTICATE = reverse("mfa_authenticate")
SETUP_GUIDE = reverse("portal_mfa_setup")
BASE_DIR = Path(__file__).resolve().parents[2]

# Admin URLs a staff member might open directly (bookmarks, links in notification mail).
ADMIN_URLS = [
    "/verwaltung/",
    "/verwaltung/candidates/application/",
    "/verwaltung/candidates/application/1/change/",
    "/verwaltung/auth/user/",
    "/verwaltung/login/",
    "/verwaltung/password_change/",
]


@pytest.fixture
def chair(db):
    """A Harz chair with a password and a TOTP device."""
    user = make_staff_user("chair@harz.example.org", districts=["harz"], password=PASSWORD)
    reset_second_factor(user)
    return user


def sign_in_with_password(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def sign_in(client, user):
    """Password, then the code from the user's device. Returns the code's response."""
    sign_in_with_password(client, user.email)
    return client.post(MFA_AUTHENTICATE, {"code": code_for(user)})


def session_user_id(client):
    return client.session.get("_auth_user_id")


# --- Sign-in goes through allauth --------------------------------------------------------


@pytest.mark.django_db
def test_admin_login_page_redirects_to_allauth_login(client):
    response = client.get("/verwaltung/login/?next=/verwaltung/candidates/application/")

    assert (response.status_code, response.url) == (
        302,
        "/konto/login/?next=%2Fverwaltung%2Fcandidates%2Fapplication%2F",
    )


@pytest.mark.django_db
def test_admin_anonymous_ends_at_allauth_login_with_next(client):
    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain == [
        ("/verwaltung/login/?next=/verwaltung/", 302),
        ("/konto/login/?next=%2Fverwaltung%2F", 302),
    ]
    assertTemplateUsed(response, "account/login.html")


@pytest.mark.django_db
def test_login_page_is_german_bootstrap_without_signup_link(client):
    response = client.get(LOGIN)

    assertContains(response, "Anmelden zur Verwaltung")
    assertContains(response, 'class="btn btn-primary"')
    assertContains(response, 'class="textinput form-control"')
    assertContains(response, reverse("account_reset_password"))
    assertNotContains(response, reverse("account_signup"))
    assertNotContains(response, 'name="remember"')


@pytest.mark.django_db
def test_signup_is_closed_get_shows_no_form(client):
    response = client.get("/konto/signup/")

    assertTemplateUsed(response, "account/signup_closed.html")
    assertContains(response, "Konten für die Verwaltung legt die Landesgeschäftsstelle an")
    assertNotContains(response, 'name="password1"')
    assertNotContains(response, "<form")


@pytest.mark.django_db
def test_signup_is_closed_post_creates_no_account(client):
    response = client.post(
        "/konto/signup/",
        {"email": "neu@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assertTemplateUsed(response, "account/signup_closed.html")
    assert get_user_model().objects.count() == 0


# --- Password, then TOTP ---------------------------------------------------------------


@pytest.mark.django_db
def test_staff_password_login_asks_for_code_and_admin_stays_closed(client, chair):
    response = sign_in_with_password(client, chair.email)

    assert (response.status_code, response.url) == (302, MFA_AUTHENTICATE)
    assert session_user_id(client) is None
    admin = client.get(ADMIN)
    assert (admin.status_code, admin.url) == (302, "/verwaltung/login/?next=/verwaltung/")
    assert client.get("/verwaltung/candidates/application/").status_code == 302


@pytest.mark.django_db
def test_staff_login_with_code_from_secret_reaches_admin(client, chair):
    sign_in_with_password(client, chair.email)

    response = client.post(MFA_AUTHENTICATE, {"code": code_for(chair)})

    assert (response.status_code, response.url) == (302, OVERVIEW)
    admin = client.get(ADMIN)
    assert admin.status_code == 200
    assertContains(admin, '<html lang="de"')
    records = get_authentication_records(admin.wsgi_request, chair)
    assert [record["method"] for record in records] == ["password", "mfa"]


@pytest.mark.django_db
def test_staff_login_with_wrong_code_is_refused(client, chair):
    sign_in_with_password(client, chair.email)
    code = code_for(chair)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    response = client.post(MFA_AUTHENTICATE, {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors == {"code": ["Falscher Code."]}
    assert session_user_id(client) is None


@pytest.mark.django_db
def test_totp_code_replayed_in_second_login_is_refused(client, chair):
    wait_for_fresh_totp_period(min_seconds_left=4)
    code, _left = current_totp_code(totp_secret_of(chair))
    sign_in_with_password(client, chair.email)
    assert client.post(MFA_AUTHENTICATE, {"code": code}).status_code == 302
    client.post(reverse("account_logout"))

    sign_in_with_password(client, chair.email)
    response = client.post(MFA_AUTHENTICATE, {"code": code})

    assert response.status_code == 200
    assert response.context["form"].errors == {"code": ["Falscher Code."]}
    assert session_user_id(client) is None
    assert client.get(ADMIN).status_code == 302


def totp_secret_of(user):
    from portal.demo import totp_secret

    return totp_secret(user)


@pytest.mark.django_db
def test_recovery_code_replaces_app_once(client, chair):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes(
        Authenticator.objects.get(user=chair, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    sign_in_with_password(client, chair.email)

    response = client.post(MFA_AUTHENTICATE, {"code": codes[0]})

    assert (response.status_code, response.url) == (302, OVERVIEW)
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_wrong_password_five_times_locks_out_even_the_right_password(client, chair):
    for _attempt in range(5):
        response = sign_in_with_password(client, chair.email, password="falsch-falsch-falsch")
        assert response.status_code == 200

    response = sign_in_with_password(client, chair.email)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Zu viele gescheiterte Anmeldeversuche. Bitte versuche es später erneut."]
    }
    assert session_user_id(client) is None


# --- The middleware ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_URLS)
def test_staff_without_totp_is_sent_to_setup_guide(client, url):
    user = make_staff_user("neu@harz.example.org", districts=["harz"], password=PASSWORD)
    sign_in_with_password(client, user.email)  # no device yet: the password is enough

    response = client.get(url)

    assert (response.status_code, response.url) == (302, SETUP_GUIDE)


@pytest.mark.django_db
def test_superuser_without_totp_is_sent_to_setup_guide(client, admin_user):
    client.force_login(admin_user)

    response = client.get(ADMIN)

    assert (response.status_code, response.url) == (302, SETUP_GUIDE)


@pytest.mark.django_db
def test_setup_guide_explains_and_links_to_allauth_activation(client):
    user = make_staff_user("neu@harz.example.org", districts=["harz"], password=PASSWORD)
    sign_in_with_password(client, user.email)

    response = client.get(SETUP_GUIDE)

    assertContains(response, "Zwei-Faktor-Anmeldung einrichten", count=2)
    assertContains(response, "Art. 9 DSGVO")
    assertContains(response, f'href="{reverse("mfa_activate_totp")}"')


@pytest.mark.django_db
def test_setup_guide_needs_login(client):
    response = client.get(SETUP_GUIDE)

    assert (response.status_code, response.url) == (302, f"{LOGIN}?next=/konto/zwei-faktor/")


@pytest.mark.django_db
def test_newcomer_sets_up_totp_and_then_reaches_admin(client, django_capture_on_commit_callbacks):
    """The whole first visit: password, guide, allauth's activation page (under our CSP),
    a code from the new app, recovery codes, admin."""
    user = make_staff_user("neu@harz.example.org", districts=["harz"], password=PASSWORD)
    sign_in_with_password(client, user.email)
    activate = reverse("mfa_activate_totp")

    # allauth asks for the password again before a device can be added.
    response = client.get(activate)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(response.url, {"password": PASSWORD})
    page = client.get(activate)

    assert page.status_code == 200
    html = page.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []  # CSP: no inline scripts
    assert " style=" not in html and "<style" not in html  # CSP: no inline styles
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+"', html)
    assert "img-src 'self' data:" in page["Content-Security-Policy"]

    wait_for_fresh_totp_period()
    code, _left = current_totp_code(client.session[SECRET_SESSION_KEY])
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals on commit
        response = client.post(activate, {"code": code})

    assert (response.status_code, response.url) == (302, reverse("mfa_view_recovery_codes"))
    codes_page = client.get(response.url)
    assertContains(codes_page, f'href="{ADMIN}"')
    assert client.get(ADMIN).status_code == 200
    assert Authenticator.objects.filter(user=user).count() == 2


@pytest.mark.django_db
def test_staff_with_totp_but_no_code_in_session_must_enter_code(client, chair):
    client.force_login(chair)  # e.g. signed in before the device existed

    response = client.get("/verwaltung/candidates/application/?q=x")

    assert (response.status_code, response.url) == (
        302,
        "/konto/2fa/reauthenticate/?next=%2Fverwaltung%2Fcandidates%2Fapplication%2F%3Fq%3Dx",
    )
    wait_for_fresh_totp_period()
    follow = client.post(response.url, {"code": code_for(chair)})
    assert (follow.status_code, follow.url) == (302, "/verwaltung/candidates/application/?q=x")
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_session_older_than_working_day_is_signed_out(client, chair, settings):
    sign_in(client, chair)
    age_session(client, hours=settings.PORTAL_STAFF_SESSION_HOURS, extra_seconds=60)

    response = client.get("/verwaltung/candidates/application/")

    assert (response.status_code, response.url) == (
        302,
        f"{LOGIN}?next=%2Fverwaltung%2Fcandidates%2Fapplication%2F",
    )
    assert session_user_id(client) is None
    login_page = client.get(response.url)
    assertContains(login_page, "Ihre Anmeldung ist nach 9 Stunden abgelaufen.")


@pytest.mark.django_db
def test_session_within_working_day_stays(client, chair, settings):
    sign_in(client, chair)
    age_session(client, hours=settings.PORTAL_STAFF_SESSION_HOURS, extra_seconds=-60)

    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_expired_session_on_public_page_is_signed_out_without_redirect(client, chair):
    sign_in(client, chair)
    age_session(client, hours=10)

    response = client.get(reverse("districts:home"))

    assert response.status_code == 200
    assert session_user_id(client) is None


@pytest.mark.django_db
def test_abandoned_earlier_sign_in_does_not_shorten_the_working_day(client, chair):
    sign_in_with_password(client, chair.email)  # …and walked away from the code step
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY][0]["at"] -= 10 * 3600
    del session["account_login"]
    session.save()

    sign_in(client, chair)

    assert client.get(ADMIN).status_code == 200


def age_session(client, *, hours, extra_seconds=0):
    """Move every authentication record of the client's session into the past."""
    session = client.session
    for record in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        record["at"] -= hours * 3600 + extra_seconds
    session.save()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_URLS)
def test_non_staff_user_on_admin_gets_403(client, url):
    user = get_user_model().objects.create_user(
        username="buerger@example.org", email="buerger@example.org", password=PASSWORD
    )
    reset_second_factor(user)
    login_staff(client, user)  # even with both factors in the session

    response = client.get(url)

    assert response.status_code == 403


@pytest.mark.django_db
def test_inactive_staff_is_not_let_in(client, chair):
    login_staff(client, chair)
    get_user_model().objects.filter(pk=chair.pk).update(is_active=False)

    response = client.get(ADMIN)

    assert response.status_code == 302  # Django's ModelBackend drops inactive users


@pytest.mark.django_db
def test_login_staff_session_passes_middleware(client, chair):
    login_staff(client, chair)

    response = client.get(ADMIN)

    assert response.status_code == 200
    records = get_authentication_records(response.wsgi_request, chair)
    assert [record["method"] for record in records] == ["password", "mfa"]


@pytest.mark.django_db
def test_login_staff_gives_a_device_to_users_without_one(client, harz_chair):
    login_staff(client, harz_chair)

    assert client.get(ADMIN).status_code == 200
    assert list(
        Authenticator.objects.filter(user=harz_chair)
        .values_list("type", flat=True)
        .order_by("type")
    ) == [Authenticator.Type.RECOVERY_CODES, Authenticator.Type.TOTP]


# --- allauth's pages in our layout -------------------------------------------------------

ANONYMOUS_ACCOUNT_PAGES = ["/konto/login/", "/konto/password/reset/", "/konto/signup/"]
STAFF_ACCOUNT_PAGES = [
    "/konto/2fa/",
    "/konto/2fa/reauthenticate/",
    "/konto/reauthenticate/",
    "/konto/password/change/",
    "/konto/email/",
    "/konto/sessions/",
    "/konto/logout/",
    "/konto/zwei-faktor/",
]


def inline_code(html):
    """Inline scripts and styles, which our Content-Security-Policy blocks."""
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    styles = re.findall(r"<style\b|\sstyle=", html)
    return scripts + styles


@pytest.mark.django_db
@pytest.mark.parametrize("url", ANONYMOUS_ACCOUNT_PAGES)
def test_account_pages_for_visitors_use_portal_layout_without_inline_code(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assertTemplateUsed(response, "base.html")
    assert inline_code(response.content.decode()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", STAFF_ACCOUNT_PAGES)
def test_account_pages_for_staff_use_portal_layout_without_inline_code(client, chair, url):
    login_staff(client, chair)

    response = client.get(url)

    assert response.status_code == 200
    assertTemplateUsed(response, "base.html")
    assert inline_code(response.content.decode()) == []


@pytest.mark.django_db
def test_account_pages_have_menu_back_to_admin(client, chair):
    login_staff(client, chair)

    response = client.get("/konto/sessions/")

    assertContains(response, f'<a class="nav-link" href="{ADMIN}">Zur Verwaltung</a>', html=True)
    assertContains(response, '<h1 class="h2 mb-3">Angemeldete Sitzungen</h1>', html=True)


# --- Password reset --------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_by_mail_does_not_bypass_second_factor(
    client, chair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": chair.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    # Through the outbox: a mail server that is down would not lose the link.
    sent = OutgoingMail.objects.filter(sent_at__isnull=False)
    assert list(sent.values_list("kind", "to")) == [("staff_account", chair.email)]
    link = re.search(r"http://testserver(/konto/password/reset/key/\S+/)", mail.outbox[0].body)

    form_url = client.get(link.group(1)).url  # allauth moves the key into the session
    new_password = "ein-neues-testpasswort-456"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})

    assert response.status_code == 302
    assert session_user_id(client) is None
    assert client.get(ADMIN).status_code == 302
    response = sign_in_with_password(client, chair.email, password=new_password)
    assert (response.status_code, response.url) == (302, MFA_AUTHENTICATE)


@pytest.mark.django_db
def test_sign_in_gives_a_new_session_and_sign_out_ends_it(client, chair):
    """A session id planted before sign-in (session fixation) is worth nothing after it,
    and after signing out the old session cookie opens nothing."""
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["planted"] = True
    store.save()
    planted = store.session_key
    client.cookies["sessionid"] = planted
    sign_in_with_password(client, chair.email)
    pending = client.cookies["sessionid"].value
    client.post(MFA_AUTHENTICATE, {"code": code_for(chair)})
    signed_in = client.cookies["sessionid"].value
    assert client.get(ADMIN).status_code == 200

    client.post(reverse("account_logout"))
    client.cookies["sessionid"] = signed_in

    assert signed_in not in {planted, pending}
    assert client.get(ADMIN).status_code == 302


# --- Secrets at rest -------------------------------------------------------------------


@pytest.mark.django_db
def test_totp_secret_and_recovery_seed_are_encrypted_at_rest(chair):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    reset_second_factor(chair, secret=secret)

    stored = {
        auth.type: auth.data for auth in Authenticator.objects.filter(user=chair).order_by("type")
    }

    assert secret not in stored[Authenticator.Type.TOTP]["secret"]
    assert stored[Authenticator.Type.TOTP]["secret"].startswith("gAAAAA")  # a Fernet token
    assert stored[Authenticator.Type.RECOVERY_CODES]["seed"].startswith("gAAAAA")
    assert totp_secret_of(chair) == secret


@pytest.mark.django_db
def test_configured_key_encrypts_and_derived_key_still_decrypts(chair, settings):
    from cryptography.fernet import Fernet, InvalidToken

    from accounts.mfa import EncryptingMFAAdapter

    old = EncryptingMFAAdapter().encrypt("ALTERSCHLUESSEL")
    key = Fernet.generate_key().decode()
    settings.PORTAL_MFA_ENCRYPTION_KEY = key

    new = EncryptingMFAAdapter().encrypt("NEUERSCHLUESSEL")

    assert EncryptingMFAAdapter().decrypt(old) == "ALTERSCHLUESSEL"
    assert Fernet(key.encode()).decrypt(new.encode()) == b"NEUERSCHLUESSEL"
    settings.PORTAL_MFA_ENCRYPTION_KEY = ""
    with pytest.raises(InvalidToken):
        Fernet(key.encode()).decrypt(old.encode())


def test_invalid_encryption_key_fails_system_check(settings):
    from accounts.checks import check_mfa_encryption_key

    settings.PORTAL_MFA_ENCRYPTION_KEY = "kein-fernet-schluessel"

    assert [error.id for error in check_mfa_encryption_key()] == ["accounts.E001"]


# --- demo_totp -------------------------------------------------------------------------


def demo_totp(email):
    out = io.StringIO()
    call_command("demo_totp", email, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


@pytest.mark.django_db
def test_demo_totp_refuses_without_debug(settings):
    settings.DEBUG = False
    set_up_demo_staff_user("harz@example.org", districts=["harz"])

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        demo_totp("harz@example.org")


@pytest.mark.django_db
def test_demo_totp_refuses_accounts_outside_example_org(settings):
    settings.DEBUG = True
    user = make_staff_user("chair@harz.example.net", districts=["harz"])
    reset_second_factor(user)

    with pytest.raises(CommandError, match="kein Demo-Konto"):
        demo_totp("chair@harz.example.net")


@pytest.mark.django_db
def test_demo_totp_refuses_unknown_account(settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="Kein Konto mit der Adresse"):
        demo_totp("niemand@example.org")


@pytest.mark.django_db
def test_demo_totp_prints_code_that_allauth_accepts(settings, client):
    settings.DEBUG = True
    user, password = set_up_demo_staff_user("harz@example.org", districts=["harz"])
    sign_in_with_password(client, user.email, password=password)
    wait_for_fresh_totp_period()

    code = demo_totp("harz@example.org")

    assert re.fullmatch(r"\d{6}", code)
    response = client.post(MFA_AUTHENTICATE, {"code": code})
    assert (response.status_code, response.url) == (302, OVERVIEW)
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_demo_account_setup_replaces_device_and_password(settings):
    first_user, first_password = set_up_demo_staff_user("lgs@example.org", state_office=True)
    first_secret = totp_secret_of(first_user)

    user, password = set_up_demo_staff_user("lgs@example.org", state_office=True)

    assert user.pk == first_user.pk
    assert password != first_password
    assert totp_secret_of(user) != first_secret
    assert Authenticator.objects.filter(user=user).count() == 2


# --- Settings --------------------------------------------------------------------------


def settings_in_subprocess(env, expression):
    """Evaluate `expression` against portal.settings imported fresh with `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "DJANGO_"))}
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({expression})",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_production_settings_use_a_shared_cache():
    backend = settings_in_subprocess(
        {"PORTAL_SECRET_KEY": "x" * 50}, "settings.CACHES['default']['BACKEND']"
    )

    assert backend == "django.core.cache.backends.db.DatabaseCache"


def test_local_debug_settings_use_memory_cache():
    backend = settings_in_subprocess({"PORTAL_DEBUG": "1"}, "settings.CACHES['default']['BACKEND']")

    assert backend == "django.core.cache.backends.locmem.LocMemCache"


def test_production_settings_for_sign_in():
    values = settings_in_subprocess(
        {"PORTAL_SECRET_KEY": "x" * 50},
        "settings.MFA_SUPPORTED_TYPES, settings.MFA_TRUST_ENABLED, settings.MFA_TOTP_ISSUER, "
        "settings.ACCOUNT_RATE_LIMITS, settings.SESSION_COOKIE_AGE, "
        "settings.SESSION_EXPIRE_AT_BROWSER_CLOSE, settings.MFA_ADAPTER",
    )

    assert values == (
        "['totp', 'recovery_codes'] False Kandidier mit uns! "
        "{'login_failed': '10/m/ip,5/300s/key'} 32400 True accounts.mfa.EncryptingMFAAdapter"
    )


def test_sessions_expire_at_browser_close_and_after_a_working_day(settings):
    assert (settings.SESSION_EXPIRE_AT_BROWSER_CLOSE, settings.SESSION_COOKIE_AGE) == (
        True,
        9 * 3600,
    )
