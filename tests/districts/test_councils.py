"""Councils as records (districts.models.Council, derived by districts.councils.sync_councils):
which exist, how many seats they have (§ 37 KVG LSA), how many names a list may carry
(§ 21 Abs. 4 KWG LSA) and the Wahlbereich rules (§ 7 KWG LSA); see election-law.md. The
admin is in tests/districts/test_council_admin.py, the municipality page's wording in
tests/candidates/test_apply.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from candidates.models import Body, bodies_for
from districts.models import Council, District, Municipality
from tests.factories import get_municipality

pytestmark = pytest.mark.django_db

KIND = Council.Kind


def council(name):
    return Council.objects.select_related("district").get(name=name)


# --- Which councils exist ---------------------------------------------------------------


def test_every_municipality_has_its_gemeinderat_or_stadtrat():
    councils = Council.objects.filter(kind=KIND.COUNCIL)

    assert councils.count() == Municipality.objects.count() == 218
    assert sorted(councils.values_list("municipality__ags", flat=True)) == sorted(
        Municipality.objects.values_list("ags", flat=True)
    )


def test_one_verbandsgemeinderat_per_verbandsgemeinde():
    verbandsgemeinden = set(
        Municipality.objects.exclude(verbandsgemeinde="").values_list(
            "district__slug", "verbandsgemeinde"
        )
    )

    councils = set(
        Council.objects.filter(kind=KIND.VERBANDSGEMEINDE_COUNCIL).values_list(
            "district__slug", "area_name"
        )
    )

    assert councils == verbandsgemeinden
    assert len(councils) == 18


def test_one_kreistag_per_landkreis_and_none_in_the_kreisfreie_staedte():
    kreistage = Council.objects.filter(kind=KIND.DISTRICT_COUNCIL)

    assert sorted(kreistage.values_list("district__name", flat=True)) == sorted(
        District.objects.filter(kind=District.Kind.RURAL_DISTRICT).values_list("name", flat=True)
    )
    assert kreistage.count() == 11
    assert not kreistage.filter(district__kind=District.Kind.CITY).exists()


def test_kreisfreie_staedte_have_their_stadtrat_in_the_2024_wahlbereiche():
    city_councils = Council.objects.filter(district__kind=District.Kind.CITY)

    assert sorted(city_councils.values_list("name", "kind", "electoral_areas")) == [
        ("Stadtrat Dessau-Roßlau", KIND.COUNCIL, 6),
        ("Stadtrat Halle (Saale)", KIND.COUNCIL, 5),
        ("Stadtrat Magdeburg", KIND.COUNCIL, 10),
    ]


def test_no_ortschaftsrat_comes_from_the_data():
    assert not Council.objects.filter(kind=KIND.LOCAL_COUNCIL).exists()


def test_councils_for_a_member_of_a_verbandsgemeinde():
    ditfurt = get_municipality("harz", "ditfurt")

    assert sorted(Council.objects.for_municipality(ditfurt).values_list("name", flat=True)) == [
        "Gemeinderat Ditfurt",
        "Kreistag Harz",
        "Verbandsgemeinderat Vorharz",
    ]


# --- Seats (§ 37 KVG LSA), expected until the official figure is entered ----------------


@pytest.mark.parametrize(
    ("name", "population", "seats"),
    [
        ("Stadtrat Magdeburg", 244_494, 56),
        ("Stadtrat Wernigerode", 31_835, 40),
        ("Gemeinderat Harsleben / Harschlewe", 2_112, 14),
        ("Verbandsgemeinderat Vorharz", 11_396, 20),
        ("Verbandsgemeinderat Unstruttal", 14_457, 22),
        ("Kreistag Harz", 202_574, 60),
    ],
)
def test_expected_seats_from_the_population(name, population, seats):
    record = council(name)

    assert (record.population, record.expected_seats, record.seats) == (population, seats, seats)
    assert (record.seats_are_official, record.population_as_of) == (
        False,
        datetime.date(2025, 12, 31),
    )


def test_official_seats_replace_the_expected_figure():
    record = council("Stadtrat Wernigerode")
    record.official_seats = 36

    assert (record.expected_seats, record.seats, record.seats_are_official) == (40, 36, True)
    assert record.max_list_length == 36 + 5


# The published 2024 totals (election-law.md § 3): "rund 720 Kreistags- und Stadtratssitze in
# kreisfreien Städten" and "etwa 4400 Sitze in Gemeinderäten und Verbandsgemeinderäten".


def test_kreistag_and_city_council_seats_total_720():
    kreistage = sum(c.seats for c in Council.objects.filter(kind=KIND.DISTRICT_COUNCIL))
    city_councils = sum(c.seats for c in Council.objects.filter(district__kind=District.Kind.CITY))

    assert (kreistage, city_councils, kreistage + city_councils) == (558, 162, 720)


def test_municipal_and_verbandsgemeinde_council_seats_total_4372():
    in_landkreise = Council.objects.filter(district__kind=District.Kind.RURAL_DISTRICT)
    councils = sum(c.seats for c in in_landkreise.filter(kind=KIND.COUNCIL))
    verbandsgemeinderaete = sum(
        c.seats for c in in_landkreise.filter(kind=KIND.VERBANDSGEMEINDE_COUNCIL)
    )

    assert (councils, verbandsgemeinderaete, councils + verbandsgemeinderaete) == (
        4_000,
        372,
        4_372,
    )


# --- List length (§ 21 Abs. 4 KWG LSA) ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "length", "places"),
    [
        # ⌈56 / 10⌉ + 3, ⌈56 / 5⌉ + 3, ⌈50 / 6⌉ + 3: the limits published for 2024.
        ("Stadtrat Magdeburg", 9, 90),
        ("Stadtrat Halle (Saale)", 15, 75),
        ("Stadtrat Dessau-Roßlau", 12, 72),
        # One Wahlbereich: seats + 5.
        ("Stadtrat Wernigerode", 45, 45),
        ("Gemeinderat Harsleben / Harschlewe", 19, 19),
        ("Verbandsgemeinderat Vorharz", 25, 25),
    ],
)
def test_most_names_per_list_and_wahlbereich(name, length, places):
    record = council(name)

    assert (record.max_list_length, record.list_places) == (length, places)


def test_kreistag_has_no_list_length_until_its_wahlbereiche_are_entered():
    kreistag = council("Kreistag Harz")
    assert (kreistag.electoral_areas, kreistag.max_list_length, kreistag.list_places) == (
        None,
        None,
        None,
    )

    kreistag.electoral_areas = 6

    # ⌈60 / 6⌉ + 3 per Wahlbereich.
    assert (kreistag.max_list_length, kreistag.list_places) == (13, 78)


def test_more_wahlbereiche_shorten_each_list():
    wernigerode = council("Stadtrat Wernigerode")
    wernigerode.electoral_areas = 3

    # ⌈40 / 3⌉ + 3
    assert wernigerode.max_list_length == 17
    wernigerode.full_clean()


# --- Wahlbereiche (§ 7 KWG LSA) ----------------------------------------------------------


def errors(record):
    with pytest.raises(ValidationError) as excinfo:
        record.full_clean()
    return excinfo.value.message_dict


@pytest.mark.parametrize("population", [2_112, 3_000])
def test_municipality_of_3000_or_fewer_cannot_have_several_wahlbereiche(population):
    harsleben = council("Gemeinderat Harsleben / Harschlewe")
    harsleben.population = population
    harsleben.electoral_areas = 2

    assert errors(harsleben) == {
        "electoral_areas": [
            "Eine Gemeinde mit 3000 Einwohner:innen oder weniger kann nicht in Wahlbereiche "
            "eingeteilt werden (§ 7 Abs. 1 KWG LSA)."
        ]
    }


def test_municipality_above_3000_may_have_several_wahlbereiche():
    harsleben = council("Gemeinderat Harsleben / Harschlewe")
    harsleben.population = 3_001
    harsleben.electoral_areas = 2

    harsleben.full_clean()


@pytest.mark.parametrize("name", ["Kreistag Harz", "Stadtrat Magdeburg"])
def test_kreistag_and_kreisfreie_stadt_need_several_wahlbereiche(name):
    record = council(name)
    record.electoral_areas = 1

    assert errors(record) == {
        "electoral_areas": [
            "Für Kreistage und die Stadträte kreisfreier Städte ist das Wahlgebiet in mehrere "
            "Wahlbereiche einzuteilen (§ 7 Abs. 2 KWG LSA)."
        ]
    }


# --- What the application form offers comes from the records ----------------------------


def test_bodies_for_names_verbandsgemeinderat_and_kreistag_from_their_records():
    Council.objects.filter(name="Kreistag Harz").update(name="Kreistag des Landkreises Harz")

    assert [
        (body, str(name)) for body, name in bodies_for(get_municipality("harz", "ditfurt"))
    ] == [
        (Body.COUNCIL, "Gemeinderat"),
        (Body.VERBANDSGEMEINDE_COUNCIL, "Verbandsgemeinderat Vorharz"),
        (Body.DISTRICT_COUNCIL, "Kreistag des Landkreises Harz"),
    ]


def test_bodies_for_offers_no_council_without_a_record():
    Council.objects.filter(name="Verbandsgemeinderat Vorharz").delete()

    assert [body for body, _name in bodies_for(get_municipality("harz", "ditfurt"))] == [
        Body.COUNCIL,
        Body.DISTRICT_COUNCIL,
    ]


def test_bodies_for_offers_the_ortschaftsrat_outside_verbandsgemeinden_in_one_query(
    django_assert_num_queries,
):
    wernigerode = get_municipality("harz", "wernigerode")

    with django_assert_num_queries(1):
        bodies = [(body, str(name)) for body, name in bodies_for(wernigerode)]

    assert bodies == [
        (Body.COUNCIL, "Stadtrat"),
        (Body.DISTRICT_COUNCIL, "Kreistag Harz"),
        (Body.LOCAL_COUNCIL, "Ortschaftsrat"),
    ]


# --- Who sees which council ---------------------------------------------------------------


def test_visible_to_is_the_users_districts(harz_chair, magdeburg_chair, state_office_user):
    assert set(Council.objects.visible_to(harz_chair)) == set(
        Council.objects.filter(district__slug="harz")
    )
    assert list(Council.objects.visible_to(magdeburg_chair)) == [council("Stadtrat Magdeburg")]
    assert Council.objects.visible_to(state_office_user).count() == 218 + 18 + 11


def test_visible_to_nobody_without_a_district(staff_without_district):
    assert list(Council.objects.visible_to(staff_without_district)) == []
