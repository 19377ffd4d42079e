"""Council records from the reference data: one Gemeinderat/Stadtrat per municipality, one
Verbandsgemeinderat per Verbandsgemeinde, one Kreistag per Landkreis (districts.models.Council).

`sync_councils` is the one place that derives them. It takes the model classes so that the
data migration can pass its historical models (as districts.data_files.load_initial_data
does) and refresh_municipalities the real ones. It creates missing councils, keeps names and
population figures in step with the municipalities, and never touches what people entered:
the official seat numbers, the Wahlbereiche, and the Ortschaftsräte.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from districts import law

COUNCIL = "council"
VERBANDSGEMEINDE_COUNCIL = "vg_council"
DISTRICT_COUNCIL = "district_council"
RURAL_DISTRICT = "landkreis"


@dataclass
class CouncilChanges:
    added: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # no longer in the data, but lists point at it


def expected_councils(districts, municipalities, population_as_of):
    """The councils the reference data implies, as dicts of field values keyed by
    (kind, district id, municipality id or area name)."""
    wanted = {}
    by_verbandsgemeinde = defaultdict(list)
    by_district = defaultdict(list)
    municipalities = list(municipalities)
    # Two municipalities of one Kreis may share a name for a while (a merged one kept for
    # its applications next to its successor, refresh_municipalities); the Wahlgebiet's
    # name is unique per district and kind, so those carry their AGS.
    names = Counter((m.district_id, m.name) for m in municipalities)
    for municipality in municipalities:
        district = districts[municipality.district_id]
        council_name = "Stadtrat" if municipality.is_city else "Gemeinderat"
        area_name = municipality.name
        if names[(municipality.district_id, municipality.name)] > 1:
            area_name = f"{municipality.name} ({municipality.ags})"
        wanted[(COUNCIL, district.pk, municipality.pk)] = {
            "kind": COUNCIL,
            "district_id": district.pk,
            "municipality_id": municipality.pk,
            "area_name": area_name,
            "name": f"{council_name} {municipality.name}",
            "population": municipality.population,
            "population_as_of": population_as_of,
            "default_areas": (
                law.ELECTORAL_AREAS_2024.get(district.kreis_key)
                if district.kind != RURAL_DISTRICT
                else 1
            ),
        }
        if municipality.verbandsgemeinde:
            by_verbandsgemeinde[(district.pk, municipality.verbandsgemeinde)].append(municipality)
        by_district[district.pk].append(municipality)
    for (district_id, name), members in by_verbandsgemeinde.items():
        wanted[(VERBANDSGEMEINDE_COUNCIL, district_id, name)] = {
            "kind": VERBANDSGEMEINDE_COUNCIL,
            "district_id": district_id,
            "municipality_id": None,
            "area_name": name,
            "name": f"Verbandsgemeinderat {name}",
            "population": sum(member.population for member in members),
            "population_as_of": population_as_of,
            "default_areas": 1,
        }
    for district_id, members in by_district.items():
        district = districts[district_id]
        if district.kind != RURAL_DISTRICT:
            continue
        wanted[(DISTRICT_COUNCIL, district_id, district.name)] = {
            "kind": DISTRICT_COUNCIL,
            "district_id": district_id,
            "municipality_id": None,
            "area_name": district.name,
            "name": f"Kreistag {district.name}",
            # The sum of the municipal figures (districts/data/README.md: the Kreis figure
            # is derived the same way).
            "population": sum(member.population for member in members),
            "population_as_of": population_as_of,
            # § 7 Abs. 2 KWG LSA: several Wahlbereiche, decided per election; unknown until
            # the state office enters them.
            "default_areas": None,
        }
    return wanted


def _key(council):
    if council.kind == COUNCIL:
        return (COUNCIL, council.district_id, council.municipality_id)
    return (council.kind, council.district_id, council.area_name)


def sync_councils(District, Municipality, Council, population_as_of=law.POPULATION_AS_OF):  # noqa: N803
    """Create and update the councils of the reference data; remove those that no longer
    exist unless a candidate list points at one (those are reported as kept)."""
    districts = {district.pk: district for district in District.objects.all()}
    wanted = expected_councils(districts, Municipality.objects.all(), population_as_of)
    changes = CouncilChanges()
    existing = {_key(council): council for council in Council.objects.exclude(kind="local_council")}
    for key, values in wanted.items():
        default_areas = values.pop("default_areas")
        council = existing.pop(key, None)
        if council is None:
            Council.objects.create(**values, electoral_areas=default_areas)
            changes.added.append(values["name"])
            continue
        changed = [name for name, value in values.items() if getattr(council, name) != value]
        if changed:
            for name in changed:
                setattr(council, name, values[name])
            council.save(update_fields=changed)
            changes.updated.append(values["name"])
    for council in existing.values():
        if council.lists.exists():
            changes.kept.append(council.name)
        else:
            changes.removed.append(council.name)
            council.delete()
    return changes
