"""Validators for what citizens type into the public form.

Names and address lines have to go onto official nomination papers, so they accept
letters of every script, but no symbols, emoji or markup. Free text (motivation, topics)
accepts anything printable; it is escaped on output and formula-escaped in exports.

Nothing may spoof what staff read: invisible direction controls (U+202E turns the rest of
a line around) are removed from free text and refused in names and addresses, a letter
carries at most MAX_COMBINING_MARKS marks ("Zalgo" text), and a word of a name or
address mixes no scripts (a Cyrillic "а" inside a Latin name looks Latin).

E-mail addresses are compared in one canonical spelling (`canonical_email`), so that
`"Erika"@Example.org` and `erika@example.org` are one mailbox for the duplicate rule and
the per-address limits (`mailbox_key` also folds `+tags`).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

# Bidirectional embeddings, overrides, isolates and marks, and zero-width characters
# that hide text. ZWJ/ZWNJ (U+200D/U+200C) stay: Persian, Indic scripts and emoji need them.
INVISIBLE_CONTROLS = frozenset(
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)
# Vietnamese and vocalised Arabic or Hebrew need two or three marks on one letter.
MAX_COMBINING_MARKS = 3
# Scripts that are written together in one word (Japanese mixes three).
SCRIPT_FAMILIES = {"HIRAGANA": "JAPANESE", "KATAKANA": "JAPANESE", "CJK": "JAPANESE"}

NAME_PUNCTUATION = frozenset(" -'’.")
ADDRESS_PUNCTUATION = frozenset(" -'’.,/()")
# Occupations come in gender-inclusive spellings ("Erzieher:in", "Student*in") and with
# "&" ("Büro- & Projektmanagement").
OCCUPATION_PUNCTUATION = ADDRESS_PUNCTUATION | frozenset(":*&+")


def _is_letter(char):
    # Marks (category M*) combine with letters, e.g. in Arabic or decomposed umlauts.
    return char.isalpha() or unicodedata.category(char).startswith("M")


def _script(char):
    """The Unicode script of a letter, approximated by the first word of its name
    (LATIN, CYRILLIC, ARABIC, ...); None for marks and characters of no script."""
    if not char.isalpha():
        return None
    first = unicodedata.name(char, "").split(" ")[0]
    return SCRIPT_FAMILIES.get(first, first) or None


def _check_combining_marks(value):
    run = 0
    for char in unicodedata.normalize("NFC", value):
        run = run + 1 if unicodedata.combining(char) or unicodedata.category(char) == "Me" else 0
        if run > MAX_COMBINING_MARKS:
            raise ValidationError(
                _("Zu viele Akzente oder Zeichen über einem Buchstaben. Bitte tippe es neu."),
                code="combining_marks",
            )


SCRIPT_NAMES = {
    "LATIN": _("lateinisch"),
    "CYRILLIC": _("kyrillisch"),
    "GREEK": _("griechisch"),
    "ARABIC": _("arabisch"),
    "HEBREW": _("hebräisch"),
    "ARMENIAN": _("armenisch"),
    "GEORGIAN": _("georgisch"),
    "JAPANESE": _("japanisch/chinesisch"),
}


def _check_one_script_per_word(value):
    for word in value.replace("-", " ").split():
        scripts = list(dict.fromkeys(s for s in map(_script, word) if s is not None))
        if len(scripts) > 1:
            names = [str(SCRIPT_NAMES.get(script, script.lower())) for script in scripts]
            raise ValidationError(
                _(
                    "„%(word)s“ mischt Buchstaben verschiedener Schriften (%(scripts)s), "
                    "vielleicht durch eine andere Tastatur. Bitte tippe das Wort neu."
                ),
                code="mixed_scripts",
                params={"word": word, "scripts": _(" und ").join(names)},
            )


def _check_characters(value, allowed, allow_digits, message):
    if any(
        not (_is_letter(char) or char in allowed or (allow_digits and char.isdigit()))
        for char in value
    ):
        raise ValidationError(message, code="invalid_characters")
    if not any(_is_letter(char) for char in value):
        raise ValidationError(_("Bitte gib hier Buchstaben ein."), code="no_letters")
    _check_combining_marks(value)
    _check_one_script_per_word(value)


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


def validate_occupation(value):
    _check_characters(
        value,
        OCCUPATION_PUNCTUATION,
        allow_digits=True,
        message=_(
            "Bitte nur Buchstaben, Ziffern, Leerzeichen und die Zeichen "
            ". , - / ' ( ) : * & + verwenden."
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


def strip_invisible_controls(value):
    """Free text without direction controls and zero-width characters: they are invisible
    to the person who pasted them, and could make staff read something else."""
    return "".join(char for char in value if char not in INVISIBLE_CONTROLS)


def validate_text(value):
    """Free text: anything printable; no control characters except line breaks and tabs,
    no direction controls (remove them first with `strip_invisible_controls`), no piles
    of combining marks."""
    if any(
        (unicodedata.category(char) == "Cc" and char not in "\n\r\t") or char in INVISIBLE_CONTROLS
        for char in value
    ):
        raise ValidationError(
            _("Der Text enthält unsichtbare Steuerzeichen. Bitte tippe ihn neu ein."),
            code="control_characters",
        )
    _check_combining_marks(value)


# --- E-mail addresses -------------------------------------------------------------------

EMAIL_INVALID_MESSAGE = _("Bitte gib eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.")
# Providers known to ignore dots in the local part; both names are one mailbox.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def canonical_email(value):
    """The one spelling of an address under which we store and compare it, or
    ValidationError (German) for an address that mail systems would not deliver to.

    Lower case throughout (no provider we know of distinguishes case), a quoted local part
    unquoted where that changes nothing (`"erika"` = `erika`), the domain in its ASCII
    (IDNA) form without a trailing dot. Refused: quoted local parts that need their quotes
    (spaces, `@`, …), IP-address literals, comments and domains without a dot.
    """
    value = unicodedata.normalize("NFC", value.strip())
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise ValidationError(EMAIL_INVALID_MESSAGE, code="invalid")
    if len(local) >= 2 and local[0] == '"' and local[-1] == '"':
        local = local[1:-1]
    domain = domain.rstrip(".").lower()
    if domain.startswith("[") or "." not in domain:
        raise ValidationError(EMAIL_INVALID_MESSAGE, code="invalid")
    try:
        domain = ascii_domain(domain)
    except UnicodeError as error:
        raise ValidationError(EMAIL_INVALID_MESSAGE, code="invalid") from error
    canonical = f"{local.lower()}@{domain}"
    # Django's validator accepts only dot-atom local parts and hostnames: what is left of
    # a quoted local part must now pass as unquoted.
    try:
        validate_email(canonical)
    except ValidationError as error:
        raise ValidationError(EMAIL_INVALID_MESSAGE, code="invalid") from error
    if len(canonical) > 254:
        raise ValidationError(EMAIL_INVALID_MESSAGE, code="invalid")
    return canonical


def ascii_domain(domain):
    """The domain in ASCII, each non-ASCII label as punycode (`xn--…`), as IDNA2008 has
    it. Not Python's "idna" codec (IDNA2003): that maps `straße.de` to `strasse.de`, a
    different domain with another owner, who would get this person's mail."""
    labels = []
    for label in domain.split("."):
        label = unicodedata.normalize("NFC", label.lower())
        if not label:
            raise UnicodeError("empty label")
        labels.append(label if label.isascii() else "xn--" + label.encode("punycode").decode())
    return ".".join(labels)


