""" "Wo wohnst du?": find municipalities by postal code or by (part of) their name.

The postal codes come from OpenStreetMap and are incomplete for Ortsteile (see
districts/data/README.md), so a name search sits beside the postal-code search and a hit
is a suggestion, never proof of residence. 218 municipalities fit in memory, so matching
happens in Python: the same on SQLite and PostgreSQL, and umlaut-insensitive.
"""

import re
import unicodedata

from districts.models import Municipality
from districts.slugs import german_slugify

POSTAL_CODE = re.compile(r"^\d{5}$")
MAX_QUERY_LENGTH = 100


def normalise(text):
    """`Lutherstadt Eisleben` and `lutherstadt-eisleben` and `Eisleben` compare by slug."""
    return german_slugify(unicodedata.normalize("NFC", text))


def find_municipalities(query):
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not query:
        return []
    municipalities = list(Municipality.objects.with_district().order_by("slug"))
    if POSTAL_CODE.match(query):
        return [m for m in municipalities if query in m.postal_code_list]
    needle = normalise(query)
    if not needle:
        return []
    exact = [m for m in municipalities if normalise(m.name) == needle]
    if exact:
        return exact
    return [
        m
        for m in municipalities
        if needle in normalise(m.name) or needle in normalise(m.verbandsgemeinde)
    ]
