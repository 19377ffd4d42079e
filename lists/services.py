"""Every write to a candidate list, with its history (ListChange, PaperworkEvent) in the
same transaction. The admin calls these; nothing else writes lists.

- Scope: each service opens `scopes_disabled()` and checks itself that `by` may see the
  list (`CandidateList.objects.visible_to(by)`) and every application it places, so a
  forged id from another district fails even if a caller forgot to scope.
- Rules: lists.rules. A draft is saved with its problems; a list is marked adopted or
  submitted only while no rule that blocks adoption fails (ListRulesFailed).
- Concurrency: `version` is compared and incremented under a row lock; a save based on an
  older version raises ListConflict and changes nothing, so two people editing the same
  list never overwrite each other silently.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from candidates.models import BODY_FIELDS, Application, StatusChange, visible_filter
from candidates.services import erase_applications
from districts.models import Council
from lists import rules
from lists.models import CandidateList, ListChange, ListPlace, PaperworkEvent

LIST_FIELDS = ("status", "assembly_at", "assembly_place", "submission_deadline")


class ListConflict(Exception):
    """The list was changed by someone else since the editor loaded it."""

    message = _(
        "Jemand anderes hat diese Liste geändert, während du sie bearbeitet hast. Deine "
        "Änderungen sind nicht gespeichert. Lade die Liste neu und trage sie noch einmal ein."
    )


class ListRulesFailed(ValidationError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__([problem.message for problem in problems], code="list_rules")


def _check_may_edit_list(candidate_list, by):
    if not CandidateList.objects.visible_to(by).filter(pk=candidate_list.pk).exists():
        raise PermissionDenied


def _check_may_use_council(council, by):
    if not Council.objects.visible_to(by).filter(pk=council.pk).exists():
        raise PermissionDenied


def _check_may_place(applications, by):
    ids = {application.pk for application in applications}
    visible = set(
        Application.objects.visible_to(by).filter(pk__in=ids).values_list("pk", flat=True)
    )
    if visible != ids:
        raise PermissionDenied


def _display(candidate_list, name):
    value = getattr(candidate_list, name)
    if name == "status":
        return candidate_list.get_status_display()
    if value in (None, ""):
        return _("leer")
    if name == "assembly_at":
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if name == "submission_deadline":
        return value.strftime("%d.%m.%Y")
    return str(value)


@transaction.atomic
def create_list(*, election, council, electoral_area=1, by, **fields):
    """A new, empty draft list; fields: assembly_at, assembly_place, submission_deadline."""
    with scopes_disabled():
        _check_may_use_council(council, by)
        candidate_list = CandidateList(
            election=election, council=council, electoral_area=electoral_area, **fields
        )
        # The unique constraint is answered below in our words, from the database.
        candidate_list.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                candidate_list.save()
        except IntegrityError as error:
            raise ValidationError(
                _("Für diese Vertretung und diesen Wahlbereich gibt es schon eine Liste."),
                code="list_exists",
            ) from error
        ListChange.objects.create(
            candidate_list=candidate_list, changed_by=by, description=_("Liste angelegt")
        )
    return candidate_list


@transaction.atomic
def save_list(candidate_list, *, applications, by, seen_version):
    """Store the list as edited: its fields as set on `candidate_list` (LIST_FIELDS) and
    `applications` in list order. Returns the problems (lists.rules) of the saved list.

    Raises ListConflict if the list changed since `seen_version`, ListRulesFailed if the
    status is not draft while a blocking rule fails, PermissionDenied for a list or an
    application outside the user's districts."""
    applications = list(applications)
    with scopes_disabled():
        _check_may_edit_list(candidate_list, by)
        _check_may_place(applications, by)
        stored = (
            CandidateList.objects.select_for_update()
            .select_related("council__district", "election")
            .get(pk=candidate_list.pk)
        )
        if stored.version != seen_version:
            raise ListConflict(ListConflict.message)
        problems = rules.list_problems(candidate_list, applications)
        if candidate_list.status != CandidateList.Status.DRAFT and rules.blocking(problems):
            raise ListRulesFailed(rules.blocking(problems))

        now = timezone.now()
        changes = []
        for name in LIST_FIELDS:
            if getattr(stored, name) != getattr(candidate_list, name):
                changes.append(
                    ListChange(
                        candidate_list=stored,
                        changed_by=by,
                        changed_at=now,
                        description=_("%(field)s: %(old)s → %(new)s")
                        % {
                            "field": CandidateList._meta.get_field(name).verbose_name,
                            "old": _display(stored, name),
                            "new": _display(candidate_list, name),
                        },
                    )
                )
        changes += _store_places(stored, applications, by=by, at=now)
        candidate_list.version = stored.version + 1
        candidate_list.save(update_fields=[*LIST_FIELDS, "version", "updated_at"])
        ListChange.objects.bulk_create(changes)
    return problems


