"""Every write with side effects on applications. Longer than 400 lines on purpose: "where
is this written, and what else happens then" has one answer, this module (the history
rows, mail and erasure go with the writes)."""

import logging

from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from candidates import abuse, workflow
from candidates.emails import (
    queue_already_applied_mail,
    queue_confirmation_mail,
    queue_new_application_notification,
    queue_withdrawal_notification,
)
from candidates.models import (
    Application,
    Assignment,
    DetailChange,
    LegalDocument,
    Note,
    StatusChange,
    display_name,
    retention_rules,
)
from portal.scoping import districts_for

logger = logging.getLogger(__name__)


@transaction.atomic
def submit_application(application):
    """Store a new application from the public form, or tell the address's owner that
    they have applied here already. Returns the stored application, or None when nothing
    new was stored.

    The public answer must not depend on this: whoever submits sees the same thank-you
    page, and only the mailbox learns the truth (an attacker who types someone else's
    address learns nothing about where that person applied). So:

    - new (election, municipality, e-mail): the application is stored with the time of
      consent and the version of the privacy notice consented to (stamped here, the one
      place) and its eligibility flag, and the confirmation mail is queued in this
      transaction (an outbox row, sent after commit);
    - that address has applied here already: nothing is stored; the address gets a mail
      saying so, with a fresh confirmation link if it was never confirmed;
    - the address has had its daily share of mails from the form
      (candidates.abuse.mail_to_address_allowed): nothing is stored or sent.
    """
    application.check_eligibility()
    if not abuse.mail_to_address_allowed(application.email):
        logger.info("Form mail limit reached for one address; nothing stored or sent")
        return None
    # Consent is stamped here and only here: when, and to which privacy notice.
    privacy = LegalDocument.current(LegalDocument.Kind.PRIVACY)
    application.consent_version = privacy.version if privacy else ""
    application.consent_given_at = timezone.now()
    application.status = Application.Status.UNCONFIRMED
    application.confirmed_at = None
    # The model's rules once more, whoever calls: fields and Application.clean(). The
    # database decides uniqueness and its constraints: the insert is tried first (most
    # submissions are new), and the unique (election, municipality, e-mail) constraint
    # says whether the address applied here already, also in a parallel request.
    # Without any privacy notice (a fresh database) there is no version to record.
    # The election and the municipality are rows the caller loaded: their existence is
    # not asked again (two queries), the foreign keys hold it at the insert anyway.
    exclude = {"election", "municipality"} if _loaded_relations(application) else set()
    # A field whose value the public form's model validation accepted, unchanged since,
    # is not checked twice (ApplicationForm._post_clean); clean() runs in any case.
    exclude |= {
        name
        for name, value in getattr(application, "_validated_values", {}).items()
        if Application._meta.get_field(name).value_from_object(application) == value
    }
    if not privacy:
        exclude.add("consent_version")
    application.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        existing = _existing_application(application)
        if existing is None:
            raise
        # Nothing was stored: the unsaved object must not look stored to the caller.
        application.pk = None
        queue_already_applied_mail(existing)
        return None
    queue_confirmation_mail(application)
    return application


def _loaded_relations(application):
    """Whether the application's election and municipality are saved rows it holds."""
    return all(
        Application._meta.get_field(name).is_cached(application)
        and getattr(application, name) is not None
        and getattr(application, name).pk is not None
        for name in ("election", "municipality")
    )


def _existing_application(application):
    # Public form: no district scope; one row looked up by its unique key.
    with scopes_disabled():
        return (
            Application.objects.select_related("election", "municipality__district")
            .filter(
                election=application.election,
                municipality=application.municipality,
                email=application.email,
            )
            .first()
        )


# --- History rows: their shape in one place ---------------------------------------------
# Unsaved rows: the services below save them one by one, seed_demo bulk-creates them.


def status_change_row(application, *, from_status, to_status, by, at, note=""):
    """A StatusChange: `by` (None: the applicant or the system) moved `application` from
    `from_status` to `to_status` at `at`, with an optional note."""
    return StatusChange(
        application=application,
        from_status=from_status,
        to_status=to_status,
        changed_by=by,
        changed_at=at,
        note=note.strip(),
    )


def confirmation_row(application, *, at):
    """The StatusChange of the applicant's confirmation: unconfirmed → new, by nobody."""
    return status_change_row(
        application,
        from_status=Application.Status.UNCONFIRMED,
        to_status=Application.Status.NEW,
        by=None,
        at=at,
    )


def assignment_row(application, *, previous, assignee, by, at):
    """An Assignment: `by` made `assignee` (None: nobody) the Ansprechperson instead of
    `previous` (None: nobody) at `at`."""
    return Assignment(
        application=application,
        previous_assignee=previous,
        assignee=assignee,
        assigned_by=by,
        assigned_at=at,
    )


