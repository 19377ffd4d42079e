"""Validators for what citizens type into the public form.

Names and address lines have to go onto official nomination papers, so they accept
letters of every script, but no symbols, emoji or markup. Free text (motivation, topics)
accepts anything; it is escaped on output and formula-escaped in exports.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NAME_PUNCTUATION = frozenset(" -'’.")
ADDRESS_PUNCTUATION = frozenset(" -'’.,/()")


def _is_letter(char):
    # Marks (category M*) combine with letters, e.g. in Arabic or decomposed umlauts.
    return char.isalpha() or unicodedata.category(char).startswith("M")


def _check_characters(value, allowed, allow_digits, message):
    if any(
        not (_is_letter(char) or char in allowed or (allow_digits and char.isdigit()))
        for char in value
    ):
        raise ValidationError(message, code="invalid_characters")
    if not any(_is_letter(char) for char in value):
        raise ValidationError(_("Bitte gib hier Buchstaben ein."), code="no_letters")


def validate_name(value):
    _check_characters(
        value,
        NAME_PUNCTUATION,
        allow_digits=False,
        message=_(
            "Bitte nur Buchstaben, Leerzeichen, Bindestriche, Punkte und Apostrophe verwenden."
        ),
    )


def validate_address_line(value):
    _check_characters(
        value,
        ADDRESS_PUNCTUATION,
        allow_digits=True,
        message=_(
            "Bitte nur Buchstaben, Ziffern, Leerzeichen und die Zeichen . , - / ' ( ) verwenden."
        ),
    )


def validate_postal_code(value):
    if not (len(value) == 5 and value.isascii() and value.isdigit()):
        raise ValidationError(
            _("Eine Postleitzahl hat fünf Ziffern, z. B. 38855."), code="invalid_postal_code"
        )


def validate_phone(value):
    allowed = set("0123456789+ ()/-")
    digits = sum(char.isdigit() for char in value)
    if any(char not in allowed for char in value) or not 6 <= digits <= 20:
        raise ValidationError(
            _("Bitte gib eine Telefonnummer mit Ziffern ein, z. B. 0391 1234567."),
            code="invalid_phone",
        )


def validate_text(value):
    """Free text: anything printable; no control characters except line breaks and tabs."""
    if any(unicodedata.category(char) == "Cc" and char not in "\n\r\t" for char in value):
        raise ValidationError(
            _("Der Text enthält unsichtbare Steuerzeichen. Bitte tippe ihn neu ein."),
            code="control_characters",
        )
