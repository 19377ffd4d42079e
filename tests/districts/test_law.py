"""Council sizes (§ 37 KVG LSA) and list lengths (§ 21 Abs. 4 KWG LSA), see election-law.md."""

from collections import defaultdict

import pytest

from districts import law
from districts.models import District, Municipality
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


@pytest.mark.django_db
def test_council_seats_for_magdeburg():
    magdeburg = get_municipality("magdeburg", "magdeburg")

    assert (magdeburg.population, magdeburg.council_seats, magdeburg.max_list_length) == (
        244_494,
        56,
        61,
    )


@pytest.mark.django_db
def test_council_seats_for_wernigerode():
    wernigerode = get_municipality("harz", "wernigerode")

    # 31,835 residents: 30,001–50,000 → 40 seats; one Wahlbereich → 40 + 5.
    assert (wernigerode.population, wernigerode.council_seats, wernigerode.max_list_length) == (
        31_835,
        40,
        45,
    )


@pytest.mark.django_db
def test_max_list_length_follows_electoral_areas():
    wernigerode = get_municipality("harz", "wernigerode")
    wernigerode.electoral_areas = 3

    # ceil(40 / 3) + 3
    assert wernigerode.max_list_length == 17


@pytest.mark.django_db
def test_council_seats_for_harsleben():
    harsleben = get_municipality("harz", "harsleben-harschlewe")

    assert (harsleben.population, harsleben.council_seats, harsleben.max_list_length) == (
        2_112,
        14,
        19,
    )


# The published 2024 totals (election-law.md § 3): "rund 720 Kreistags- und Stadtratssitze in
# kreisfreien Städten" and "etwa 4400 Sitze in Gemeinderäten und Verbandsgemeinderäten".


@pytest.mark.django_db
def test_kreistag_and_city_council_seats_total_720():
    kreistag = sum(
        law.district_council_seats(sum(m.population for m in district.municipalities.all()))
        for district in District.objects.filter(kind=District.Kind.RURAL_DISTRICT)
    )
    city_councils = sum(
        m.council_seats for m in Municipality.objects.filter(district__kind=District.Kind.CITY)
    )

    assert (kreistag, city_councils, kreistag + city_councils) == (558, 162, 720)


@pytest.mark.django_db
def test_municipal_and_verbandsgemeinde_council_seats_total_4372():
    in_landkreise = Municipality.objects.filter(district__kind=District.Kind.RURAL_DISTRICT)
    council_seats = sum(m.council_seats for m in in_landkreise)
    vg_population = defaultdict(int)
    for m in in_landkreise.exclude(verbandsgemeinde=""):
        vg_population[m.verbandsgemeinde] += m.population
    vg_seats = sum(law.verbandsgemeinde_council_seats(p) for p in vg_population.values())

    assert (council_seats, vg_seats, council_seats + vg_seats) == (4_000, 372, 4_372)
