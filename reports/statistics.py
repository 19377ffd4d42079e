"""The figures of the statistics page "Auswertung" (reports.statistics_views): where we
stand district by district, and how diverse our candidates are.

For one election and what the user may see (`districts_for(user)`,
`Application.objects.visible_to(user)`), per district and in total:

- applications per status; active applications (lists.coverage.ACTIVE_STATUSES) per body;
  councils, and councils nobody stands for (from lists.coverage.coverage);
- applications per campaign source of the district (campaigns.models.Source), and those
  that came without one;
- diversity at three stages: active applicants, nominated, on adopted lists (a ListPlace
  on a list that the assembly adopted or that was submitted; each application once):
  people, women, under 35 on election day, age unknown, migration history, non-members
  (open lists); and the age groups of active applicants on election day.

Every count of people leaves this module as a reports.suppression.Figure, never as a bare
number: shares are `figure(count, people of the stage)`, plain counts `figure(count)`.
Counts of councils are not about people and stay exact.

Query count is constant: one grouped query with conditional counts for every figure about
applications, the districts, one for the sources with their counts, and coverage's six.
Nothing iterates over applications in Python.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Source
from candidates.models import BODY_FIELDS, Application, Election, sees_unconfirmed, visible_filter
from lists import coverage as lists_coverage
from lists.coverage import ACTIVE_STATUSES
from lists.models import CandidateList, ListPlace
from portal.scoping import districts_for, sees_all_districts
from reports.suppression import Figure, figure

# Under this age on election day counts as "young".
YOUNG_AGE = 35
# A list counts for stage "on lists" once the assembly has adopted it.
ADOPTED_LIST_STATUSES = (CandidateList.Status.ADOPTED, CandidateList.Status.SUBMITTED)


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    # The CSV table of this stage's figures per district.
    table_key: str


STAGES = (
    Stage("active", _("aktive Bewerber:innen"), "vielfalt-aktiv"),
    Stage("nominated", _("nominiert"), "vielfalt-nominiert"),
    Stage("on_lists", _("auf beschlossenen Listen"), "vielfalt-listen"),
)


@dataclass(frozen=True)
class AgeGroup:
    key: str
    label: str
    # Age on election day: from `minimum` (inclusive) to `below` (exclusive); None = open.
    minimum: int | None
    below: int | None


# Applicants under 18 on election day are not eligible, but their applications exist:
# they get a group of their own instead of being counted among the 18-24-year-olds.
AGE_GROUPS = (
    AgeGroup("under_18", _("unter 18"), None, 18),
    AgeGroup("18_24", "18–24", 18, 25),
    AgeGroup("25_34", "25–34", 25, 35),
    AgeGroup("35_49", "35–49", 35, 50),
    AgeGroup("50_64", "50–64", 50, 65),
    AgeGroup("65_plus", "65+", 65, None),
)
AGE_UNKNOWN_LABEL = _("unbekannt")

# The election is chosen by ?wahl=<id>: ASCII digits only (not "+9", "٩" or "9 "), and
# few enough of them for any database's integer.
ELECTION_PARAMETER = "wahl"
ELECTION_ID = re.compile(r"[0-9]{1,9}")


# --- Which election -----------------------------------------------------------------------


@dataclass(frozen=True)
class ElectionChoice:
    election: Election | None
    is_current: bool
    # The `wahl` parameter named no election (not a number, or none with that id).
    unknown: bool = False


def choose_election(value):
    """The election of `?wahl=<value>`; without a value, or with one that names no
    election, the overview's (lists.coverage.election_for_overview), with `unknown` set
    in the second case."""
    if value:
        if ELECTION_ID.fullmatch(value):
            election = Election.objects.filter(pk=int(value)).first()
            if election is not None:
                return ElectionChoice(election, election.is_open())
        election, is_current = lists_coverage.election_for_overview()
        return ElectionChoice(election, is_current, unknown=True)
    election, is_current = lists_coverage.election_for_overview()
    return ElectionChoice(election, is_current)


def elections_to_choose():
    return Election.objects.order_by("-election_day", "-pk")


# --- Age on election day ------------------------------------------------------------------


def born_by(day, years):
    """The latest date of birth of someone who is at least `years` old on `day`
    (candidates.eligibility.age_on: a birthday on 29 February comes on 1 March in other
    years, so on 28 February of a year without it, someone born then is not yet older)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # `day` is 29 February, that year has none
        return day.replace(year=day.year - years, day=28)


def age_condition(day, minimum=None, below=None):
    """Known date of birth, and at least `minimum` and under `below` years old on `day`."""
    condition = Q(date_of_birth__isnull=False)
    if minimum is not None:
        condition &= Q(date_of_birth__lte=born_by(day, minimum))
    if below is not None:
        condition &= Q(date_of_birth__gt=born_by(day, below))
    return condition


