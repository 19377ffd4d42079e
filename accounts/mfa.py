"""The second factor for staff.

allauth offers TOTP but enforces nothing, and stores TOTP secrets as it gets them. This
module adds what the portal needs on top:

- `EncryptingMFAAdapter` encrypts TOTP secrets and recovery-code seeds at rest (Fernet).
- `StaffMFAMiddleware` lets staff into the admin only with a TOTP device set up and used
  in this session, and ends every signed-in session one working day after sign-in.
- `SecondFactorChangeMiddleware` lets the second factor be replaced, removed or its
  recovery codes be shown or renewed only with that factor used recently in this session.
- Two signal receivers keep allauth's per-session authentication records meaningful.
"""

import base64
import logging
import time

from allauth.account import app_settings as account_settings
from allauth.account.authentication import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

_HKDF_INFO = b"kandidatinnenportal: allauth.mfa secrets"


# --- Secrets at rest -------------------------------------------------------------------


def derive_fernet_key(secret):
    """A Fernet key derived from a Django SECRET_KEY (HKDF-SHA256)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(raw)


def configured_fernet_keys():
    """The keys from PORTAL_MFA_ENCRYPTION_KEY, newest first (comma-separated)."""
    value = getattr(settings, "PORTAL_MFA_ENCRYPTION_KEY", "") or ""
    return [key.strip().encode() for key in value.split(",") if key.strip()]


def mfa_fernet():
    """Encrypts with the first configured key, or with the key derived from SECRET_KEY
    when none is configured. Decrypts with any of them, and with the keys derived from
    SECRET_KEY and SECRET_KEY_FALLBACKS, so that setting a key later or rotating
    SECRET_KEY (with the old one in the fallbacks) keeps existing devices readable."""
    derived = [
        derive_fernet_key(secret)
        for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    ]
    keys = [*configured_fernet_keys(), *derived]
    return MultiFernet([Fernet(key) for key in dict.fromkeys(keys)])


class EncryptingMFAAdapter(DefaultMFAAdapter):
    """allauth stores what `encrypt()` returns; the default returns the secret itself."""

    def encrypt(self, text):
        return mfa_fernet().encrypt(text.encode()).decode("ascii")

    def decrypt(self, encrypted_text):
        try:
            return mfa_fernet().decrypt(encrypted_text.encode("ascii")).decode()
        except InvalidToken as error:
            raise ImproperlyConfigured(
                "A second-factor secret cannot be decrypted: PORTAL_MFA_ENCRYPTION_KEY "
                "or SECRET_KEY changed without keeping the old key (see portal/settings.py)."
            ) from error


# --- Enforcement -----------------------------------------------------------------------


def admin_prefix():
    return reverse("admin:index")


def is_admin_request(request):
    return request.path_info.startswith(admin_prefix())


def staff_session_limit():
    """Seconds after sign-in when a session ends, however active it was."""
    return settings.PORTAL_STAFF_SESSION_HOURS * 3600


def signed_in_at(request, user):
    """When this session's sign-in began (allauth's first authentication record)."""
    records = get_authentication_records(request, user)
    return records[0].get("at") if records else None


def used_second_factor(request, user):
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def has_totp(user):
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


def _redirect_with_next(urlname, request):
    return HttpResponseRedirect(
        f"{reverse(urlname)}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
    )


class StaffMFAMiddleware:
    """Runs after allauth's AccountMiddleware.

    For every signed-in user: the session ends `PORTAL_STAFF_SESSION_HOURS` after sign-in.
    Under the admin's path:
    - users who are not active staff get a 403 (as allauth's `secure_admin_login`);
    - staff without a TOTP device are sent to the setup guide;
    - staff whose session has no second-factor record (signed in before setting it up,
      or by any other way) are asked for a code, then sent on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.check(request) or self.get_response(request)

    def check(self, request):
        user = request.user
        if not user.is_authenticated:
            return None
        started = signed_in_at(request, user)
        if started is not None and time.time() - started > staff_session_limit():
            logout(request)
            messages.warning(
                request,
                _(
                    "Ihre Anmeldung ist nach %(hours)d Stunden abgelaufen. Bitte melden Sie "
                    "sich erneut an."
                )
                % {"hours": settings.PORTAL_STAFF_SESSION_HOURS},
            )
            if is_admin_request(request):
                return _redirect_with_next(settings.LOGIN_URL, request)
            return None
        if not is_admin_request(request):
            return None
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not has_totp(user):
            return HttpResponseRedirect(reverse("portal_mfa_setup"))
        if not used_second_factor(request, user):
            return _redirect_with_next("mfa_reauthenticate", request)
        return None


# URL names of allauth's pages that remove, replace or reveal the second factor. allauth
# protects them with `reauthentication_required` only: any authentication record flagged
# "reauthenticated" within ACCOUNT_REAUTHENTICATION_TIMEOUT will do, the password alone
# included. Whoever holds the password and a signed-in browser could then swap the device
# for their own. Viewing the recovery codes is on the list because one of them is enough to
# pass `mfa_reauthenticate`.
SECOND_FACTOR_CHANGE_VIEWS = frozenset(
    {
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_generate_recovery_codes",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
    }
)


def recently_used_second_factor(request, user):
    """Whether this session has a second-factor record (sign-in, `mfa_reauthenticate` or
    activation) younger than ACCOUNT_REAUTHENTICATION_TIMEOUT."""
    cutoff = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == "mfa" and record.get("at", 0) >= cutoff
        for record in get_authentication_records(request, user)
    )


