""" "Wo wohnst du?": find municipalities by postal code or by (part of) their name.

The postal codes come from OpenStreetMap and are incomplete for Ortsteile (see
districts/data/README.md), so a name search sits beside the postal-code search and a hit
is a suggestion, never proof of residence. 218 municipalities fit in memory, so matching
happens in Python (one query, whatever the input): the same on SQLite and PostgreSQL, and
umlaut-insensitive.

Only an exact, unambiguous answer may send the visitor straight to a form: a postal code of
exactly one municipality, or a name that equals exactly one municipality's name and begins
no other one's ("Finne" asks, because of Finneland). Everything else is a choice list: parts
of names ("Roßla" lists Dessau-Roßlau instead of jumping there), Verbandsgemeinden, and
spelling suggestions ("Magdebrug" → "Meinten Sie Magdeburg?").
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from districts.selectors import public_municipalities
from districts.slugs import german_slugify

POSTAL_CODE = re.compile(r"^[0-9]{5}$")
MAX_QUERY_LENGTH = 100
MAX_SUGGESTIONS = 5
# difflib's ratio for a spelling suggestion: one swapped, doubled or missing letter in a
# name of eight or more letters stays above it ("magdebrug" 0.89, "wernigerrode" 0.96);
# unrelated names of similar length stay below.
SUGGESTION_CUTOFF = 0.8
# Words shorter than this are not suggested on their own ("an", "der", "see").
MIN_WORD_FOR_SUGGESTION = 4

# Postal codes of Sachsen-Anhalt that the shipped data assigns to no municipality and whose
# first three digits no municipality's code shares: 39014 is Magdeburg's PO box code
# (shared/data/README.md, "Known gaps", GeoNames). Without it, 39014 would be called
# outside the state. The other known gaps share their first three digits with shipped codes.
UNLISTED_POSTAL_CODES = frozenset({"39014"})


@dataclass
class SearchResult:
    """What the search page shows; `redirect_to` is set only for an exact, unique match."""

    query: str = ""
    matches: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    outside_state: bool = False
    redirect_to: object = None

    @property
    def found_nothing(self):
        return bool(self.query) and not self.matches and not self.suggestions


def clean_query(raw):
    """The visitor's input as we match and show it.

    Control and format characters (NUL, right-to-left marks, zero-width spaces) are dropped,
    runs of white space become one space, and every decimal digit of any script counts as
    that digit: "٠٦١٠٨" (Arabic-Indic) and "０６１０８" (full width) search for 06108, the same
    way `int()` would read them. The length is capped before and after cleaning.
    """
    text = unicodedata.normalize("NFC", str(raw or "")[: MAX_QUERY_LENGTH * 4])
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(" " if char in "\t\n\r" else "")
        elif char.isdecimal():
            kept.append(str(unicodedata.decimal(char)))
        else:
            kept.append(char)
    return " ".join("".join(kept).split())[:MAX_QUERY_LENGTH]


def normalise(text):
    """`Lutherstadt Eisleben` and `lutherstadt-eisleben` and `Eisleben` compare by slug."""
    return german_slugify(unicodedata.normalize("NFC", text))


def postal_prefixes(municipalities):
    """The first three digits of every postal code in the data.

    Why three digits: the shipped codes cover Sachsen-Anhalt's postal regions, but not every
    code (districts/data/README.md, "Known gaps": 06254, 06926, 39398 … are missing), and
    their regions are shared with neighbours (06xxx is also Thuringia and Saxony, 38xxx
    Lower Saxony). A code whose first three digits no shipped code has (10115 Berlin, 04109
    Leipzig, 99084 Erfurt) is certainly not ours; every known missing code of ours shares its
    first three digits with a shipped one (except UNLISTED_POSTAL_CODES). So "not in
    Sachsen-Anhalt" is said only when it is sure; a neighbour's code inside a shared region
    (06556 Artern) gets the general advice, as an unknown code of ours does.
    """
    prefixes = {code[:3] for m in municipalities for code in m.postal_code_list}
    return prefixes | {code[:3] for code in UNLISTED_POSTAL_CODES}


def _by_postal_code(query, municipalities):
    matches = [m for m in municipalities if query in m.postal_code_list]
    if len(matches) == 1:
        return SearchResult(query=query, matches=matches, redirect_to=matches[0])
    outside = not matches and query[:3] not in postal_prefixes(municipalities)
    return SearchResult(query=query, matches=matches, outside_state=outside)


def _suggestions(needle, municipalities):
    """Municipalities whose name, Verbandsgemeinde or a longer word of either is spelled like
    the query, closest first."""
    candidates = {}
    for municipality in municipalities:
        for name in (municipality.name, municipality.verbandsgemeinde):
            slug = normalise(name)
            if not slug:
                continue
            words = [w for w in slug.split("-") if len(w) >= MIN_WORD_FOR_SUGGESTION]
            for candidate in {slug, *words}:
                candidates.setdefault(candidate, []).append(municipality)
    close = difflib.get_close_matches(
        needle, candidates, n=len(candidates), cutoff=SUGGESTION_CUTOFF
    )
    suggestions = []
    for candidate in close:
        for municipality in candidates[candidate]:
            if municipality not in suggestions:
                suggestions.append(municipality)
    return suggestions[:MAX_SUGGESTIONS]


def _by_name(query, municipalities):
    needle = normalise(query)
    if not needle:
        return SearchResult(query=query)
    exact = [m for m in municipalities if normalise(m.name) == needle]
    beginning = [
        m for m in municipalities if m not in exact and normalise(m.name).startswith(needle)
    ]
    if len(exact) == 1 and not beginning:
        return SearchResult(query=query, matches=exact, redirect_to=exact[0])
    if exact:
        return SearchResult(query=query, matches=exact + beginning)
    containing = [
        m
        for m in municipalities
        if needle in normalise(m.name) or needle in normalise(m.verbandsgemeinde)
    ]
    if containing:
        return SearchResult(query=query, matches=containing)
    return SearchResult(query=query, suggestions=_suggestions(needle, municipalities))


def search(raw_query):
    """Match the visitor's input; one query for the municipalities, nothing per hit."""
    query = clean_query(raw_query)
    if not query:
        return SearchResult()
    municipalities = list(public_municipalities())
    compact = query.replace(" ", "")
    if POSTAL_CODE.match(compact):
        return _by_postal_code(compact, municipalities)
    return _by_name(query, municipalities)
