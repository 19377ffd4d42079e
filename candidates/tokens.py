"""Links for applicants.

The confirmation link is signed and carries only the application's id, never a name or
e-mail address (the payload of a signed value is readable). The thank-you page's link
carries what that page shows, encrypted (Fernet: AES with a MAC and the time it was
made), so it is stored nowhere, readable by nobody who sees the URL in a log, and expires
after an hour.
"""

import base64
import functools
import hashlib
import json
import re
import time

from cryptography.fernet import Fernet
from cryptography.fernet import InvalidToken as InvalidFernetToken
from django.conf import settings
from django.core import signing

CONFIRM_SALT = "candidates.confirm"
# The thank-you page is shown right after submitting; its link need not live long.
THANKS_MAX_AGE = 60 * 60
# A Fernet token without its "=" padding: 120 to 200 characters for what the page keeps.
THANKS_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{100,400}")
THANKS_KEY_PURPOSE = b"candidates.thanks-page:"
# Every payload is padded with spaces to this many bytes before it is encrypted (the
# longest, all four reasons and a 12-digit municipality id, has 126).
THANKS_PLAIN_LENGTH = 176


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


@functools.lru_cache(maxsize=4)
def _thanks_fernet(secret_key):
    key = hashlib.sha256(THANKS_KEY_PURPOSE + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def store_thanks_page(application):
    """The link key of the thank-you page for this (possibly unsaved) application: the
    municipality and the eligibility findings, encrypted with a key derived from
    SECRET_KEY, with a fresh random IV (two equal submissions get different links). No
    id, name or address; nothing is stored."""
    payload = {
        "municipality": application.municipality_id,
        "reasons": list(application.ineligibility_reasons),
        "works_for_local_authority": bool(application.works_for_local_authority),
    }
    plain = json.dumps(payload, separators=(",", ":")).encode()
    # One length for every answer: Fernet hides the content, not its length, and a link's
    # length in a log must not tell how many reasons (e.g. another party) applied.
    if len(plain) > THANKS_PLAIN_LENGTH:
        raise ValueError("thank-you page payload longer than THANKS_PLAIN_LENGTH")
    plain = plain.ljust(THANKS_PLAIN_LENGTH)
    token = _thanks_fernet(settings.SECRET_KEY).encrypt_at_time(plain, int(time.time()))
    return token.decode().rstrip("=")


def load_thanks_page(token):
    """What store_thanks_page put into this key, or None (malformed, forged, made with
    another SECRET_KEY, or older than THANKS_MAX_AGE)."""
    if not (isinstance(token, str) and THANKS_TOKEN_PATTERN.fullmatch(token)):
        return None
    padded = token + "=" * (-len(token) % 4)
    try:
        data = _thanks_fernet(settings.SECRET_KEY).decrypt_at_time(
            padded.encode(), THANKS_MAX_AGE, int(time.time())
        )
        page = json.loads(data)
    except (InvalidFernetToken, ValueError):
        return None
    if not (
        isinstance(page, dict)
        and isinstance(page.get("municipality"), int)
        and isinstance(page.get("reasons"), list)
        and isinstance(page.get("works_for_local_authority"), bool)
    ):
        return None
    return page
