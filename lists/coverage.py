"""Coverage: for each council (Vertretung), how many people stand for it and how many
places on our lists are still open. The one place these figures are computed: the
overview pages in the admin (lists.overview) and the public open places
(lists.public) read them from here.

Per council:
- seats and the most names a list may carry come from the council record
  (districts.models.Council: expected by § 37 KVG LSA until the official figure is in);
- active: applications the user may see (`visible_to`), of the election, in a status of
  ACTIVE_STATUSES, ticking the council's body and living in its Wahlgebiet (Gemeinderat
  → the municipality; Verbandsgemeinderat → its member municipalities; Kreistag → the
  whole district; Ortschaftsrat → the municipality, with the Ortschaft named as the
  council's area, ignoring case and spaces);
- nominated: the same, with status "nominated";
- on lists: places on the council's lists of the election;
- open places: the list places (most names × Wahlbereiche) minus those on lists; None
  while the list length is unknown;
- next date: the earliest assembly or submission deadline of its lists still ahead.

Every figure takes a constant number of queries, however many councils and applications
there are: counts are grouped in the database (values()/annotate()), never fetched per row.

Public pages use the same computation, but count only staff decisions (nominations and
list places), never incoming applications: nothing public may tell whether someone applied.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django_scopes import scopes_disabled

from candidates.models import BODY_FIELDS, Application, Body, Election
from districts.models import Council, District
from lists.models import CandidateList, ListPlace

ACTIVE_STATUSES = (
    Application.Status.NEW,
    Application.Status.CONTACTED,
    Application.Status.INTERVIEW,
    Application.Status.NOMINATED,
)
# A confirmed application still "new" after this many days waits too long for an answer.
UNANSWERED_AFTER_DAYS = 7
# The order in which the overview lists kinds of councils by default.
KIND_ORDER = {
    Council.Kind.COUNCIL: 0,
    Council.Kind.VERBANDSGEMEINDE_COUNCIL: 1,
    Council.Kind.DISTRICT_COUNCIL: 2,
    Council.Kind.LOCAL_COUNCIL: 3,
}


def election_for_overview():
    """The election the figures are about, and whether it accepts applications today:
    the current one (Election.objects.current()); without one, the one with the latest
    election day (an upcoming election not yet open, else the last one held)."""
    current = Election.objects.current()
    if current is not None:
        return current, True
    return Election.objects.order_by("-election_day", "-pk").first(), False


def ortschaft_key(name):
    """How an Ortschaft's name is compared: ignoring case and surrounding or doubled
    spaces."""
    return " ".join(name.casefold().split())


def unanswered_since(today=None):
    """Applications confirmed before this day and still "new" count as unanswered. A day,
    not a moment, so that the admin link (`confirmed_at__date__lt`) finds the same ones."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=UNANSWERED_AFTER_DAYS)


@dataclass
class CouncilFigures:
    council: Council
    active: int = 0
    nominated: int = 0
    on_lists: int = 0
    lists: int = 0
    next_assembly: datetime.datetime | None = None
    next_deadline: datetime.date | None = None

    @property
    def list_places(self):
        return self.council.list_places

    @property
    def open_places(self):
        if self.list_places is None:
            return None
        return max(self.list_places - self.on_lists, 0)

    @property
    def has_nobody(self):
        """Nobody stands for it: no active applicant and nobody on a list."""
        return self.active == 0 and self.on_lists == 0

    @property
    def next_date(self):
        """The next date of its lists as (day, "assembly" or "deadline"), or None."""
        dates = []
        if self.next_assembly is not None:
            dates.append((timezone.localdate(self.next_assembly), "assembly"))
        if self.next_deadline is not None:
            dates.append((self.next_deadline, "deadline"))
        return min(dates, default=None)


