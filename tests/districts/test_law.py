"""Council sizes (§ 37 KVG LSA) and list lengths (§ 21 Abs. 4 KWG LSA), see election-law.md."""

import pytest

from districts import law
from tests.factories import get_municipality


@pytest.mark.parametrize(
    ("population", "seats"),
    [
        (0, 10),
        (1_000, 10),
        (1_001, 12),
        (2_000, 12),
        (2_001, 14),
        (3_000, 14),
        (3_001, 16),
        (5_000, 16),
        (5_001, 20),
        (10_000, 20),
        (10_001, 28),
        (20_000, 28),
        (20_001, 36),
        (30_000, 36),
        (30_001, 40),
        (50_000, 40),
        (50_001, 50),
        (150_000, 50),
        (150_001, 56),
        (300_000, 56),
        (300_001, 60),
        (1_000_000, 60),
    ],
)
def test_municipal_council_seats_at_boundary(population, seats):
    assert law.municipal_council_seats(population) == seats


@pytest.mark.parametrize(
    ("population", "seats"),
    [
        (5_000, 20),
        (12_000, 20),
        (12_001, 22),
        (15_000, 22),
        (15_001, 26),
        (20_000, 26),
        (20_001, 30),
        (25_000, 30),
        (25_001, 32),
        (30_000, 32),
        (30_001, 34),
        (35_000, 34),
        (35_001, 36),
    ],
)
def test_verbandsgemeinde_council_seats_at_boundary(population, seats):
    assert law.verbandsgemeinde_council_seats(population) == seats


@pytest.mark.parametrize(
    ("population", "seats"),
    [
        (79_460, 42),
        (100_000, 42),
        (100_001, 48),
        (150_000, 48),
        (150_001, 54),
        (200_000, 54),
        (200_001, 60),
        (244_494, 60),
    ],
)
def test_district_council_seats_at_boundary(population, seats):
    assert law.district_council_seats(population) == seats


@pytest.mark.parametrize(
    ("seats", "areas", "length"),
    [
        (20, 1, 25),
        (54, 6, 12),
        (50, 4, 16),  # ceil(12.5) + 3
        (56, 1, 61),
        (10, 0, 15),  # no Wahlbereich configured counts as one
    ],
)
def test_max_list_length_by_seats_and_areas(seats, areas, length):
    assert law.max_list_length(seats, areas) == length


def test_max_list_length_defaults_to_one_area():
    assert law.max_list_length(20) == 25


@pytest.mark.django_db
def test_council_name_stadtrat_for_city():
    wernigerode = get_municipality("harz", "wernigerode")

    assert (wernigerode.is_city, str(wernigerode.council_name)) == (True, "Stadtrat")


@pytest.mark.django_db
def test_council_name_gemeinderat_for_verbandsgemeinde_member():
    harsleben = get_municipality("harz", "harsleben-harschlewe")

    assert (harsleben.is_city, harsleben.verbandsgemeinde, str(harsleben.council_name)) == (
        False,
        "Vorharz",
        "Gemeinderat",
    )


# The seats and list lengths of the actual councils, and the published totals, are in
# tests/districts/test_councils.py.
