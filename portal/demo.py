"""Demo staff accounts for local development (seed_demo, demo_totp).

Every demo account has an address under example.org (RFC 2606: mail to it reaches
nobody), a verified e-mail address as allauth requires, and a TOTP device, so that a
newcomer can sign in at once: `manage.py demo_totp EMAIL` prints the current code, and
only with DEBUG on. Production has no such shortcut.
"""

import secrets
import time

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.roles import DISTRICT_TEAM_GROUP, STATE_OFFICE_GROUP
from districts.models import District, DistrictMembership

DEMO_EMAIL_DOMAIN = "example.org"


def is_demo_email(email):
    return (email or "").strip().lower().endswith("@" + DEMO_EMAIL_DOMAIN)


@transaction.atomic
def set_up_demo_staff_user(email, *, districts=(), state_office=False):
    """Create or update the staff account `email` with a new random password, the role's
    group (state office, or district team with memberships for the `districts` slugs,
    and no others), a verified primary address, and a new TOTP device with recovery
    codes (any earlier device stops working). Returns (user, password)."""
    if not is_demo_email(email):
        raise ValueError(f"Demo accounts use addresses under @{DEMO_EMAIL_DOMAIN}: {email}")
    user, _created = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email}
    )
    password = secrets.token_urlsafe(16)
    user.email = email
    user.is_active = user.is_staff = True
    user.is_superuser = False
    user.set_password(password)
    user.save()

    # allauth lets nobody sign in without a verified address.
    EmailAddress.objects.filter(user=user).exclude(email=email).delete()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )

    group_name = STATE_OFFICE_GROUP if state_office else DISTRICT_TEAM_GROUP
    user.groups.set([Group.objects.get_or_create(name=group_name)[0]])
    DistrictMembership.objects.filter(user=user).exclude(district__slug__in=districts).delete()
    for district in District.objects.filter(slug__in=districts):
        DistrictMembership.objects.get_or_create(user=user, district=district)

    reset_second_factor(user)
    return user, password


def reset_second_factor(user, secret=None):
    """Replace the user's second factor by a TOTP device with `secret` (a new random one
    by default) and fresh recovery codes. Returns the TOTP Authenticator."""
    Authenticator.objects.filter(user=user).delete()
    authenticator = TOTP.activate(user, secret or generate_totp_secret()).instance
    RecoveryCodes.activate(user)
    return authenticator


def totp_secret(user):
    """The user's TOTP secret in clear (base32), or None without a device."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def current_totp_code(secret, *, at=None):
    """The code an authenticator app shows for `secret` now (or at timestamp `at`), and
    how many seconds it stays valid."""
    now = time.time() if at is None else at
    period = mfa_settings.TOTP_PERIOD
    counter = int(now) // period
    return format_hotp_value(hotp_value(secret, counter)), period - int(now) % period