@dataclass
class Totals:
    councils: int = 0
    active: int = 0
    nominated: int = 0
    on_lists: int = 0
    # The sum over the councils whose list length is known; `unknown_places` counts
    # the others.
    open_places: int = 0
    unknown_places: int = 0
    without_anyone: int = 0
    unanswered: int = 0

    def add(self, other):
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @classmethod
    def of(cls, rows, unanswered=0):
        totals = cls(councils=len(rows), unanswered=unanswered)
        for row in rows:
            totals.active += row.active
            totals.nominated += row.nominated
            totals.on_lists += row.on_lists
            if row.open_places is None:
                totals.unknown_places += 1
            else:
                totals.open_places += row.open_places
            totals.without_anyone += row.has_nobody
        return totals


@dataclass
class DistrictCoverage:
    district: District
    councils: list = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    # Lists of the election without an assembly date (CandidateList, council loaded).
    lists_without_assembly: list = field(default_factory=list)


@dataclass
class Coverage:
    election: Election | None
    election_is_current: bool
    districts: list = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    unanswered_since: datetime.date | None = None


# --- Shared computation -----------------------------------------------------------------


def _council_keys(council):
    if council.kind == Council.Kind.COUNCIL:
        return (council.kind, council.municipality_id)
    if council.kind == Council.Kind.VERBANDSGEMEINDE_COUNCIL:
        return (council.kind, council.district_id, council.area_name)
    if council.kind == Council.Kind.DISTRICT_COUNCIL:
        return (council.kind, council.district_id)
    return (council.kind, council.municipality_id, ortschaft_key(council.area_name))


def _application_keys(group):
    """The council keys (as _council_keys) a group of applications counts for."""
    keys = []
    if group[BODY_FIELDS[Body.COUNCIL]]:
        keys.append((Council.Kind.COUNCIL, group["municipality_id"]))
    if (
        group[BODY_FIELDS[Body.VERBANDSGEMEINDE_COUNCIL]]
        and group["municipality__verbandsgemeinde"]
    ):
        keys.append(
            (
                Council.Kind.VERBANDSGEMEINDE_COUNCIL,
                group["municipality__district_id"],
                group["municipality__verbandsgemeinde"],
            )
        )
    if group[BODY_FIELDS[Body.DISTRICT_COUNCIL]]:
        keys.append((Council.Kind.DISTRICT_COUNCIL, group["municipality__district_id"]))
    if group[BODY_FIELDS[Body.LOCAL_COUNCIL]]:
        keys.append(
            (
                Council.Kind.LOCAL_COUNCIL,
                group["municipality_id"],
                ortschaft_key(group["local_council_name"]),
            )
        )
    return keys


def council_figures(councils, *, applications, places, lists, now=None):
    """CouncilFigures for each council, in the given order: four queries in all.

    `applications` are the ones to count (already narrowed to the election, the statuses
    and what the reader may see); `places` and `lists` likewise the ListPlaces and
    CandidateLists of the election."""
    now = now or timezone.now()
    rows = [CouncilFigures(council) for council in councils]
    by_key = {_council_keys(row.council): row for row in rows}
    by_id = {row.council.pk: row for row in rows}

    groups = (
        applications.order_by()
        .values(
            "municipality_id",
            "municipality__district_id",
            "municipality__verbandsgemeinde",
            "local_council_name",
            "status",
            *BODY_FIELDS.values(),
        )
        .annotate(count=Count("pk"))
    )
    for group in groups:
        for key in _application_keys(group):
            row = by_key.get(key)
            if row is None:
                continue
            row.active += group["count"]
            if group["status"] == Application.Status.NOMINATED:
                row.nominated += group["count"]

    # Not narrowed to these councils in SQL (a long IN list); rows of others are skipped.
    place_counts = (
        places.order_by().values("candidate_list__council_id").annotate(count=Count("pk"))
    )
    for group in place_counts:
        row = by_id.get(group["candidate_list__council_id"])
        if row is not None:
            row.on_lists = group["count"]

    today = timezone.localdate(now)
    for council_id, assembly_at, deadline in lists.order_by().values_list(
        "council_id", "assembly_at", "submission_deadline"
    ):
        row = by_id.get(council_id)
        if row is None:
            continue
        row.lists += 1
        if assembly_at is not None and assembly_at >= now:
            row.next_assembly = min(assembly_at, row.next_assembly or assembly_at)
        if deadline is not None and deadline >= today:
            row.next_deadline = min(deadline, row.next_deadline or deadline)
    return rows