# --- The figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Diversity:
    """One stage's figures for one district or the total. Shares are of `people`."""

    people: Figure
    women: Figure
    under_35: Figure
    age_unknown: Figure
    migration: Figure
    non_members: Figure

    @classmethod
    def of(cls, counts):
        people = counts["people"]
        return cls(
            people=figure(people),
            women=figure(counts["women"], people),
            under_35=figure(counts["under_35"], people),
            age_unknown=figure(counts["age_unknown"], people),
            migration=figure(counts["migration"], people),
            non_members=figure(counts["non_members"], people),
        )


@dataclass(frozen=True)
class Row:
    """The figures of one district (`district`), or of the total (`district` None)."""

    district: object
    councils: int
    councils_without_anyone: int
    applications: Figure
    # In the order of Statistics.statuses, BODIES, AGE_GROUPS (+ unknown).
    statuses: list
    active: Figure
    bodies: list
    stages: dict
    age_groups: list
    # [(Source, Figure)] of the district's sources, by name (none in the total), and the
    # applications that came without a source.
    sources: list = field(default_factory=list)
    without_source: Figure = field(default_factory=lambda: figure(0))

    @property
    def is_total(self):
        return self.district is None


@dataclass
class Statistics:
    election: Election | None
    election_is_current: bool
    sees_all_districts: bool
    # The statuses shown (unconfirmed only for who may see those applications).
    statuses: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    total: Row | None = None

    @property
    def total_label(self):
        if self.sees_all_districts:
            return _("Sachsen-Anhalt insgesamt")
        return _("Ihre Kreisverbände insgesamt")


BODIES = list(BODY_FIELDS)
DIVERSITY_FIELDS = ("people", "women", "under_35", "age_unknown", "migration", "non_members")


def _diversity_counts(day, stage, condition=None):
    """The conditional counts of one stage's figures, named `<stage>_<figure>`, among the
    rows matching `condition` (all rows if None)."""
    figures = {
        "people": Q(),
        "women": Q(gender=Application.Gender.WOMAN),
        "under_35": age_condition(day, below=YOUNG_AGE),
        "age_unknown": Q(date_of_birth__isnull=True),
        "migration": Q(migration_history=Application.MigrationHistory.YES),
        "non_members": Q(membership=Application.Membership.NON_MEMBER),
    }
    if stage == "active":
        figures |= {
            f"age_{group.key}": age_condition(day, group.minimum, group.below)
            for group in AGE_GROUPS
        }
    return {
        f"{stage}_{name}": _count(figure_condition, condition)
        for name, figure_condition in figures.items()
    }


def _count(condition, *conditions):
    for extra in conditions:
        if extra is not None:
            condition &= extra
    return Count("pk", filter=condition) if condition else Count("pk")


def _overview_counts(statuses):
    active = Q(status__in=ACTIVE_STATUSES)
    counts = {"applications": Count("pk"), "without_source": _count(Q(source__isnull=True))}
    counts |= {f"status_{status.value}": _count(Q(status=status)) for status in statuses}
    counts |= {
        f"body_{body.value}": _count(Q(**{name: True}), active)
        for body, name in BODY_FIELDS.items()
    }
    return counts


def _grouped(queryset, annotations):
    """{district id: {name: count}}: one query, grouped by the application's district."""
    return {
        row.pop("municipality__district_id"): row
        for row in queryset.order_by().values("municipality__district_id").annotate(**annotations)
    }


def on_adopted_list(election):
    """The condition "has a place on an adopted (or submitted) list of `election`". As
    `pk IN (subquery)`, PostgreSQL hashes the subquery's ids once, and each application
    counts once however many lists it is on."""
    places = ListPlace.objects.filter(
        candidate_list__election=election,
        candidate_list__status__in=ADOPTED_LIST_STATUSES,
    )
    return Q(pk__in=places.values("application_id"))