def detail_change_row(application, *, fields, by, at):
    """Which details changed (names, never values); `by` None is the person themself."""
    return DetailChange(application=application, fields=list(fields), changed_by=by, changed_at=at)


def note_row(application, *, text, by, at):
    """A Note by `by` at `at`."""
    return Note(application=application, author=by, created_at=at, text=text.strip())


@transaction.atomic
def confirm_application(application):
    """Mark the applicant's e-mail as confirmed. Returns True the first time only.

    Side effects: status unconfirmed → new with a StatusChange row by nobody (the
    applicant), and the district's notification.
    """
    # Called from the public confirmation page, outside any district scope.
    with scopes_disabled():
        now = timezone.now()
        # Compare-and-set on the status, the one field queries ask about "unconfirmed";
        # the database keeps confirmed_at in step (Application.Meta constraint).
        # Past its deadline an application waits only for its erasure, whatever link.
        updated = (
            Application.objects.filter(pk=application.pk, status=Application.Status.UNCONFIRMED)
            .exclude(pk__in=Application.objects.confirmation_expired(now).values("pk"))
            .update(confirmed_at=now, status=Application.Status.NEW, updated_at=now)
        )
        application.refresh_from_db()
        if updated:
            confirmation_row(application, at=now).save()
    if updated:
        queue_new_application_notification(application)
    return bool(updated)


# --- Workflow (district teams and the state office, through the admin) ----------------


def _check_may_edit(application, by):
    """Services are the last line: even a caller that forgot to scope cannot act on an
    application the user may not see."""
    if by is not None and not Application.objects.visible_to(by).filter(pk=application.pk).exists():
        raise PermissionDenied


@transaction.atomic
def change_status(application, *, status, by, note=""):
    """Move the application to `status` if candidates.workflow allows it for `by`.

    Side effects: the application's status and a StatusChange row (from, to, by, note).
    Raises ValidationError (German) for a transition that is not allowed, including one
    that another person's change made impossible in the meantime.
    """
    with scopes_disabled():
        _check_may_edit(application, by)
        current = Application.objects.values_list("status", flat=True).get(pk=application.pk)
        if status not in workflow.allowed_transitions(current, by):
            raise ValidationError(workflow.transition_error(current, status), code="transition")
        now = timezone.now()
        # Compare-and-set: two people changing the status at once cannot both succeed.
        updated = Application.objects.filter(pk=application.pk, status=current).update(
            status=status, updated_at=now
        )
        if not updated:
            raise ValidationError(
                _("Der Status wurde gerade von jemand anderem geändert. Bitte neu laden."),
                code="concurrent",
            )
        status_change_row(
            application, from_status=current, to_status=status, by=by, at=now, note=note
        ).save()
    application.status = status
    application.updated_at = now
    return application


WITHDRAWN_BY_THE_PERSON_NOTE = "von der Person selbst zurückgezogen"


@transaction.atomic
def withdraw_application(application):
    """The applicant withdraws their application themselves ("Meine Bewerbung"), from any
    status but "Zurückgezogen" — also "Nominiert" and "Nicht berücksichtigt": it is their
    candidacy, whatever the workflow allows district teams (candidates.workflow).

    - Confirmed: status → withdrawn, a StatusChange row by nobody with the note
      WITHDRAWN_BY_THE_PERSON_NOTE, and a mail to the district's notification recipients
      without personal data (emails.queue_withdrawal_notification).
    - Unconfirmed (no district team has seen it): erased instead, through
      erase_applications; nobody is told.

    Compare-and-set on the status, like change_status. Returns the application, or None
    when it was erased. Raises ValidationError (German) if it is withdrawn already.
    """
    with scopes_disabled():
        current = Application.objects.values_list("status", flat=True).get(pk=application.pk)
        if current == Application.Status.WITHDRAWN:
            raise ValidationError(
                _("Diese Bewerbung ist schon zurückgezogen."), code="already_withdrawn"
            )
        if current == Application.Status.UNCONFIRMED:
            erase_applications(Application.objects.filter(pk=application.pk))
            return None
        now = timezone.now()
        updated = Application.objects.filter(pk=application.pk, status=current).update(
            status=Application.Status.WITHDRAWN, updated_at=now
        )
        if not updated:
            raise ValidationError(
                _("Der Status hat sich gerade geändert. Bitte lade die Seite neu."),
                code="concurrent",
            )
        status_change_row(
            application,
            from_status=current,
            to_status=Application.Status.WITHDRAWN,
            by=None,
            at=now,
            note=WITHDRAWN_BY_THE_PERSON_NOTE,
        ).save()
    application.status = Application.Status.WITHDRAWN
    application.updated_at = now
    queue_withdrawal_notification(application)
    return application


