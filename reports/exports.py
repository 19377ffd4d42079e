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
from candidates.models import BODY_FIELDS, BODY_LABELS, Application, Election, display_name
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
    # The value may be a lazy label (translated once per export by Export.rows).
    label: bool = False
    # The stored field the value reads, where no property of the export's records needs
    # it: fetched only when the column is chosen (ApplicationExport.records).
    field: str = ""


# Labels as module constants (and choices as dicts of their constant labels, not
# get_FOO_display): Export.rows translates each label once per export, not once per cell,
# which at 100,000 rows is most of the time an export takes.
NOT_ELIGIBLE, ELIGIBILITY_OPEN, ELIGIBLE = _("nein"), _("noch offen"), _("ja")
COMPLETE = _("vollständig")
INCOMPLETE = _("unvollständig: %(missing)s")
STATUS_LABELS = dict(Application.Status.choices)
CITIZENSHIP_LABELS = dict(Application.Citizenship.choices)
LIST_STATUS_LABELS = dict(CandidateList.Status.choices)
# At most this many distinct labels are remembered per export (all constants above fit).
MAX_CACHED_LABELS = 1000


def _local_date(moment):
    # The portal's time zone (settings.TIME_ZONE); timezone.localdate would look up the
    # active one in a context variable for every row.
    return moment.astimezone(timezone.get_default_timezone()).date()


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

    def records(self, queryset):
        """The objects the columns read, one per row, fetched in chunks."""
        return self.prepare(queryset).iterator(chunk_size=CHUNK_SIZE)

    def rows(self, queryset):
        """The rows as lists of plain values (str, int, date, datetime, bool, None), in
        the order of the queryset."""
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

        def cell(column):
            if column.needs_text:
                return lambda record: column.value(record, text)
            if column.label:
                return lambda record: text(column.value(record))
            return column.value

        cells = [cell(column) for column in self.selected]
        for record in self.records(queryset):
            yield [value(record) for value in cells]

    def filename(self, extension):
        return f"{self.filename_stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


class ApplicationExport(Export):
    """Applications, one row each, in the order of the queryset passed in."""

    kind = ExportRecord.Kind.APPLICATIONS
    sheet_title = "Bewerbungen"
    filename_stem = "bewerbungen"
    columns = (
        Column("nummer", _("Nr."), lambda a: a.pk, width=8),
        Column("eingang", _("Eingang"), lambda a: _local_date(a.created_at), width=11),
        Column("status", _("Status"), lambda a: STATUS_LABELS[a.status], label=True),
        Column("wahl", _("Wahl"), lambda a: a.election.name, default=False, width=24),
        Column("kreisverband", _("Kreisverband"), lambda a: a.municipality.district.name),
        Column("gemeinde", _("Gemeinde"), lambda a: a.municipality.name, width=24),
        Column("gremien", _("Gremien"), _bodies, width=24, needs_text=True),
        Column(
            "ortschaft",
            _("Ortschaft"),
            lambda a: a.local_council_name,
            default=False,
            field="local_council_name",
        ),
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
            label=True,
        ),
        Column("mitgliedschaft", _("Mitgliedschaft"), _membership, width=20, label=True),
        Column("waehlbar", _("wählbar"), _eligibility, width=10, label=True),
        Column("gruende", _("Gründe gegen die Wählbarkeit"), _reasons, default=False, width=30),
        Column("angaben", _("Angaben"), _completeness, width=24, label=True),
        Column("ansprechperson", _("Ansprechperson"), lambda a: display_name(a.assignee) or ""),
        Column("unterstuetzung", _("Unterstützungswünsche"), _support, width=30, needs_text=True),
        Column("motivation", _("Motivation"), lambda a: a.motivation, default=False, width=40),
        Column("themen", _("Themen"), lambda a: a.topics, default=False, width=40, field="topics"),
        Column(
            "bestaetigt",
            _("E-Mail bestätigt am"),
            lambda a: a.confirmed_at,
            default=False,
            field="confirmed_at",
        ),
        Column(
            "direkt",
            _("direkt erfasst"),
            lambda a: a.entered_by_id is not None,
            default=False,
            width=8,
        ),
    )

    def records(self, queryset):
        """ApplicationValues, not model instances, from one server-side cursor; the few
        municipalities, elections and Ansprechpersonen loaded once (three small queries)
        instead of joined into every row."""
        municipalities = Municipality.objects.select_related("district").in_bulk()
        elections = Election.objects.in_bulk()
        assignees = get_user_model().objects.in_bulk(
            set(queryset.exclude(assignee=None).values_list("assignee", flat=True).order_by())
        )
        names = ApplicationValues.FIELDS + tuple(
            column.field for column in self.selected if column.field
        )
        for values in queryset.values_list(*names).iterator(chunk_size=CHUNK_SIZE):
            record = ApplicationValues()
            record.__dict__.update(zip(names, values, strict=True))
            record.municipality = municipalities[record.municipality_id]
            record.election = elections[record.election_id]
            record.assignee = assignees.get(record.assignee_id)
            yield record


class ApplicationValues:
    """One application's stored values as plain attributes (`municipality`, `election`
    and `assignee` as objects), with the model's own properties that the columns read:
    the same code as candidates.models.Application's, without building a model instance
    per row, which took half the time of a 100,000-row export.
    tests/reports/test_exports.py checks every column against the model."""

    # What the properties below and the columns without a `field` read. Never the
    # self-description: it is in no export, so it is not even fetched.
    FIELDS = (
        "id",
        "election_id",
        "municipality_id",
        "assignee_id",
        "entered_by_id",
        "status",
        "created_at",
        "last_name",
        "first_names",
        "email",
        "phone",
        "ortsteil",
        "ineligibility_reasons",
        "is_eligible",
        *Application.LIST_DETAILS,
        # "bodies" is not a field: the BODY_FIELDS are.
        *(name for name in Application.PORTAL_DETAILS if name != "bodies"),
        *BODY_FIELDS.values(),
        *(
            answer
            for answer in Application.ELIGIBILITY_ANSWERS
            if answer not in Application.LIST_DETAILS
        ),
        *(wish.field for wish in SUPPORT_WISHES),
    )
    _meta = Application._meta
    LIST_DETAILS = Application.LIST_DETAILS
    PORTAL_DETAILS = Application.PORTAL_DETAILS
    ELIGIBILITY_ANSWERS = Application.ELIGIBILITY_ANSWERS
    missing_details = Application.missing_details
    eligibility_open = Application.eligibility_open
    bodies = Application.bodies
    age_on_election_day = Application.age_on_election_day
    ineligibility_explanations = Application.ineligibility_explanations

    @property
    def pk(self):
        return self.id


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
            "stand",
            _("Stand"),
            lambda p: LIST_STATUS_LABELS[p.candidate_list.status],
            width=20,
            label=True,
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
