"""The personal link to "Meine Bewerbung".

The token is 32 random bytes (256 bits, `secrets.token_urlsafe`), so it says nothing
about the application: no id, name or address. Only its SHA-256 is stored; a link is
looked up by that hash and compared once more in constant time. A token is valid until
PORTAL_SELF_SERVICE_LINK_DAYS after it was made, or until a new link is requested
(rotation: every older token of the application is deleted).
"""

import datetime
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from selfservice.models import AccessToken

# token_urlsafe(32) gives 43 characters; anything else is not one of ours.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_token(application, *, rotate=False):
    """Make a new personal link for `application` and return its token (to be put into a
    mail, never stored). With `rotate`, every older link of the application stops working.
    Side effect: an AccessToken row (and with `rotate`, older ones deleted)."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    # Mails and public pages act outside any district scope; the token is the key.
    with scopes_disabled():
        if rotate:
            AccessToken.objects.filter(application_id=application.pk).delete()
        AccessToken.objects.create(
            application_id=application.pk,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.PORTAL_SELF_SERVICE_LINK_DAYS),
        )
    return token


def application_for_token(token, *, now=None):
    """The application this token opens, or None (malformed, unknown, rotated away or
    expired: the caller answers all of them alike)."""
    if not (isinstance(token, str) and TOKEN_PATTERN.fullmatch(token)):
        return None
    digest = token_hash(token)
    # Public pages: the token, not a district scope, grants access to this one row.
    with scopes_disabled():
        access = (
            AccessToken.objects.select_related(
                "application__municipality__district", "application__election"
            )
            .filter(token_hash=digest, expires_at__gt=now or timezone.now())
            .first()
        )
    if access is None or not hmac.compare_digest(access.token_hash, digest):
        return None
    return access.application
