"""Bring the municipalities in line with a newer municipality file.

The file has the format of districts/data/gemeinden.csv (see districts/data/README.md) and is
read by districts.data_files, the same parser as the data migration. Municipalities are matched
by AGS. Districts are never changed: a Kreisreform needs its own migration.

A rename changes the slug and with it the application URL /<district>/<slug>/; the old URL is
not redirected.

The councils follow in the same transaction (districts.councils.sync_councils): a new
municipality gets its Gemeinderat, a removed one takes its councils along (unless a
candidate list points at one: then the municipality is kept), names and population figures
are updated, and with them the expected seats. Official seats, Wahlbereiche and the
Ortschaftsräte the teams entered are never changed.
"""

import argparse
import csv
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, ProtectedError
from django_scopes import scopes_disabled

from districts import law
from districts.councils import sync_councils
from districts.data_files import DataFileError, read_municipalities
from districts.models import Council, District, Municipality
from districts.slugs import RESERVED_SLUGS

# Fields taken from the file besides name and slug, with the label used in the summary.
# `electoral_areas` is not in the file and is kept as the districts set it.
UPDATED_FIELDS = {
    "official_name": "official name",
    "verbandsgemeinde": "Verbandsgemeinde",
    "population": "population",
    "postal_codes": "postal codes",
    "is_city": "city status",
}


@dataclass
class Changes:
    added: list = field(default_factory=list)
    renamed: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    field_counts: dict = field(default_factory=lambda: dict.fromkeys(UPDATED_FIELDS, 0))
    removed: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    # Councils that went with a removed municipality (FK CASCADE), by name.
    councils_removed: list = field(default_factory=list)


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {value!r}") from error