def statistics(user, *, election, election_is_current=True):
    """Statistics for `election` as `user` may see them: a row per district of
    districts_for(user) and the total."""
    result = Statistics(
        election=election,
        election_is_current=election_is_current,
        sees_all_districts=sees_all_districts(user),
        statuses=[
            Application.Status(status)
            for status in Application.Status.values
            if status != Application.Status.UNCONFIRMED or sees_unconfirmed(user)
        ],
    )
    if election is None:
        return result
    districts = list(districts_for(user))
    if not districts:
        return result

    day = election.election_day
    applications = Application.objects.visible_to(user).filter(election=election)
    # One pass over the applications for every figure: conditional counts.
    counts_by_district = _grouped(
        applications,
        _overview_counts(result.statuses)
        | _diversity_counts(day, "active", Q(status__in=ACTIVE_STATUSES))
        | _diversity_counts(day, "nominated", Q(status=Application.Status.NOMINATED))
        | _diversity_counts(day, "on_lists", on_adopted_list(election)),
    )
    council_figures = {
        entry.district.pk: entry.totals
        for entry in lists_coverage.coverage(
            user,
            election=election,
            election_is_current=election_is_current,
            districts=districts,
            with_tasks=False,
        ).districts
    }

    sources_by_district = {}
    for source in _sources_with_counts(user, election, districts):
        sources_by_district.setdefault(source.district_id, []).append(
            (source, figure(source.application_count))
        )

    total_counts = {}

    def counts_of(district_id):
        counts = dict(counts_by_district.get(district_id, {}))
        counts["councils"] = council_figures[district_id].councils
        counts["without_anyone"] = council_figures[district_id].without_anyone
        for name, value in counts.items():
            total_counts[name] = total_counts.get(name, 0) + value
        return counts

    result.rows = [
        _row(
            district,
            counts_of(district.pk),
            result.statuses,
            sources=sources_by_district.get(district.pk, []),
        )
        for district in districts
    ]
    result.total = _row(None, total_counts, result.statuses)
    return result


def _sources_with_counts(user, election, districts):
    """The sources of `districts`, each annotated with `application_count`: its
    applications for `election` that `user` may see (the same rule as every other count
    here, candidates.models.visible_filter). One query."""
    return (
        Source.objects.filter(district__in=districts)
        .annotate(
            application_count=Count(
                "applications",
                filter=visible_filter(user, prefix="applications__")
                & Q(applications__election=election),
            )
        )
        .order_by("name", "pk")
    )


def _row(district, counts, statuses, *, sources=()):
    def count(name):
        return counts.get(name, 0)

    stages = {
        stage.key: Diversity.of({name: count(f"{stage.key}_{name}") for name in DIVERSITY_FIELDS})
        for stage in STAGES
    }
    active_people = count("active_people")
    age_groups = [figure(count(f"active_age_{group.key}"), active_people) for group in AGE_GROUPS]
    age_groups.append(stages["active"].age_unknown)
    return Row(
        district=district,
        councils=count("councils"),
        councils_without_anyone=count("without_anyone"),
        applications=figure(count("applications")),
        statuses=[figure(count(f"status_{status.value}")) for status in statuses],
        active=stages["active"].people,
        bodies=[figure(count(f"body_{body.value}")) for body in BODIES],
        stages=stages,
        age_groups=age_groups,
        sources=list(sources),
        without_source=figure(count("without_source")),
    )


# --- Tables: what the page shows and each CSV file holds ---------------------------------


@dataclass(frozen=True)
class Share:
    """The percent of a Figure, shown only where the figure is exact."""

    figure: Figure

    @property
    def percent(self):
        return self.figure.percent


def percent_text(percent):
    """54.5 → "54,5" (German decimal comma)."""
    return f"{percent:.1f}".replace(".", ",")


def page_text(value):
    if isinstance(value, Share):
        # A no-break space: "54,5 %" stays on one line.
        return "–" if value.percent is None else f"{percent_text(value.percent)}\u00a0%"
    return str(value)


def csv_text(value):
    """A cell of a CSV file: a Figure as shown ("12", "< 5", "> 20"), a share as "54,5"
    or empty where it is not shown, a count of councils as a number."""
    if isinstance(value, Share):
        return "" if value.percent is None else percent_text(value.percent)
    if isinstance(value, Figure):
        return str(value)
    return value


@dataclass(frozen=True)
class TableRow:
    label: str
    values: list
    is_total: bool = False

    @property
    def cells(self):
        """What the page shows in each cell."""
        return [page_text(value) for value in self.values]


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list
    rows: list
    description: str = ""
    # How many of each row's values, after its label, are text rather than figures.
    text_columns: int = 0

    def csv_rows(self):
        return [[str(row.label), *[csv_text(value) for value in row.values]] for row in self.rows]


def _rows(stats, values_of):
    rows = [TableRow(row.district.name, values_of(row)) for row in stats.rows]
    rows.append(TableRow(str(stats.total_label), values_of(stats.total), is_total=True))
    return rows


DIVERSITY_HEADERS = [
    _("Personen"),
    _("Frauen"),
    _("Anteil Frauen (%)"),
    _("unter 35"),
    _("Anteil unter 35 (%)"),
    _("Alter unbekannt"),
    _("Migrationsgeschichte"),
    _("Anteil mit Migrationsgeschichte (%)"),
    _("Nichtmitglieder"),
    _("Anteil Nichtmitglieder (%)"),
]


