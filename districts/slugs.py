"""URL slugs for districts and municipalities, and the words they may never take."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)

# First and second URL segments used by the portal itself. District and municipality
# slugs can never take one, so `/harz/wernigerode/` never collides with a page of ours,
# whatever the data brings in the future.
RESERVED_SLUGS = frozenset(
    {
        # Language prefixes (settings.LANGUAGES; /en/harz/ is Harz in English).
        "ar",
        "de",
        "en",
        "pl",
        "ru",
        "uk",
        "admin",
        "api",
        "bewerbung",
        "bewerben",
        "danke",
        "datenschutz",
        "einbetten",
        "embed",
        "erwartungen",
        "impressum",
        "konto",
        "leichte-sprache",
        "media",
        "meine-bewerbung",
        "static",
        "suche",
        "theme",
        "ueber-die-daten",
        "verwaltung",
    }
)


def german_slugify(value):
    """`Mansfeld-Südharz` → `mansfeld-suedharz`, `Staßfurt` → `stassfurt`."""
    return slugify(str(value).translate(_GERMAN))


def validate_not_reserved(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("„%(slug)s“ ist für Seiten des Portals reserviert."), params={"slug": value}
        )