def council_order(council):
    """By kind, then by place (Gemeinderäte and Stadträte together)."""
    return (KIND_ORDER.get(council.kind, 9), council.area_name.casefold(), council.name)


def sort_key_by_kind(row):
    return council_order(row.council)


# --- For staff --------------------------------------------------------------------------


def coverage(
    user, *, election, election_is_current=True, districts=None, now=None, with_tasks=True
):
    """The overview's figures for `districts` (a queryset within districts_for(user);
    default all of the user's), counting what `user` may see. Seven queries, whatever the
    numbers of districts, councils, lists and applications; five without `with_tasks`
    (what needs doing: applications unanswered, lists without assembly date), which the
    statistics page does not show."""
    from portal.scoping import districts_for

    now = now or timezone.now()
    districts = list(districts if districts is not None else districts_for(user))
    result = Coverage(election=election, election_is_current=election_is_current)
    if election is None or not districts:
        result.districts = [DistrictCoverage(district) for district in districts]
        return result
    district_ids = [district.pk for district in districts]
    result.unanswered_since = unanswered_since(timezone.localdate(now))

    councils = sorted(
        Council.objects.visible_to(user)
        .filter(district__in=district_ids)
        .select_related("district", "municipality"),
        key=council_order,
    )
    applications = Application.objects.visible_to(user).filter(
        election=election, status__in=ACTIVE_STATUSES, municipality__district__in=district_ids
    )
    places = ListPlace.objects.visible_to(user).filter(candidate_list__election=election)
    lists = CandidateList.objects.visible_to(user).filter(election=election)
    rows = council_figures(councils, applications=applications, places=places, lists=lists, now=now)

    if with_tasks:
        unanswered, without_assembly = _tasks(user, election, district_ids, result, lists)
    else:
        unanswered, without_assembly = {}, defaultdict(list)

    by_district = defaultdict(list)
    for row in rows:
        by_district[row.council.district_id].append(row)
    for district in districts:
        entry = DistrictCoverage(
            district,
            councils=by_district[district.pk],
            totals=Totals.of(by_district[district.pk], unanswered.get(district.pk, 0)),
            lists_without_assembly=without_assembly[district.pk],
        )
        result.districts.append(entry)
        result.totals.add(entry.totals)
    return result


def _tasks(user, election, district_ids, result, lists):
    """What needs doing per district: applications unanswered since
    result.unanswered_since, and lists without an assembly date. Two queries."""
    unanswered = dict(
        Application.objects.visible_to(user)
        .filter(
            election=election,
            status=Application.Status.NEW,
            confirmed_at__date__lt=result.unanswered_since,
            municipality__district__in=district_ids,
        )
        .order_by()
        .values_list("municipality__district_id")
        .annotate(count=Count("pk"))
    )
    without_assembly = defaultdict(list)
    for candidate_list in (
        lists.filter(assembly_at__isnull=True, council__district__in=district_ids)
        .select_related("council__district")
        .order_by("council__name", "electoral_area")
    ):
        without_assembly[candidate_list.council.district_id].append(candidate_list)
    return unanswered, without_assembly


# --- For the public ---------------------------------------------------------------------


def public_council_figures(councils, *, election, district):
    """CouncilFigures for public pages about councils of `district`: `nominated` and
    `on_lists` only, from staff decisions. Incoming applications are never counted (only
    nominated ones are passed in, so `active` equals `nominated`): a public page must not
    change when someone applies."""
    # Public pages run without a district scope; what leaves here is counts of what the
    # district team decided, never a name or an incoming application.
    with scopes_disabled():
        return council_figures(
            councils,
            applications=Application.objects.filter(
                election=election,
                status=Application.Status.NOMINATED,
                municipality__district=district,
            ),
            places=ListPlace.objects.filter(
                candidate_list__election=election, candidate_list__council__district=district
            ),
            lists=CandidateList.objects.filter(election=election, council__district=district),
        )