def diversity_values(diversity):
    return [
        diversity.people,
        diversity.women,
        Share(diversity.women),
        diversity.under_35,
        Share(diversity.under_35),
        diversity.age_unknown,
        diversity.migration,
        Share(diversity.migration),
        diversity.non_members,
        Share(diversity.non_members),
    ]


def _status_table(stats):
    return Table(
        key="stand",
        title=_("Stand nach Kreisverband"),
        description=_(
            "Vertretungen ohne Kandidat:innen: niemand bewirbt sich aktiv dafür und niemand "
            "steht auf einer Liste."
        ),
        headers=[
            _("Kreisverband"),
            _("Vertretungen"),
            _("davon ohne Kandidat:innen"),
            _("Bewerbungen"),
            *[status.label for status in stats.statuses],
        ],
        rows=_rows(
            stats,
            lambda row: [
                row.councils,
                row.councils_without_anyone,
                row.applications,
                *row.statuses,
            ],
        ),
    )


def _body_table(stats):
    return Table(
        key="gremien",
        title=_("Aktive Bewerbungen nach Gremium"),
        description=_(
            "Aktiv: neu, in Kontakt, Gespräch vereinbart oder nominiert. Wer sich für mehrere "
            "Gremien bewirbt, zählt bei jedem."
        ),
        headers=[_("Kreisverband"), _("aktive Bewerbungen"), *[body.label for body in BODIES]],
        rows=_rows(stats, lambda row: [row.active, *row.bodies]),
    )


WITHOUT_SOURCE_LABEL = _("ohne Quelle")
WITH_SOURCE_LABEL = _("mit Quelle")


def _source_table(stats):
    rows = []
    for row in stats.rows:
        rows += [TableRow(row.district.name, [source.name, count]) for source, count in row.sources]
        rows.append(TableRow(row.district.name, [str(WITHOUT_SOURCE_LABEL), row.without_source]))
    total = stats.total
    label = str(stats.total_label)
    rows += [
        TableRow(
            label,
            [str(WITH_SOURCE_LABEL), figure(total.applications.count - total.without_source.count)],
            is_total=True,
        ),
        TableRow(label, [str(WITHOUT_SOURCE_LABEL), total.without_source], is_total=True),
    ]
    return Table(
        key="quellen",
        title=_("Bewerbungen nach Quelle"),
        description=_(
            "Quellen sind die Links und QR-Codes der Kreisverbände (Infostand, Haustür, "
            "Instagram …). „Ohne Quelle“: über einen Link ohne Quelle oder direkt ins "
            "Portal gekommen."
        ),
        headers=[_("Kreisverband"), _("Quelle"), _("Bewerbungen")],
        rows=rows,
        text_columns=1,
    )


def _stages_table(stats):
    return Table(
        key="stufen",
        title=_("Vielfalt nach Stufe: %(total)s") % {"total": stats.total_label},
        description=_(
            "Anteile von allen Personen der Stufe, auch von denen ohne Angabe. Unter 35: "
            "Alter am Wahltag; ohne Geburtsdatum zählt eine Person als „Alter unbekannt“."
        ),
        headers=[_("Stufe"), *DIVERSITY_HEADERS],
        rows=[
            TableRow(stage.label, diversity_values(stats.total.stages[stage.key]))
            for stage in STAGES
        ],
    )


def _stage_table(stage):
    def build(stats):
        return Table(
            key=stage.table_key,
            title=_("Vielfalt nach Kreisverband: %(stage)s") % {"stage": stage.label},
            headers=[_("Kreisverband"), *DIVERSITY_HEADERS],
            rows=_rows(stats, lambda row: diversity_values(row.stages[stage.key])),
        )

    return build


def _age_table(stats):
    return Table(
        key="alter",
        title=_("Altersgruppen der aktiven Bewerber:innen (Alter am Wahltag)"),
        headers=[
            _("Kreisverband"),
            _("Personen"),
            *[group.label for group in AGE_GROUPS],
            AGE_UNKNOWN_LABEL,
        ],
        rows=_rows(stats, lambda row: [row.active, *row.age_groups]),
    )


TABLES = {
    "stand": _status_table,
    "gremien": _body_table,
    "quellen": _source_table,
    "stufen": _stages_table,
    **{stage.table_key: _stage_table(stage) for stage in STAGES},
    "alter": _age_table,
}


def table(stats, key):
    """The table `key` (a key of TABLES) of these statistics."""
    return TABLES[key](stats)
