"""Council sizes and list lengths from Sachsen-Anhalt's local election law.

Sources (see districts/data/election-law.md, copied from shared/data):
- § 37 KVG LSA: number of honorary council members by population.
- § 21 Abs. 4 KWG LSA: maximum number of candidates on one list (Wahlvorschlag).
"""

import datetime
import math

# § 37 Abs. 1 KVG LSA: Gemeinderat / Stadtrat (also the kreisfreie Städte).
# (upper population bound inclusive, seats); above the last bound: 60.
MUNICIPAL_COUNCIL_SEATS = (
    (1_000, 10),
    (2_000, 12),
    (3_000, 14),
    (5_000, 16),
    (10_000, 20),
    (20_000, 28),
    (30_000, 36),
    (50_000, 40),
    (150_000, 50),
    (300_000, 56),
)
MUNICIPAL_COUNCIL_SEATS_ABOVE = 60

# § 37 Abs. 3 KVG LSA: Kreistag.
DISTRICT_COUNCIL_SEATS = (
    (100_000, 42),
    (150_000, 48),
    (200_000, 54),
)
DISTRICT_COUNCIL_SEATS_ABOVE = 60

# § 21 Abs. 4 KWG LSA: seats + 5 with one Wahlbereich; otherwise seats / Wahlbereiche,
# rounded up, + 3 (per Wahlbereich list).
EXTRA_CANDIDATES_ONE_AREA = 5
EXTRA_CANDIDATES_PER_AREA = 3

# § 7 Abs. 1 KWG LSA: a kreisangehörige Gemeinde of this many inhabitants or fewer has
# one Wahlbereich; above it (and a Verbandsgemeinde) may divide into several.
MAX_POPULATION_ONE_AREA = 3_000

# § 7 Abs. 2 KWG LSA: the Stadträte of the kreisfreie Städte (and the Kreistage) are elected
# in several Wahlbereiche. The divisions of the 2024 election, by Kreisschlüssel, until the
# councils decide those of 2029 (the state office edits them per council); sources in
# districts/data/election-law.md § 7: Magdeburg 10 (9 names per list), Halle (Saale) 5
# (15), Dessau-Roßlau 6 (12). The Kreistage' divisions are not in our data: entered by the
# state office, no list length is shown until then.
ELECTORAL_AREAS_2024 = {
    "15003": 10,  # Magdeburg
    "15002": 5,  # Halle (Saale)
    "15001": 6,  # Dessau-Roßlau
}

# The population figures of districts/data/gemeinden.csv (districts/data/README.md).
POPULATION_AS_OF = datetime.date(2025, 12, 31)


def _lookup(table, above, population):
    for upper_bound, seats in table:
        if population <= upper_bound:
            return seats
    return above


def municipal_council_seats(population):
    """Seats of a Gemeinderat/Stadtrat (§ 37 Abs. 1 KVG LSA)."""
    return _lookup(MUNICIPAL_COUNCIL_SEATS, MUNICIPAL_COUNCIL_SEATS_ABOVE, population)


def verbandsgemeinde_council_seats(population):
    """Seats of a Verbandsgemeinderat (§ 37 Abs. 2 KVG LSA).

    Up to 12,000: 20; to 15,000: 22; to 20,000: 26; to 25,000: 30; above that two more
    seats for every started 5,000.
    """
    if population <= 12_000:
        return 20
    if population <= 15_000:
        return 22
    if population <= 20_000:
        return 26
    if population <= 25_000:
        return 30
    return 30 + 2 * math.ceil((population - 25_000) / 5_000)


def district_council_seats(population):
    """Seats of a Kreistag (§ 37 Abs. 3 KVG LSA)."""
    return _lookup(DISTRICT_COUNCIL_SEATS, DISTRICT_COUNCIL_SEATS_ABOVE, population)


def max_list_length(seats, electoral_areas=1):
    """Most candidates one list may name (§ 21 Abs. 4 KWG LSA).

    With several Wahlbereiche the figure is per Wahlbereich.
    """
    if electoral_areas <= 1:
        return seats + EXTRA_CANDIDATES_ONE_AREA
    return math.ceil(seats / electoral_areas) + EXTRA_CANDIDATES_PER_AREA