class SecondFactorChangeMiddleware:
    """Runs after StaffMFAMiddleware.

    On allauth's pages in SECOND_FACTOR_CHANGE_VIEWS, a user who has any authenticator must
    have used it (a TOTP code or a recovery code) within ACCOUNT_REAUTHENTICATION_TIMEOUT;
    otherwise they are sent to `mfa_reauthenticate` and then back. allauth's own
    reauthentication check still runs in the view. A user without any authenticator (first
    enrolment) needs only the password, as allauth asks for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in SECOND_FACTOR_CHANGE_VIEWS:
            return None
        user = request.user
        if not user.is_authenticated or not is_mfa_enabled(user):
            return None  # allauth's views send anonymous users to the login
        if recently_used_second_factor(request, user):
            return None
        messages.info(
            request,
            _(
                "Bitte bestätigen Sie diesen Schritt mit einem Code aus Ihrer "
                "Authenticator-App oder mit einem Wiederherstellungscode."
            ),
        )
        return _redirect_with_next("mfa_reauthenticate", request)


# --- Keeping the authentication records meaningful -------------------------------------


def forget_abandoned_sign_ins(sender, request, user, **kwargs):
    """On sign-in, drop records of earlier attempts in this browser session that were
    never finished, so the working day counts from this sign-in. allauth gives up a
    pending sign-in after ACCOUNT_LOGIN_TIMEOUT, so older records cannot belong to it."""
    if request is None or not hasattr(request, "session"):
        return
    records = get_authentication_records(request, user)
    cutoff = time.time() - account_settings.LOGIN_TIMEOUT
    recent = [record for record in records if record.get("at", 0) >= cutoff]
    if recent != records:
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = recent


def count_activation_as_second_factor(sender, request, user, authenticator, **kwargs):
    """Activating TOTP needs the password (allauth asks again) and a valid code from the
    new device: both factors, in this session. Record it, so a newcomer who has just set
    up the app goes on to the admin without typing a second code."""
    if authenticator.type != Authenticator.Type.TOTP or request is None:
        return
    if getattr(request.user, "pk", None) != user.pk:
        return  # someone else's device (e.g. added by an operator): not this session's factor
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    # allauth sends this signal from transaction.on_commit; save the session here so the
    # record is kept however late that runs.
    request.session.save()