@transaction.atomic
def assign(application, *, assignee, by):
    """Make `assignee` the application's Ansprechperson (None: nobody).

    The assignee must be in the team of the application's district or in the state office
    (candidates.workflow.assignable_users); otherwise ValidationError (German).
    Side effects: the application's assignee and an Assignment row. Assigning the
    current Ansprechperson again changes nothing and writes no row. Returns whether the
    Ansprechperson changed (False: nothing was written).
    """
    with scopes_disabled():
        _check_may_edit(application, by)
        current = Application.objects.select_related("municipality__district", "assignee").get(
            pk=application.pk
        )
        if assignee is not None and not workflow.is_assignable(
            assignee, current.municipality.district_id
        ):
            raise ValidationError(
                _(
                    "%(name)s gehört nicht zum Team des Kreisverbands %(district)s und nicht "
                    "zur Landesgeschäftsstelle."
                )
                % {
                    "name": display_name(assignee),
                    "district": current.municipality.district.name,
                },
                code="assignee",
            )
        if current.assignee_id == (assignee.pk if assignee else None):
            return False
        now = timezone.now()
        Application.objects.filter(pk=application.pk).update(assignee=assignee, updated_at=now)
        assignment_row(
            application, previous=current.assignee, assignee=assignee, by=by, at=now
        ).save()
    application.assignee = assignee
    application.updated_at = now
    return True


# Model fields with a service of their own, which writes their history, or that are derived
# or set once: never changed through update_application.
NOT_UPDATABLE_FIELDS = frozenset(
    {
        "id",
        "status",
        "assignee",
        "is_eligible",
        "ineligibility_reasons",
        "confirmed_at",
        "created_at",
        "updated_at",
    }
)


@transaction.atomic
def update_application(application, *, by, changes):
    """Change model fields of a stored application: `changes` maps field names to new
    values. The one write path for them (the admin's change form comes here); status and
    Ansprechperson change through change_status and assign.

    - The eligibility flag is re-checked when one of Application.ELIGIBILITY_FIELDS
      changes.
    - An Ansprechperson who may not work on the application any more — moved to a district
      whose team they are not in, or they have left the team since — is removed, with an
      Assignment row by `by`. Removing rather than refusing the move: whoever moves an
      application to another district hands it over; the old Ansprechperson could not
      even open it there, the new district's team sees "keine Ansprechperson" and picks
      one, and the history keeps who it was. (Refusing would make a volunteer first clear
      the field, save, then move.)
    - Application.full_clean() runs on the result, all fields and rules; on a
      ValidationError (German, by field) nothing is saved.
    - Only the changed fields are written (with updated_at), so that a status change or
      assignment made meanwhile by someone else stays.

    Returns the application. Raises ValueError for a field that cannot change here and
    PermissionDenied when `by` may not see the application or the district it would
    move to.
    """
    refused = (set(changes) & NOT_UPDATABLE_FIELDS) or set(changes) - {
        field.name for field in Application._meta.concrete_fields
    }
    if refused:
        raise ValueError(f"update_application cannot change {sorted(refused)}.")
    with scopes_disabled():
        _check_may_edit(application, by)
        municipality = changes.get("municipality")
        if (
            by is not None
            and municipality is not None
            and not districts_for(by).filter(pk=municipality.district_id).exists()
        ):
            # Nobody moves an application out of their own sight.
            raise PermissionDenied
        # Locked: nobody assigns someone else between reading and saving the assignee.
        current = Application.objects.select_for_update().get(pk=application.pk)
        for name, value in changes.items():
            setattr(application, name, value)
        fields = set(changes)
        if Application.ELIGIBILITY_FIELDS & fields:
            application.check_eligibility()
            fields |= {"is_eligible", "ineligibility_reasons"}
        _check_move_keeps_lists(application)
        application.assignee = current.assignee
        removed = None
        if current.assignee is not None and not workflow.is_assignable(
            current.assignee, application.municipality.district_id
        ):
            removed, application.assignee = current.assignee, None
            fields.add("assignee")
        application.full_clean()
        if not fields:
            return application
        application.save(update_fields=[*sorted(fields), "updated_at"])
        detail_change_row(
            application, fields=sorted(set(changes)), by=by, at=application.updated_at
        ).save()
        if removed is not None:
            assignment_row(
                application, previous=removed, assignee=None, by=by, at=application.updated_at
            ).save()
    return application