def _store_places(candidate_list, applications, *, by, at):
    """Make the list's places exactly `applications` in order; the history lines."""
    current = {
        place.application_id: place
        for place in ListPlace.objects.filter(candidate_list=candidate_list).select_related(
            "application"
        )
    }
    wanted = {application.pk: position for position, application in enumerate(applications, 1)}
    changes = []
    removed = [place for app_id, place in current.items() if app_id not in wanted]
    for place in removed:
        changes.append(
            ListChange(
                candidate_list=candidate_list,
                application=place.application,
                changed_by=by,
                changed_at=at,
                description=_("%(name)s von Platz %(position)s genommen")
                % {"name": place.application.full_name, "position": place.position},
            )
        )
    ListPlace.objects.filter(pk__in=[place.pk for place in removed]).delete()
    moved = [
        place
        for app_id, place in current.items()
        if app_id in wanted and wanted[app_id] != place.position
    ]
    # Two steps, so that swapping two positions never meets the unique constraint.
    offset = len(applications) + len(current) + 1
    for place in moved:
        place.position += offset * 2
    ListPlace.objects.bulk_update(moved, ["position"])
    for place in moved:
        old = place.position - offset * 2
        place.position = wanted[place.application_id]
        changes.append(
            ListChange(
                candidate_list=candidate_list,
                application=place.application,
                changed_by=by,
                changed_at=at,
                description=_("%(name)s von Platz %(old)s auf Platz %(new)s")
                % {"name": place.application.full_name, "old": old, "new": place.position},
            )
        )
    ListPlace.objects.bulk_update(moved, ["position"])
    for application in applications:
        if application.pk in current:
            continue
        position = wanted[application.pk]
        ListPlace.objects.create(
            candidate_list=candidate_list, application=application, position=position
        )
        changes.append(
            ListChange(
                candidate_list=candidate_list,
                application=application,
                changed_by=by,
                changed_at=at,
                description=_("%(name)s auf Platz %(position)s gesetzt")
                % {"name": application.full_name, "position": position},
            )
        )
    return changes


@transaction.atomic
def add_person_directly(candidate_list, *, person, by, seen_version):
    """Put someone who never applied through the portal (a sitting councillor, say) at the
    end of the list. `person` is an unsaved Application with the § 21 Abs. 6 KWG LSA
    particulars, contact and eligibility answers (lists.forms.DirectEntryForm); it is
    stored as entered by staff: nominated, no e-mail confirmation, no consent record of
    the portal's form (the team holds the person's consent), visible and erasable like
    any other application."""
    with scopes_disabled():
        _check_may_edit_list(candidate_list, by)
        council = candidate_list.council
        if person.municipality.district_id != council.district_id:
            raise PermissionDenied
        now = timezone.now()
        person.election = candidate_list.election
        person.status = Application.Status.NOMINATED
        person.confirmed_at = now
        person.consent_given_at = now
        person.consent_version = ""
        person.entered_by = by
        setattr(person, BODY_FIELDS[council.kind], True)
        if council.kind == Council.Kind.LOCAL_COUNCIL:
            person.local_council_name = council.area_name
        person.check_eligibility()
        taken = ValidationError(
            {
                "email": _(
                    "Unter dieser E-Mail-Adresse ist für %(municipality)s schon eine "
                    "Person erfasst. Ist sie nominiert, wähle sie in der Liste aus."
                )
                % {"municipality": person.municipality.name}
            },
            code="person_exists",
        )
        same_person = Application.objects.filter(
            election=person.election, municipality=person.municipality, email=person.email
        )
        if same_person.filter(visible_filter(by)).exists():
            raise taken
        # An application `by` may not see (unconfirmed: district teams never see those)
        # must not show through as "address taken", nor block the entry: the team now
        # holds the person's consent, and the unconfirmed one would expire anyway. It is
        # erased like any other.
        hidden = same_person.exclude(visible_filter(by))
        if hidden.exists():
            erase_applications(hidden, by=None)
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError as error:
            # Only a parallel entry of the same address gets here.
            if same_person.exists():
                raise taken from error
            raise
        StatusChange.objects.create(
            application=person,
            from_status=Application.Status.UNCONFIRMED,
            to_status=Application.Status.NOMINATED,
            changed_by=by,
            changed_at=now,
            note=_("Direkt auf die Liste „%(list)s“ gesetzt.") % {"list": candidate_list},
        )
        current = list(
            Application.objects.filter(list_places__candidate_list=candidate_list)
            .order_by("list_places__position")
            .select_related("municipality__district")
        )
        save_list(
            candidate_list,
            applications=[*current, person],
            by=by,
            seen_version=seen_version,
        )
    return person


@transaction.atomic
def record_paperwork(place, *, document, received, by):
    """Tick (or untick) one paper of a person on a list; a no-op if nothing changes."""
    with scopes_disabled():
        _check_may_edit_list(place.candidate_list, by)
        latest = (
            PaperworkEvent.objects.filter(place=place, document=document)
            .order_by("-recorded_at", "-pk")
            .first()
        )
        if (latest.received if latest else False) == received:
            return None
        return PaperworkEvent.objects.create(
            place=place, document=document, received=received, recorded_by=by
        )
