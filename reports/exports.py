"""What each export contains: one class per export with its `columns` and `rows(queryset)`
(../shared/STYLE.md). The files are written by reports.writer; every export goes through
reports.services.export_response or write_export_file, which scope nothing themselves:
the queryset passed in comes from `visible_to(user)` (or the admin's changelist, which
starts from it) and the audit row is written there.

Self-description (gender, migration history) is in no export: it is used only in
aggregate statistics (reports.statistics).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from candidates.admin.filters import MEMBERSHIP_SHORT
from candidates.fields import SUPPORT_WISHES
from candidates.models import Application, Body, Election, display_name
from districts.models import Municipality
from lists.models import CandidateList, ListPlace
from reports.models import ExportRecord

# Rows fetched per round trip; on PostgreSQL through a server-side cursor.
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    key: str  # the value in forms, the command's --columns and the audit row
    header: str
    value: Callable[[Any], Any]
    default: bool = True
    width: int = 16
    # The value function also takes Export.rows's `text` (to translate labels it joins).
    needs_text: bool = False


# Labels as module constants (and choices as dicts of their constant labels, not
# get_FOO_display): Export.rows translates each label once per export, not once per cell,
# which at 100,000 rows is most of the time an export takes.
NOT_ELIGIBLE, ELIGIBILITY_OPEN, ELIGIBLE = _("nein"), _("noch offen"), _("ja")
COMPLETE = _("vollständig")
INCOMPLETE = _("unvollständig: %(missing)s")
STATUS_LABELS = dict(Application.Status.choices)
CITIZENSHIP_LABELS = dict(Application.Citizenship.choices)
BODY_LABELS = dict(Body.choices)
LIST_STATUS_LABELS = dict(CandidateList.Status.choices)
# At most this many distinct labels are remembered per export (all constants above fit).
MAX_CACHED_LABELS = 1000


def _eligibility(application):
    if not application.is_eligible:
        return NOT_ELIGIBLE
    return ELIGIBILITY_OPEN if application.eligibility_open else ELIGIBLE


def _completeness(application):
    missing = application.missing_details
    if not missing:
        return COMPLETE
    return INCOMPLETE % {"missing": ", ".join(str(label) for label in missing)}


def _reasons(application):
    return "; ".join(str(reason.title) for reason in application.ineligibility_explanations)


def _support(application, text):
    return ", ".join(
        text(wish.short_label) for wish in SUPPORT_WISHES if getattr(application, wish.field)
    )


def _bodies(application, text):
    return ", ".join(text(BODY_LABELS[body]) for body in application.bodies)


def _membership(application):
    return MEMBERSHIP_SHORT.get(application.membership, "")


class Export:
    kind = None
    columns = ()
    sheet_title = ""
    filename_stem = ""

    def __init__(self, column_keys=None):
        known = {column.key: column for column in self.columns}
        if column_keys is None:
            self.selected = [column for column in self.columns if column.default]
        else:
            unknown = [key for key in column_keys if key not in known]
            if unknown:
                raise ValueError(f"Unknown columns: {', '.join(unknown)}")
            # In the export's own order, whatever order they were asked in.
            self.selected = [column for column in self.columns if column.key in column_keys]

    @classmethod
    def column_choices(cls):
        return [(column.key, column.header) for column in cls.columns]

    @classmethod
    def default_keys(cls):
        return [column.key for column in cls.columns if column.default]

    @property
    def column_keys(self):
        return [column.key for column in self.selected]

    def headers(self):
        return [str(column.header) for column in self.selected]

    def widths(self):
        return [column.width for column in self.selected]

    def prepare(self, queryset):
        return queryset

    def attach(self, obj):
        """Set related objects loaded once by prepare() on `obj` (no query per row)."""

    def rows(self, queryset):
        """The rows as lists of plain values (str, int, date, datetime, bool, None), in
        the order of the queryset, fetched in chunks."""
        texts = {}

        def text(value):
            # A lazy label translated once: keyed by identity, keeping the label itself
            # so that its id cannot be reused while the export runs.
            if not isinstance(value, Promise):
                return value
            cached = texts.get(id(value))
            if cached is not None and cached[0] is value:
                return cached[1]
            translated = str(value)
            if len(texts) < MAX_CACHED_LABELS:
                texts[id(value)] = (value, translated)
            return translated

        for obj in self.prepare(queryset).iterator(chunk_size=CHUNK_SIZE):
            self.attach(obj)
            yield [
                text(column.value(obj, text) if column.needs_text else column.value(obj))
                for column in self.selected
            ]

    def filename(self, extension):
        return f"{self.filename_stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


class ApplicationExport(Export):
    """Applications, one row each, in the order of the queryset passed in."""

    kind = ExportRecord.Kind.APPLICATIONS
    sheet_title = "Bewerbungen"
    filename_stem = "bewerbungen"
    columns = (
        Column("nummer", _("Nr."), lambda a: a.pk, width=8),
        Column("eingang", _("Eingang"), lambda a: timezone.localdate(a.created_at), width=11),
        Column("status", _("Status"), lambda a: STATUS_LABELS[a.status]),
        Column("wahl", _("Wahl"), lambda a: a.election.name, default=False, width=24),
        Column("kreisverband", _("Kreisverband"), lambda a: a.municipality.district.name),
        Column("gemeinde", _("Gemeinde"), lambda a: a.municipality.name, width=24),
        Column("gremien", _("Gremien"), _bodies, width=24, needs_text=True),
        Column("ortschaft", _("Ortschaft"), lambda a: a.local_council_name, default=False),
        Column("familienname", _("Familienname"), lambda a: a.last_name),
        Column("vornamen", _("Vornamen"), lambda a: a.first_names),
        Column("beruf", _("Beruf oder Stand"), lambda a: a.occupation, width=20),
        Column("geburtsdatum", _("Geburtsdatum"), lambda a: a.date_of_birth, width=11),
        Column("alter", _("Alter am Wahltag"), lambda a: a.age_on_election_day, width=8),
        Column("strasse", _("Straße und Hausnummer"), lambda a: a.street, width=24),
        Column("plz", _("PLZ"), lambda a: a.postal_code, width=7),
        Column("ort", _("Ort"), lambda a: a.town),
        Column("ortsteil", _("Ortsteil"), lambda a: a.ortsteil),
        Column("email", _("E-Mail-Adresse"), lambda a: a.email, width=28),
        Column("telefon", _("Telefon"), lambda a: a.phone),
        Column(
            "staatsangehoerigkeit",
            _("Staatsangehörigkeit"),
            lambda a: CITIZENSHIP_LABELS.get(a.citizenship, ""),
        ),
        Column("mitgliedschaft", _("Mitgliedschaft"), _membership, width=20),
        Column("waehlbar", _("wählbar"), _eligibility, width=10),
        Column("gruende", _("Gründe gegen die Wählbarkeit"), _reasons, default=False, width=30),
        Column("angaben", _("Angaben"), _completeness, width=24),
        Column("ansprechperson", _("Ansprechperson"), lambda a: display_name(a.assignee) or ""),
        Column("unterstuetzung", _("Unterstützungswünsche"), _support, width=30, needs_text=True),
        Column("motivation", _("Motivation"), lambda a: a.motivation, default=False, width=40),
        Column("themen", _("Themen"), lambda a: a.topics, default=False, width=40),
        Column("bestaetigt", _("E-Mail bestätigt am"), lambda a: a.confirmed_at, default=False),
        Column(
            "direkt",
            _("direkt erfasst"),
            lambda a: a.entered_by_id is not None,
            default=False,
            width=8,
        ),
    )

    def prepare(self, queryset):
        # The few municipalities, elections and Ansprechpersonen once, instead of joining
        # them into every row: three small queries, and no model instances per row for
        # them (at 100,000 rows, building those took a third of the time).
        self.municipalities = Municipality.objects.select_related("district").in_bulk()
        self.elections = Election.objects.in_bulk()
        self.assignees = get_user_model().objects.in_bulk(
            set(queryset.exclude(assignee=None).values_list("assignee", flat=True).order_by())
        )
        return queryset.select_related(None)

    def attach(self, application):
        set_related(application, "municipality", self.municipalities)
        set_related(application, "election", self.elections)
        set_related(application, "assignee", self.assignees)


def set_related(obj, name, objects):
    """obj.<name> from `objects` (by id) without a query; nothing for an empty key."""
    key = getattr(obj, f"{name}_id")
    if key is not None:
        type(obj)._meta.get_field(name).set_cached_value(obj, objects[key])


ADOPTED = (CandidateList.Status.ADOPTED, CandidateList.Status.SUBMITTED)


class CandidateListExport(Export):
    """The places of adopted (or submitted) lists in list order, with the particulars a
    Wahlvorschlag names (§ 21 Abs. 6 KWG LSA; the printed list, lists.views.PrintListView,
    has the same). The queryset is one of ListPlace."""

    kind = ExportRecord.Kind.LISTS
    sheet_title = "Listen"
    filename_stem = "listen"
    columns = (
        Column("kreisverband", _("Kreisverband"), lambda p: p.candidate_list.council.district.name),
        Column("vertretung", _("Vertretung"), lambda p: p.candidate_list.council.name, width=30),
        Column("wahlbereich", _("Wahlbereich"), lambda p: p.candidate_list.electoral_area, width=8),
        Column(
            "stand", _("Stand"), lambda p: LIST_STATUS_LABELS[p.candidate_list.status], width=20
        ),
        Column("platz", _("Platz"), lambda p: p.position, width=6),
        Column("familienname", _("Familienname"), lambda p: p.application.last_name),
        Column("vornamen", _("Vornamen"), lambda p: p.application.first_names),
        Column("beruf", _("Beruf oder Stand"), lambda p: p.application.occupation, width=20),
        Column("geburtsdatum", _("Geburtsdatum"), lambda p: p.application.date_of_birth, width=11),
        Column("strasse", _("Straße und Hausnummer"), lambda p: p.application.street, width=24),
        Column("plz", _("PLZ"), lambda p: p.application.postal_code, width=7),
        Column("ort", _("Ort"), lambda p: p.application.town),
        Column("ortsteil", _("Ortsteil"), lambda p: p.application.ortsteil),
        Column(
            "versammlung",
            _("Aufstellungsversammlung am"),
            lambda p: p.candidate_list.assembly_at,
            default=False,
        ),
    )

    @staticmethod
    def adopted_places(user):
        """The places of the adopted and submitted lists `user` may see."""
        return ListPlace.objects.visible_to(user).filter(candidate_list__status__in=ADOPTED)

    def prepare(self, queryset):
        return queryset.select_related("candidate_list__council__district", "application").order_by(
            "candidate_list__council__district__name",
            "candidate_list__council__name",
            "candidate_list__electoral_area",
            "position",
        )


EXPORTS = {export.kind: export for export in (ApplicationExport, CandidateListExport)}


def applications_for_export(user, *, election=None, districts=None, statuses=None, bodies=None):
    """The applications `user` may see, narrowed by the export page's or the command's
    choices, in a stable order (district, municipality, name)."""
    from candidates.models import BODY_FIELDS

    queryset = Application.objects.visible_to(user)
    if election is not None:
        queryset = queryset.filter(election=election)
    if districts:
        queryset = queryset.filter(municipality__district__in=districts)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if bodies:
        condition = Q()
        for body in bodies:
            condition |= Q(**{BODY_FIELDS[body]: True})
        queryset = queryset.filter(condition)
    return queryset.order_by(
        "municipality__district__name", "municipality__name", "last_name", "first_names", "pk"
    )


def lists_for_export(user, *, election=None, districts=None):
    queryset = CandidateListExport.adopted_places(user)
    if election is not None:
        queryset = queryset.filter(candidate_list__election=election)
    if districts:
        queryset = queryset.filter(candidate_list__council__district__in=districts)
    return queryset