def validate_application_update(application):
    """The check update_application makes before it saves, for a form to run first with
    the changes applied to `application`: Application.full_clean() without the
    Ansprechperson, which update_application removes if it does not fit (see there).
    Raises ValidationError by model field."""
    with scopes_disabled():
        _check_move_keeps_lists(application)
        application.full_clean(exclude={"assignee"})


def _check_move_keeps_lists(application):
    """Someone on a candidate list (lists.ListPlace) of one district cannot be moved to
    another district: the old district's team would go on seeing the person on its list.
    Take them off the list first. Call inside scopes_disabled()."""
    old_district = (
        Application.objects.filter(pk=application.pk)
        .values_list("municipality__district_id", flat=True)
        .first()
    )
    if old_district is None or old_district == application.municipality.district_id:
        return
    lists = sorted(
        str(place.candidate_list)
        for place in application.list_places.select_related("candidate_list__council")
    )
    if lists:
        raise ValidationError(
            {
                "municipality": _(
                    "%(name)s steht auf der Liste „%(lists)s“ des bisherigen "
                    "Kreisverbands. Nimm die Person dort zuerst von der Liste, dann kann "
                    "die Bewerbung in einen anderen Kreisverband wechseln."
                )
                % {"name": application.full_name, "lists": "“, „".join(lists)}
            },
            code="on_a_list",
        )


@transaction.atomic
def add_note(application, *, text, by):
    """Add an internal note by `by` to the application. Side effect: a Note row (notes are
    never changed or deleted). Returns the note."""
    if not text.strip():
        raise ValidationError(_("Die Notiz ist leer."), code="empty")
    with scopes_disabled():
        _check_may_edit(application, by)
        note = note_row(application, text=text, by=by, at=timezone.now())
        note.save()
        return note


# --- Retention ---------------------------------------------------------------------------


@transaction.atomic
def erase_applications(queryset, *, by=None):
    """Delete applications with everything that names the person: their history rows
    (cascade), their mails in the outbox (notifications' post_delete receiver) and the
    admin's LogEntry rows about them (object_repr holds the name; this module's
    `forget_admin_log` receiver). The one erasure path: the admin's delete page and bulk
    action, the retention command and the applicant's own deletion all come here.

    When a staff member `by` erased them, one LogEntry per application records who and
    when, naming only the number ("Bewerbung Nr. 17"). Returns the number deleted."""
    with scopes_disabled():
        ids = list(queryset.values_list("pk", flat=True))
        if not ids:
            return 0
        # One by one, so that the post_delete receivers run for each application.
        for application in Application.objects.filter(pk__in=ids):
            application.delete()
        if by is not None:
            content_type = ContentType.objects.get_for_model(Application)
            LogEntry.objects.bulk_create(
                LogEntry(
                    user=by,
                    content_type=content_type,
                    object_id=str(pk),
                    object_repr=erased_repr(pk),
                    action_flag=DELETION,
                    change_message=_("gelöscht, mit Verlauf und E-Mails"),
                )
                for pk in ids
            )
    return len(ids)


def erased_repr(pk):
    return _("Bewerbung Nr. %(pk)s") % {"pk": pk}


def forget_admin_log(sender, instance, **kwargs):
    """post_delete receiver for Application: however an application is deleted (even by
    `QuerySet.delete()` in a shell), the admin's log entries about it go too."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=str(instance.pk)
    ).delete()


def delete_unconfirmed_applications(*, now=None):
    """Erase applications whose e-mail address was never confirmed within
    PORTAL_CONFIRMATION_MAX_AGE_DAYS of coming in (Application.confirmation_deadline).
    The confirmation mail and the privacy notice promise this. Returns the number
    deleted."""
    with scopes_disabled():
        return erase_applications(Application.objects.confirmation_expired(now))


def apply_retention(*, now=None, dry_run=False):
    """Erase the confirmed applications whose retention period is over
    (ApplicationQuerySet.past_retention: not nominated, after the election; withdrawn,
    after the withdrawal) through erase_applications, so their history, mails and admin
    log entries go too, and log the counts. With `dry_run` nothing is erased or logged.
    Returns the counts {"after_election": n, "after_withdrawal": m} (one past both
    periods counts after the election), never names, so that callers may show them."""
    with scopes_disabled():
        due = Application.objects.past_retention(now)
        after_election = retention_rules(now)["after_election"]
        counts = {
            "after_election": due.filter(after_election).count(),
            "after_withdrawal": due.exclude(after_election).count(),
        }
        if not dry_run:
            erase_applications(due)
            logger.info(
                "Retention: erased %(after_election)s application(s) after the election "
                "and %(after_withdrawal)s withdrawn one(s)",
                counts,
            )
    return counts