def mailbox_key(email):
    """What decides which inbox a canonical address reaches, for limits on the mail we
    send: `erika+1@…` and `erika+2@…` land in the same inbox, and so do `e.rika@gmail.com`
    and `erika@googlemail.com`."""
    local, _at, domain = email.rpartition("@")
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        domain = DOTLESS_DOMAINS[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"


# Dates a person gives about themselves: typed by an applicant (candidates.forms) or by a
# team entering someone directly (lists.forms), checked the same way. The messages are
# neutral, since both staff and citizens read them.
OLDEST_PLAUSIBLE_YEAR = 1900


def check_date_of_birth(value, *, today):
    if value > today:
        raise ValidationError(_("Das Geburtsdatum liegt in der Zukunft."), code="future")
    if value.year < OLDEST_PLAUSIBLE_YEAR:
        raise ValidationError(_("Bitte das Geburtsjahr prüfen."), code="implausible")
    return value


def check_resident_since(value, *, election_day):
    if value.year < OLDEST_PLAUSIBLE_YEAR:
        raise ValidationError(_("Bitte das Jahr prüfen."), code="implausible")
    if value > election_day:
        raise ValidationError(
            _("Dieses Datum liegt nach dem Wahltag (%(day)s).")
            % {"day": election_day.strftime("%d.%m.%Y")},
            code="after_election",
        )
    return value
