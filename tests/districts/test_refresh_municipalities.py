"""`manage.py refresh_municipalities`, fed with files derived from the shipped gemeinden.csv,
and the councils it keeps in step."""

import csv
import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from districts.data_files import MUNICIPALITIES_FILE
from districts.models import Council, Municipality
from lists.models import CandidateList
from tests.factories import get_municipality, make_application, make_election

pytestmark = pytest.mark.django_db

NOTE = "Note: changed slugs change application URLs; old URLs are not redirected."
NO_COUNCIL_CHANGES = [
    "Councils added: 0",
    "Councils updated: 0",
    "Councils removed: 0",
    "Councils kept although not in the data: 0",
]


def _shipped():
    with open(MUNICIPALITIES_FILE, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def _new_row(ags, name, **values):
    row = {
        "ags": ags,
        "name": name,
        "kreis_ags": ags[:5],
        "kreis_name": "",
        "verbandsgemeinde": "",
        "population": "1234",
        "postal_codes": "38855",
        "is_stadt": "false",
        "ars": "",
        "destatis_name": name,
    }
    row.update(values)
    return row


def _write(tmp_path, rows, fieldnames=None, name="gemeinden-neu.csv"):
    fieldnames = fieldnames or _shipped()[0]
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _file(tmp_path, *, change=None, remove=(), add=()):
    """The shipped file with `change` ({ags: {column: value}}) applied, `remove` AGS dropped
    and `add` rows appended."""
    fieldnames, rows = _shipped()
    change = change or {}
    rows = [{**row, **change.get(row["ags"], {})} for row in rows if row["ags"] not in remove]
    return _write(tmp_path, rows + list(add), fieldnames)


def _run(path, *args):
    out = StringIO()
    call_command("refresh_municipalities", str(path), *args, stdout=out)
    return out.getvalue().splitlines()


def _snapshot():
    return list(
        Municipality.objects.order_by("ags").values_list(
            "ags",
            "name",
            "official_name",
            "slug",
            "district_id",
            "verbandsgemeinde",
            "population",
            "postal_codes",
            "is_city",
        )
    )


def _councils():
    return list(
        Council.objects.order_by("pk").values_list(
            "pk", "kind", "name", "area_name", "population", "population_as_of"
        )
    )


def test_refresh_unchanged_file_changes_nothing(tmp_path):
    before = _snapshot()

    lines = _run(MUNICIPALITIES_FILE)

    assert lines == [
        "Added: 0",
        "Renamed: 0",
        "Updated: 0",
        "Removed: 0",
        "Kept although not in the file: 0",
        *NO_COUNCIL_CHANGES,
        "Saved.",
    ]
    assert _snapshot() == before


def test_refresh_applies_rename_update_add_and_removal(tmp_path):
    make_application(municipality=get_municipality("harz", "osterwieck"))
    path = _file(
        tmp_path,
        change={
            "15085190": {"name": "Ilsenburg", "destatis_name": "Ilsenburg, Stadt"},
            "15085135": {"population": "36000", "postal_codes": "38820 38822"},
        },
        remove={"15085227", "15085230"},
        add=[_new_row("15085999", "Neudorf am Harz", verbandsgemeinde="Vorharz")],
    )

    lines = _run(path)

    assert lines == [
        "Added: 1",
        "  + 15085999 Neudorf am Harz [Harz], slug neudorf-am-harz",
        "Renamed: 1",
        "  ~ 15085190 Ilsenburg (Harz) → Ilsenburg [Harz], slug ilsenburg-harz → ilsenburg",
        "Updated: 2 (official name 1, population 1, postal codes 1)",
        "Removed: 1",
        "  - 15085227 Nordharz [Harz]",
        "Kept although not in the file: 1",
        "  ! 15085230 Osterwieck [Harz]: kept because it has 1 application",
        NOTE,
        "Councils added: 1",
        "  + Gemeinderat Neudorf am Harz",
        "Councils updated: 4",
        "  ~ Kreistag Harz: expected seats 60 → 54",
        "  ~ Verbandsgemeinderat Vorharz: expected seats 20 → 22",
        "Councils removed: 1",
        "  - Gemeinderat Nordharz",
        "Councils kept although not in the data: 0",
        "Saved.",
    ]
    ilsenburg = Municipality.objects.get(ags="15085190")
    assert (ilsenburg.name, ilsenburg.official_name, ilsenburg.slug) == (
        "Ilsenburg",
        "Ilsenburg, Stadt",
        "ilsenburg",
    )
    halberstadt = Municipality.objects.get(ags="15085135")
    assert (halberstadt.population, halberstadt.postal_codes) == (36_000, "38820 38822")
    neudorf = Municipality.objects.select_related("district").get(ags="15085999")
    assert (
        neudorf.name,
        neudorf.slug,
        neudorf.district.slug,
        neudorf.verbandsgemeinde,
        neudorf.population,
        neudorf.postal_codes,
        neudorf.is_city,
    ) == ("Neudorf am Harz", "neudorf-am-harz", "harz", "Vorharz", 1234, "38855", False)
    assert set(
        Municipality.objects.filter(ags__in=["15085227", "15085230"]).values_list("name", flat=True)
    ) == {"Osterwieck"}
    assert Municipality.objects.count() == 218


def test_refresh_counts_each_changed_field(tmp_path):
    path = _file(
        tmp_path,
        change={
            "15085040": {"population": "8000"},
            "15085090": {"population": "1300", "verbandsgemeinde": ""},
            "15085185": {"is_stadt": "true"},
        },
    )

    lines = _run(path)

    assert lines[2] == "Updated: 3 (Verbandsgemeinde 1, population 2, city status 1)"
    assert Municipality.objects.get(ags="15085185").is_city is True
    assert Municipality.objects.get(ags="15085090").verbandsgemeinde == ""


def test_refresh_rename_keeps_slug_when_new_slug_is_taken(tmp_path):
    path = _file(tmp_path, change={"15085055": {"name": "Wernigerode"}})

    lines = _run(path)

    assert lines[1:3] == [
        "Renamed: 1",
        "  ~ 15085055 Blankenburg (Harz) → Wernigerode [Harz], "
        "slug blankenburg-harz kept because wernigerode is taken or reserved",
    ]
    assert NOTE not in lines
    assert Municipality.objects.get(ags="15085055").slug == "blankenburg-harz"


def test_refresh_rename_takes_slug_used_in_another_district(tmp_path):
    # Slugs are unique per district only: Quedlinburg may become "magdeburg" in Harz.
    path = _file(tmp_path, change={"15085235": {"name": "Magdeburg"}})

    _run(path)

    assert Municipality.objects.get(ags="15085235").slug == "magdeburg"


def test_refresh_added_municipality_with_taken_slug_gets_ags_suffix(tmp_path):
    path = _file(
        tmp_path,
        add=[_new_row("15085998", "Wernigerode"), _new_row("15085997", "Suche")],
    )

    lines = _run(path)

    assert lines[:3] == [
        "Added: 2",
        "  + 15085997 Suche [Harz], slug suche-997",
        "  + 15085998 Wernigerode [Harz], slug wernigerode-998",
    ]


def test_refresh_added_municipality_takes_slug_of_removed_one(tmp_path):
    path = _file(tmp_path, remove={"15085370"}, add=[_new_row("15085998", "Wernigerode")])

    _run(path)

    assert list(Municipality.objects.filter(name="Wernigerode").values_list("ags", "slug")) == [
        ("15085998", "wernigerode")
    ]


def test_refresh_keeps_removed_municipality_with_applications(tmp_path):
    wernigerode = get_municipality("harz", "wernigerode")
    make_application(municipality=wernigerode)
    make_application(municipality=wernigerode)
    path = _file(tmp_path, remove={"15085370"}, add=[_new_row("15085998", "Wernigerode")])

    lines = _run(path)

    assert lines == [
        "Added: 1",
        "  + 15085998 Wernigerode [Harz], slug wernigerode-998",
        "Renamed: 0",
        "Updated: 0",
        "Removed: 0",
        "Kept although not in the file: 1",
        "  ! 15085370 Wernigerode [Harz]: kept because it has 2 applications",
        "Councils added: 1",
        "  + Gemeinderat Wernigerode",
        "Councils updated: 2",
        "Councils removed: 0",
        "Councils kept although not in the data: 0",
        "Saved.",
    ]
    assert Municipality.objects.filter(ags="15085370").exists()


def test_refresh_dry_run_changes_nothing(tmp_path):
    before = _snapshot()
    councils_before = _councils()
    path = _file(
        tmp_path,
        change={"15085190": {"name": "Ilsenburg"}, "15085135": {"population": "1"}},
        remove={"15085227"},
        add=[_new_row("15085999", "Neudorf am Harz")],
    )

    lines = _run(path, "--dry-run")

    assert lines == [
        "Added: 1",
        "  + 15085999 Neudorf am Harz [Harz], slug neudorf-am-harz",
        "Renamed: 1",
        "  ~ 15085190 Ilsenburg (Harz) → Ilsenburg [Harz], slug ilsenburg-harz → ilsenburg",
        "Updated: 1 (population 1)",
        "Removed: 1",
        "  - 15085227 Nordharz [Harz]",
        "Kept although not in the file: 0",
        NOTE,
        "Councils added: 1",
        "  + Gemeinderat Neudorf am Harz",
        "Councils updated: 3",
        "  ~ Kreistag Harz: expected seats 60 → 54",
        "  ~ Stadtrat Halberstadt: expected seats 40 → 10",
        "Councils removed: 1",
        "  - Gemeinderat Nordharz",
        "Councils kept although not in the data: 0",
        "Dry run: nothing was saved.",
    ]
    assert _snapshot() == before
    assert _councils() == councils_before


def test_refresh_unknown_kreis_raises_and_changes_nothing(tmp_path):
    before = _snapshot()
    path = _file(
        tmp_path,
        change={"15085135": {"population": "1"}},
        remove={"15085227"},
        add=[_new_row("15099001", "Irgendwo")],
    )

    with pytest.raises(CommandError) as excinfo:
        _run(path)

    assert str(excinfo.value) == "Unknown Kreis: 15099 (15099001 Irgendwo). Nothing changed."
    assert _snapshot() == before


def test_refresh_invalid_row_raises_and_changes_nothing(tmp_path):
    before = _snapshot()
    path = _file(
        tmp_path,
        remove={"15085227"},
        add=[_new_row("15085999", "Neudorf", population="-5")],
    )

    with pytest.raises(CommandError) as excinfo:
        _run(path)

    assert str(excinfo.value) == (
        "AGS 15085999 (Neudorf): population: "
        "Dieser Wert muss größer oder gleich 0 sein. Nothing changed."
    )
    assert _snapshot() == before


def test_refresh_missing_column_raises(tmp_path):
    fieldnames, rows = _shipped()
    fieldnames = [name for name in fieldnames if name != "population"]
    path = _write(tmp_path, [{k: row[k] for k in fieldnames} for row in rows], fieldnames)

    with pytest.raises(CommandError) as excinfo:
        _run(path)

    assert str(excinfo.value) == f"{path}: missing columns population"


def test_refresh_seven_digit_ags_raises(tmp_path):
    path = _file(tmp_path, change={"15085135": {"ags": "1508513"}})

    with pytest.raises(CommandError) as excinfo:
        _run(path)

    # Line 1 is the header; Halberstadt is the 99th municipality in the file.
    assert str(excinfo.value) == f"{path}:100: AGS '1508513' is not 8 digits"


def test_refresh_short_row_raises(tmp_path):
    path = tmp_path / "kurz.csv"
    path.write_text(
        MUNICIPALITIES_FILE.read_text(encoding="utf-8") + "15085999,Neudorf,15085\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as excinfo:
        _run(path)

    assert str(excinfo.value) == f"{path}:220: expected 10 fields per row"


def test_refresh_header_only_file_raises(tmp_path):
    path = _write(tmp_path, [])

    with pytest.raises(CommandError) as excinfo:
        _run(path)

    assert str(excinfo.value) == f"{path}: contains no municipalities; nothing changed."
    assert Municipality.objects.count() == 218


def test_refresh_missing_file_raises(tmp_path):
    path = tmp_path / "fehlt.csv"

    with pytest.raises(CommandError) as excinfo:
        _run(path)

    assert str(excinfo.value) == f"[Errno 2] No such file or directory: '{path}'"


# --- The councils follow (districts.councils.sync_councils, same transaction) -----------
# What it adds, renames, recounts and removes, and what it never touches: official seats,
# Wahlbereiche, Ortschaftsräte, councils a candidate list points at.

WERNIGERODE = "15085370"
NORDHARZ = "15085227"


def council_lines(lines):
    start = next(i for i, line in enumerate(lines) if line.startswith("Councils added"))
    return lines[start:-1]


def make_ortschaftsrat(municipality, name="Silstedt"):
    return Council.objects.create(
        kind=Council.Kind.LOCAL_COUNCIL,
        district=municipality.district,
        municipality=municipality,
        area_name=name,
        name=f"Ortschaftsrat {name}",
        official_seats=7,
        electoral_areas=1,
    )


def test_new_municipality_gets_its_gemeinderat_with_expected_seats(tmp_path):
    path = _file(tmp_path, add=[_new_row("15085999", "Neudorf am Harz", population="5001")])

    lines = _run(path)

    neudorf = Council.objects.get(municipality__ags="15085999")
    assert (neudorf.name, neudorf.kind, neudorf.district.slug, neudorf.seats) == (
        "Gemeinderat Neudorf am Harz",
        Council.Kind.COUNCIL,
        "harz",
        20,
    )
    assert (neudorf.electoral_areas, neudorf.max_list_length) == (1, 25)
    kreistag = Council.objects.get(name="Kreistag Harz")
    assert kreistag.population == sum(
        Municipality.objects.filter(district__slug="harz").values_list("population", flat=True)
    )
    assert council_lines(lines)[:3] == [
        "Councils added: 1",
        "  + Gemeinderat Neudorf am Harz",
        "Councils updated: 1",  # the Kreistag's population
    ]


def test_rename_and_new_figures_keep_what_people_entered(tmp_path):
    Council.objects.filter(municipality__ags="15085190").update(
        official_seats=28, electoral_areas=2
    )
    path = _file(
        tmp_path,
        change={"15085190": {"name": "Ilsenburg", "population": "12000"}},
    )

    _run(path)

    ilsenburg = Council.objects.get(municipality__ags="15085190")
    assert (
        ilsenburg.name,
        ilsenburg.area_name,
        ilsenburg.population,
        ilsenburg.expected_seats,
        ilsenburg.official_seats,
        ilsenburg.electoral_areas,
    ) == ("Stadtrat Ilsenburg", "Ilsenburg", 12_000, 28, 28, 2)


def test_removed_municipality_takes_its_councils_along(tmp_path, wernigerode):
    nordharz = Municipality.objects.get(ags=NORDHARZ)
    make_ortschaftsrat(nordharz, "Veckenstedt")
    path = _file(tmp_path, remove={NORDHARZ})

    lines = _run(path)

    assert not Council.objects.filter(municipality__ags=NORDHARZ).exists()
    assert not Council.objects.filter(name="Ortschaftsrat Veckenstedt").exists()
    assert council_lines(lines)[-4:] == [
        "Councils removed: 2",
        "  - Gemeinderat Nordharz",
        "  - Ortschaftsrat Veckenstedt",
        "Councils kept although not in the data: 0",
    ]


def test_removed_municipality_is_kept_while_a_list_points_at_its_council(tmp_path):
    council = Council.objects.get(municipality__ags=NORDHARZ)
    CandidateList.objects.create(election=make_election(), council=council)
    path = _file(tmp_path, remove={NORDHARZ})

    lines = _run(path)

    assert Municipality.objects.filter(ags=NORDHARZ).exists()
    assert Council.objects.filter(pk=council.pk).exists()
    assert (
        "  ! 15085227 Nordharz [Harz]: kept because other records refer to it (lists.CandidateList)"
    ) in lines
    assert "Councils removed: 0" in lines


@pytest.mark.parametrize(("with_list", "removed", "kept"), [(False, 1, 0), (True, 0, 1)])
def test_dissolved_verbandsgemeinde_loses_its_council_unless_a_list_points_at_it(
    tmp_path, with_list, removed, kept
):
    vorharz = Council.objects.get(name="Verbandsgemeinderat Vorharz")
    if with_list:
        CandidateList.objects.create(election=make_election(), council=vorharz)
    members = Municipality.objects.filter(verbandsgemeinde="Vorharz").values_list("ags", flat=True)
    path = _file(tmp_path, change={ags: {"verbandsgemeinde": ""} for ags in members})

    lines = council_lines(_run(path))

    assert Council.objects.filter(pk=vorharz.pk).exists() is with_list
    assert f"Councils removed: {removed}" in lines
    assert f"Councils kept although not in the data: {kept}" in lines
    if with_list:
        assert (
            lines[-1]
            == "  ! Verbandsgemeinderat Vorharz: kept because a candidate list refers to it"
        )


def test_ortschaftsrat_of_a_municipality_joining_a_verbandsgemeinde_is_named_for_checking(
    tmp_path, wernigerode
):
    make_ortschaftsrat(wernigerode)
    path = _file(tmp_path, change={WERNIGERODE: {"verbandsgemeinde": "Vorharz"}})

    lines = _run(path)

    assert lines[-2] == (
        "Check: Ortschaftsrat Silstedt belongs to Wernigerode, now a member of "
        "Verbandsgemeinde Vorharz, which has no Ortschaftsräte (§ 81 Abs. 1 KVG LSA)."
    )
    assert Council.objects.filter(name="Ortschaftsrat Silstedt").exists()


def test_successor_with_the_same_name_gets_its_own_council(tmp_path, wernigerode):
    # A merger: the old Wernigerode is kept for its application, the new one has a new AGS.
    make_application(municipality=wernigerode)
    path = _file(tmp_path, remove={WERNIGERODE}, add=[_new_row("15085998", "Wernigerode")])

    _run(path)

    assert sorted(
        Council.objects.filter(name__endswith="Wernigerode").values_list("name", "area_name")
    ) == [
        ("Gemeinderat Wernigerode", "Wernigerode (15085998)"),
        ("Stadtrat Wernigerode", "Wernigerode (15085370)"),
    ]


def test_population_date_is_taken_from_the_option(tmp_path):
    _fieldnames, rows = _shipped()
    path = _write(tmp_path, rows)

    lines = _run(path, "--population-as-of", "2026-12-31")

    assert set(
        Council.objects.exclude(kind=Council.Kind.LOCAL_COUNCIL).values_list(
            "population_as_of", flat=True
        )
    ) == {datetime.date(2026, 12, 31)}
    assert "Councils updated: 247" in lines


def test_population_date_must_be_a_date(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        _run(_file(tmp_path), "--population-as-of", "31.12.2026")

    assert str(excinfo.value) == (
        "Error: argument --population-as-of: expected a date as YYYY-MM-DD, not '31.12.2026'"
    )


def test_unchanged_file_leaves_official_figures_and_ortschaftsraete_alone(tmp_path, wernigerode):
    make_ortschaftsrat(wernigerode)
    Council.objects.filter(name="Kreistag Harz").update(official_seats=60, electoral_areas=6)
    before = list(Council.objects.order_by("pk").values())

    lines = _run(_file(tmp_path))

    assert list(Council.objects.order_by("pk").values()) == before
    assert council_lines(lines) == [
        "Councils added: 0",
        "Councils updated: 0",
        "Councils removed: 0",
        "Councils kept although not in the data: 0",
    ]
    assert get_municipality("harz", "wernigerode").councils.count() == 2