class Command(BaseCommand):
    help = (
        "Add, update and remove municipalities from a file in the format of "
        "districts/data/gemeinden.csv. Municipalities with applications are never removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file in the format of districts/data/gemeinden.csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="report the changes without saving them"
        )
        parser.add_argument(
            "--population-as-of",
            type=iso_date,
            default=law.POPULATION_AS_OF,
            metavar="YYYY-MM-DD",
            help=(
                "the date of the file's population figures, shown with the expected seats "
                f"(default: {law.POPULATION_AS_OF.isoformat()}, that of the shipped file)"
            ),
        )

    def handle(self, *args, path, dry_run, population_as_of, **options):
        try:
            rows = read_municipalities(path)
        except (DataFileError, OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(str(error)) from error
        if not rows:
            raise CommandError(f"{path}: contains no municipalities; nothing changed.")

        # A command has no district scope; the councils' lists (scoped) are looked at.
        with scopes_disabled(), transaction.atomic():
            changes = self.apply(rows)
            seats_before = expected_seats()
            council_changes = sync_councils(
                District, Municipality, Council, population_as_of=population_as_of
            )
            council_changes.removed += changes.councils_removed
            seats_changed = [
                (name, seats_before[pk][1], seats)
                for pk, (name, seats) in expected_seats().items()
                if pk in seats_before and seats_before[pk][1] != seats
            ]
            misplaced = list(
                Council.objects.filter(kind=Council.Kind.LOCAL_COUNCIL)
                .exclude(municipality__verbandsgemeinde="")
                .select_related("municipality")
                .order_by("name")
            )
            if dry_run:
                transaction.set_rollback(True)
        self.report(changes, dry_run=dry_run, councils=(council_changes, seats_changed, misplaced))

    def apply(self, rows):
        districts = {district.kreis_key: district for district in District.objects.all()}
        unknown = [row for row in rows if row.kreis_key not in districts]
        if unknown:
            listed = ", ".join(f"{row.kreis_key} ({row.ags} {row.name})" for row in unknown)
            raise CommandError(f"Unknown Kreis: {listed}. Nothing changed.")

        existing = {
            municipality.ags: municipality
            for municipality in Municipality.objects.select_related("district")
            .annotate(application_count=Count("applications"))
            .order_by("ags")
        }
        taken = {district.pk: set() for district in districts.values()}
        for municipality in existing.values():
            taken[municipality.district_id].add(municipality.slug)

        changes = Changes()
        # AGS order, so that slugs and the summary do not depend on the order of the file.
        rows = sorted(rows, key=lambda row: row.ags)
        # Removals first, so that a new municipality can take over a removed one's slug.
        in_file = {row.ags for row in rows}
        for ags, municipality in existing.items():
            if ags not in in_file:
                self.remove(municipality, changes, taken)
        for row in rows:
            if row.ags in existing:
                self.update(existing[row.ags], row, changes, taken)
        for row in rows:
            if row.ags not in existing:
                self.add(row, districts[row.kreis_key], changes, taken)
        return changes

    def remove(self, municipality, changes, taken):
        if municipality.application_count:
            changes.kept.append((municipality, municipality.application_count, ""))
            return
        councils = list(municipality.councils.values_list("name", flat=True))
        try:
            # Takes its councils along; a candidate list on one of them protects it.
            municipality.delete()
        except ProtectedError as error:
            # Referenced by something other than applications; keep it rather than fail.
            referring = sorted({obj._meta.label for obj in error.protected_objects})
            changes.kept.append((municipality, 0, ", ".join(referring)))
            return
        taken[municipality.district_id].discard(municipality.slug)
        changes.removed.append(municipality)
        changes.councils_removed += councils

    def update(self, municipality, row, changes, taken):
        changed = [
            name for name in UPDATED_FIELDS if getattr(municipality, name) != getattr(row, name)
        ]
        for name in changed:
            setattr(municipality, name, getattr(row, name))
            changes.field_counts[name] += 1
        if changed:
            changes.updated.append(municipality)

        renamed = municipality.name != row.name
        if renamed:
            old_name, old_slug = municipality.name, municipality.slug
            municipality.name = row.name
            new_slug = row.slug
            district_slugs = taken[municipality.district_id]
            if new_slug != old_slug and new_slug not in district_slugs | RESERVED_SLUGS:
                district_slugs.discard(old_slug)
                district_slugs.add(new_slug)
                municipality.slug = new_slug
            changes.renamed.append((municipality, old_name, old_slug, new_slug))

        if changed or renamed:
            self.save(municipality)

    def add(self, row, district, changes, taken):
        district_slugs = taken[district.pk]
        # A deterministic suffix from the AGS, which is unique within the Kreis.
        candidates = [row.slug, f"{row.slug}-{row.ags[5:]}", f"{row.slug}-{row.ags}"]
        slug = next(c for c in candidates if c not in district_slugs | RESERVED_SLUGS)
        district_slugs.add(slug)
        municipality = Municipality(
            ags=row.ags,
            name=row.name,
            slug=slug,
            district=district,
            **{name: getattr(row, name) for name in UPDATED_FIELDS},
        )
        self.save(municipality)
        changes.added.append(municipality)

    def save(self, municipality):
        try:
            municipality.full_clean()
        except ValidationError as error:
            problems = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
            raise CommandError(
                f"AGS {municipality.ags} ({municipality.name}): {problems.rstrip('.')}. "
                "Nothing changed."
            ) from error
        municipality.save()

    def report(self, changes, *, dry_run, councils):
        lines = []
        lines.append(f"Added: {len(changes.added)}")
        lines += [f"  + {_label(m)}, slug {m.slug}" for m in changes.added]
        lines.append(f"Renamed: {len(changes.renamed)}")
        for municipality, old_name, old_slug, wanted_slug in changes.renamed:
            if municipality.slug != old_slug:
                slug = f"slug {old_slug} → {municipality.slug}"
            elif wanted_slug != old_slug:
                slug = f"slug {old_slug} kept because {wanted_slug} is taken or reserved"
            else:
                slug = f"slug {old_slug} unchanged"
            lines.append(
                f"  ~ {municipality.ags} {old_name} → {municipality.name} "
                f"[{municipality.district.name}], {slug}"
            )
        counts = ", ".join(
            f"{label} {changes.field_counts[name]}"
            for name, label in UPDATED_FIELDS.items()
            if changes.field_counts[name]
        )
        lines.append(f"Updated: {len(changes.updated)}" + (f" ({counts})" if counts else ""))
        lines.append(f"Removed: {len(changes.removed)}")
        lines += [f"  - {_label(m)}" for m in changes.removed]
        lines.append(f"Kept although not in the file: {len(changes.kept)}")
        for municipality, count, referring in changes.kept:
            reason = (
                f"kept because it has {count} application{'s' if count != 1 else ''}"
                if count
                else f"kept because other records refer to it ({referring})"
            )
            lines.append(f"  ! {_label(municipality)}: {reason}")
        if any(m.slug != old_slug for m, _name, old_slug, _wanted in changes.renamed):
            lines.append(
                "Note: changed slugs change application URLs; old URLs are not redirected."
            )
        lines += self.council_lines(*councils)
        lines.append("Dry run: nothing was saved." if dry_run else "Saved.")
        self.stdout.write("\n".join(lines))

    def council_lines(self, changes, seats_changed, misplaced):
        lines = [f"Councils added: {len(changes.added)}"]
        lines += [f"  + {name}" for name in sorted(changes.added)]
        lines.append(f"Councils updated: {len(changes.updated)}")
        lines += [
            f"  ~ {name}: expected seats {before} → {after}"
            for name, before, after in sorted(seats_changed, key=lambda change: change[0])
        ]
        lines.append(f"Councils removed: {len(changes.removed)}")
        lines += [f"  - {name}" for name in sorted(changes.removed)]
        lines.append(f"Councils kept although not in the data: {len(changes.kept)}")
        lines += [
            f"  ! {name}: kept because a candidate list refers to it"
            for name in sorted(changes.kept)
        ]
        lines += [
            f"Check: {council.name} belongs to {council.municipality.name}, now a member of "
            f"Verbandsgemeinde {council.municipality.verbandsgemeinde}, which has no "
            "Ortschaftsräte (§ 81 Abs. 1 KVG LSA)."
            for council in misplaced
        ]
        return lines


def expected_seats():
    """{pk: (name, expected seats)} of the councils from the data."""
    return {
        council.pk: (council.name, council.expected_seats)
        for council in Council.objects.exclude(kind=Council.Kind.LOCAL_COUNCIL)
    }


def _label(municipality):
    return f"{municipality.ags} {municipality.name} [{municipality.district.name}]"
