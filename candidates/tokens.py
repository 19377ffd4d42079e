"""Signed links for applicants. A token carries only the application's id, never a
name or e-mail address (the payload of a signed value is readable)."""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "candidates.confirm"
THANKS_SALT = "candidates.thanks"
# The thank-you page is shown right after submitting; its link need not live long.
THANKS_MAX_AGE = 60 * 60 * 24


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


def thanks_token(application):
    return _dumps(application.pk, THANKS_SALT)


def application_id_from_thanks_token(token):
    return _loads(token, THANKS_SALT, THANKS_MAX_AGE)
