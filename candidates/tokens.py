"""Links for applicants.

The confirmation link is signed and carries only the application's id, never a name or
e-mail address (the payload of a signed value is readable). The thank-you page's link is
a random key into the cache, holding only what that page shows.
"""

import re
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache

CONFIRM_SALT = "candidates.confirm"
# The thank-you page is shown right after submitting; its link need not live long.
THANKS_MAX_AGE = 60 * 60
THANKS_CACHE_PREFIX = "thanks-page:"
THANKS_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class InvalidToken(Exception):
    """The link is malformed, tampered with or expired."""


def _dumps(pk, salt):
    return signing.dumps({"a": pk}, salt=salt, compress=False)


def _loads(token, salt, max_age):
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
        return int(payload["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidToken(str(error)) from error


def confirmation_token(application):
    return _dumps(application.pk, CONFIRM_SALT)


def application_id_from_confirmation_token(token):
    return _loads(token, CONFIRM_SALT, settings.PORTAL_CONFIRMATION_MAX_AGE_DAYS * 24 * 3600)


def store_thanks_page(application):
    """Keep what the thank-you page says about this (possibly unsaved) application for
    THANKS_MAX_AGE seconds under a new random key (128 bits), and return the key. Only
    the municipality and the eligibility findings are kept: no id, name or address."""
    token = secrets.token_urlsafe(16)
    cache.set(
        THANKS_CACHE_PREFIX + token,
        {
            "municipality": application.municipality_id,
            "reasons": list(application.ineligibility_reasons),
            "works_for_local_authority": bool(application.works_for_local_authority),
        },
        timeout=THANKS_MAX_AGE,
    )
    return token


def load_thanks_page(token):
    """What store_thanks_page kept under this key, or None."""
    if not (isinstance(token, str) and THANKS_TOKEN_PATTERN.fullmatch(token)):
        return None
    return cache.get(THANKS_CACHE_PREFIX + token)
