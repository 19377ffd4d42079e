"""The districts and municipalities loaded by the data migration, checked against the files."""

import csv
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum

from districts.data_files import DISTRICTS_FILE, MUNICIPALITIES_FILE
from districts.models import District, Municipality
from districts.slugs import RESERVED_SLUGS, german_slugify, validate_not_reserved

pytestmark = pytest.mark.django_db


def _csv_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _counts_per_district():
    return dict(District.objects.annotate(n=Count("municipalities")).values_list("kreis_key", "n"))


def test_districts_are_the_eleven_landkreise_and_three_cities():
    rows = District.objects.order_by("kreis_key").values_list("kreis_key", "name", "slug", "kind")

    assert list(rows) == [
        ("15001", "Dessau-Roßlau", "dessau-rosslau", "kreisfreie_stadt"),
        ("15002", "Halle (Saale)", "halle-saale", "kreisfreie_stadt"),
        ("15003", "Magdeburg", "magdeburg", "kreisfreie_stadt"),
        ("15081", "Altmarkkreis Salzwedel", "altmarkkreis-salzwedel", "landkreis"),
        ("15082", "Anhalt-Bitterfeld", "anhalt-bitterfeld", "landkreis"),
        ("15083", "Börde", "boerde", "landkreis"),
        ("15084", "Burgenlandkreis", "burgenlandkreis", "landkreis"),
        ("15085", "Harz", "harz", "landkreis"),
        ("15086", "Jerichower Land", "jerichower-land", "landkreis"),
        ("15087", "Mansfeld-Südharz", "mansfeld-suedharz", "landkreis"),
        ("15088", "Saalekreis", "saalekreis", "landkreis"),
        ("15089", "Salzlandkreis", "salzlandkreis", "landkreis"),
        ("15090", "Stendal", "stendal", "landkreis"),
        ("15091", "Wittenberg", "wittenberg", "landkreis"),
    ]


def test_districts_count_by_kind():
    counts = Counter(District.objects.values_list("kind", flat=True))

    assert counts == {"landkreis": 11, "kreisfreie_stadt": 3}


def test_district_keys_match_kreise_file():
    expected = {row["kreis_ags"]: row["name"] for row in _csv_rows(DISTRICTS_FILE)}

    assert dict(District.objects.values_list("kreis_key", "name")) == expected


def test_municipalities_total_is_218():
    assert Municipality.objects.count() == 218


def test_municipality_count_per_district_matches_gemeinden_file():
    from_file = Counter(row["kreis_ags"] for row in _csv_rows(MUNICIPALITIES_FILE))

    assert _counts_per_district() == dict(from_file)


def test_municipality_count_per_district_matches_kreise_file():
    from_file = {row["kreis_ags"]: int(row["gemeinden"]) for row in _csv_rows(DISTRICTS_FILE)}

    assert _counts_per_district() == from_file


def test_municipality_ags_unique_eight_digits_starting_with_15():
    ags = list(Municipality.objects.values_list("ags", flat=True))

    assert len(set(ags)) == 218
    assert [a for a in ags if not (len(a) == 8 and a.isdigit() and a.startswith("15"))] == []


def test_municipality_ags_starts_with_its_district_key():
    mismatched = [
        m.ags for m in Municipality.objects.with_district() if m.ags[:5] != m.district.kreis_key
    ]

    assert mismatched == []


def test_municipality_required_values_present():
    municipalities = list(Municipality.objects.with_district())

    assert [m.ags for m in municipalities if not m.slug] == []
    assert [m.ags for m in municipalities if m.district is None] == []
    assert [m.ags for m in municipalities if m.population <= 0] == []
    assert [m.ags for m in municipalities if not m.postal_code_list] == []


def test_municipality_postal_codes_are_five_digits():
    codes = {code for m in Municipality.objects.all() for code in m.postal_code_list}

    assert [c for c in codes if not (len(c) == 5 and c.isdigit())] == []
    assert len(codes) == 202


def test_municipality_slugs_unique_within_district():
    duplicates = (
        Municipality.objects.values("district", "slug").annotate(n=Count("pk")).filter(n__gt=1)
    )

    assert list(duplicates) == []


def test_slugs_avoid_reserved_words():
    slugs = set(Municipality.objects.values_list("slug", flat=True)) | set(
        District.objects.values_list("slug", flat=True)
    )

    assert slugs & RESERVED_SLUGS == set()


def test_municipality_slug_is_german_slug_of_name():
    mismatched = [m.name for m in Municipality.objects.all() if m.slug != german_slugify(m.name)]

    assert mismatched == []


def test_verbandsgemeinden_are_18_with_114_members():
    members = Municipality.objects.exclude(verbandsgemeinde="")

    assert members.count() == 114
    assert len(set(members.values_list("verbandsgemeinde", flat=True))) == 18


def test_verbandsgemeinde_members_are_in_landkreise_only():
    kinds = set(
        Municipality.objects.exclude(verbandsgemeinde="").values_list("district__kind", flat=True)
    )

    assert kinds == {District.Kind.RURAL_DISTRICT}


def test_cities_count_is_104():
    assert Municipality.objects.filter(is_city=True).count() == 104


def test_kreisfreie_staedte_have_one_city_each():
    rows = Municipality.objects.filter(district__kind=District.Kind.CITY).order_by("ags")

    assert [(m.ags, m.name, m.slug, m.is_city) for m in rows] == [
        ("15001000", "Dessau-Roßlau", "dessau-rosslau", True),
        ("15002000", "Halle (Saale)", "halle-saale", True),
        ("15003000", "Magdeburg", "magdeburg", True),
    ]


def test_population_total_is_2120252():
    assert Municipality.objects.aggregate(total=Sum("population"))["total"] == 2_120_252


def test_population_per_district_matches_kreise_file():
    from_file = {row["kreis_ags"]: int(row["population"]) for row in _csv_rows(DISTRICTS_FILE)}
    in_db = dict(
        District.objects.annotate(total=Sum("municipalities__population")).values_list(
            "kreis_key", "total"
        )
    )

    assert in_db == from_file


def test_official_name_keeps_designation():
    official = dict(
        Municipality.objects.filter(ags__in=["15003000", "15081135", "15089310"]).values_list(
            "ags", "official_name"
        )
    )

    assert official == {
        "15003000": "Magdeburg, Landeshauptstadt",
        "15081135": "Gardelegen, Hansestadt",
        "15089310": "Staßfurt, Salzstadt",
    }


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Mansfeld-Südharz", "mansfeld-suedharz"),
        ("Halle (Saale)", "halle-saale"),
        ("Staßfurt", "stassfurt"),
        ("Börde", "boerde"),
        ("Harsleben / Harschlewe", "harsleben-harschlewe"),
        ("Lutherstadt Wittenberg", "lutherstadt-wittenberg"),
    ],
)
def test_german_slugify_examples(name, slug):
    assert german_slugify(name) == slug


def test_validate_not_reserved_rejects_verwaltung():
    with pytest.raises(ValidationError) as excinfo:
        validate_not_reserved("verwaltung")

    assert excinfo.value.messages == ["„verwaltung“ ist für Seiten des Portals reserviert."]


def test_validate_not_reserved_accepts_municipality_slug():
    assert validate_not_reserved("wernigerode") is None
