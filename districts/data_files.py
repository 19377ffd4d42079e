"""Reading the shipped data files of districts and municipalities.

The files in districts/data/ are the project's own copy of shared/data (sources and
licences in districts/data/README.md). The data migration and the
`refresh_municipalities` command both read them through this module, so there is one
parser for one format.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from districts.slugs import german_slugify

DATA_DIR = Path(__file__).resolve().parent / "data"
DISTRICTS_FILE = DATA_DIR / "kreise.csv"
MUNICIPALITIES_FILE = DATA_DIR / "gemeinden.csv"

MUNICIPALITY_COLUMNS = {
    "ags",
    "name",
    "kreis_ags",
    "verbandsgemeinde",
    "population",
    "postal_codes",
    "is_stadt",
    "destatis_name",
}
DISTRICT_COLUMNS = {"kreis_ags", "name", "kind", "seat", "official_name"}
KIND_BY_LABEL = {"Landkreis": "landkreis", "kreisfreie Stadt": "kreisfreie_stadt"}


class DataFileError(ValueError):
    """The file does not have the expected format; the message says where."""


@dataclass(frozen=True)
class DistrictRow:
    kreis_key: str
    name: str
    official_name: str
    kind: str
    seat: str

    @property
    def slug(self):
        return german_slugify(self.name)


@dataclass(frozen=True)
class MunicipalityRow:
    ags: str
    name: str
    official_name: str
    kreis_key: str
    verbandsgemeinde: str
    population: int
    postal_codes: str
    is_city: bool

    @property
    def slug(self):
        return german_slugify(self.name)


def _rows(path, required):
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = required - set(reader.fieldnames or [])
        if missing:
            raise DataFileError(f"{path}: missing columns {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            # DictReader fills a short row with None and keys surplus fields under None.
            if None in row or None in row.values():
                raise DataFileError(
                    f"{path}:{line}: expected {len(reader.fieldnames)} fields per row"
                )
            yield line, row


def read_districts(path=DISTRICTS_FILE):
    rows = []
    for line, row in _rows(path, DISTRICT_COLUMNS):
        if row["kind"] not in KIND_BY_LABEL:
            raise DataFileError(f"{path}:{line}: unknown kind {row['kind']!r}")
        rows.append(
            DistrictRow(
                kreis_key=row["kreis_ags"].strip(),
                name=row["name"].strip(),
                official_name=row["official_name"].strip(),
                kind=KIND_BY_LABEL[row["kind"]],
                seat=row["seat"].strip(),
            )
        )
    return rows


def read_municipalities(path=MUNICIPALITIES_FILE):
    rows = []
    seen = set()
    for line, row in _rows(path, MUNICIPALITY_COLUMNS):
        ags = row["ags"].strip()
        if len(ags) != 8 or not ags.isdigit():
            raise DataFileError(f"{path}:{line}: AGS {ags!r} is not 8 digits")
        if ags in seen:
            raise DataFileError(f"{path}:{line}: AGS {ags} appears twice")
        seen.add(ags)
        if row["kreis_ags"].strip() != ags[:5]:
            raise DataFileError(f"{path}:{line}: kreis_ags does not match AGS {ags}")
        try:
            population = int(row["population"])
        except ValueError as error:
            raise DataFileError(f"{path}:{line}: population is not a number") from error
        postal_codes = row["postal_codes"].split()
        if any(len(code) != 5 or not code.isdigit() for code in postal_codes):
            raise DataFileError(f"{path}:{line}: a postal code is not 5 digits")
        rows.append(
            MunicipalityRow(
                ags=ags,
                name=row["name"].strip(),
                official_name=row["destatis_name"].strip(),
                kreis_key=ags[:5],
                verbandsgemeinde=row["verbandsgemeinde"].strip(),
                population=population,
                postal_codes=" ".join(postal_codes),
                is_city=row["is_stadt"].strip().lower() == "true",
            )
        )
    return rows


def load_initial_data(District, Municipality):
    """Create every district and municipality. Takes the model classes so that the
    data migration can pass its historical models."""
    districts = {}
    for row in read_districts():
        districts[row.kreis_key] = District.objects.create(
            name=row.name,
            official_name=row.official_name,
            slug=row.slug,
            kreis_key=row.kreis_key,
            kind=row.kind,
            seat=row.seat,
        )
    Municipality.objects.bulk_create(
        Municipality(
            ags=row.ags,
            name=row.name,
            official_name=row.official_name,
            slug=row.slug,
            district=districts[row.kreis_key],
            verbandsgemeinde=row.verbandsgemeinde,
            population=row.population,
            postal_codes=row.postal_codes,
            is_city=row.is_city,
        )
        for row in read_municipalities()
    )
