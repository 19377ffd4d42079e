"""Reads about applications that more than one screen or mail needs, or that hold a rule:
an application's history as one timeline, the number of applications per status, and who
hears of a new application. Writes are in candidates.services."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.roles import users_with
from candidates.models import (
    Assignment,
    DetailChange,
    Note,
    StatusChange,
    display_name,
    visible_filter,
)
from districts.models import DistrictMembership

# --- History ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an application's history, whatever kind of row it came from."""

    kind: str  # "status", "note", "assignment" or "details"
    at: datetime
    by: str  # display name; "" for the applicant or the system
    title: str
    text: str = ""


def application_history(application, *, user):
    """Status changes, notes and assignments of one application as `user` may see them
    (all of them, or none when the application is not visible to `user`), oldest first.
    Four queries, however long the history is."""
    visible = visible_filter(user, prefix="application__")
    entries = []
    for change in StatusChange.objects.filter(visible, application=application).select_related(
        "changed_by"
    ):
        entries.append(
            HistoryEntry(
                kind="status",
                at=change.changed_at,
                by=display_name(change.changed_by),
                title=_("Status: %(from)s → %(to)s")
                % {
                    "from": change.get_from_status_display(),
                    "to": change.get_to_status_display(),
                },
                text=change.note,
            )
        )
    for note in Note.objects.filter(visible, application=application).select_related("author"):
        entries.append(
            HistoryEntry(
                kind="note",
                at=note.created_at,
                by=display_name(note.author),
                title=_("Notiz"),
                text=note.text,
            )
        )
    for assignment in Assignment.objects.filter(visible, application=application).select_related(
        "assignee", "previous_assignee", "assigned_by"
    ):
        entries.append(
            HistoryEntry(
                kind="assignment",
                at=assignment.assigned_at,
                by=display_name(assignment.assigned_by),
                title=_("Ansprechperson: %(from)s → %(to)s")
                % {
                    "from": display_name(assignment.previous_assignee) or _("keine"),
                    "to": display_name(assignment.assignee) or _("keine"),
                },
            )
        )
    for change in DetailChange.objects.filter(visible, application=application).select_related(
        "changed_by"
    ):
        labels = change.visible_field_labels(user)
        if not labels:
            continue
        entries.append(
            HistoryEntry(
                kind="details",
                at=change.changed_at,
                by=display_name(change.changed_by) or _("die Person selbst"),
                title=(
                    _("Von der Person selbst geändert: %(fields)s")
                    if change.changed_by is None
                    else _("Angaben geändert: %(fields)s")
                )
                % {"fields": ", ".join(labels)},
            )
        )
    return sorted(entries, key=lambda entry: entry.at)


# --- Counts ----------------------------------------------------------------------------


def count_by_status(applications):
    """{status: number of applications} over `applications`, in one aggregate query;
    statuses without any application are missing. `applications` is a queryset the
    caller has already narrowed to what the user may see (the admin passes its
    changelist's, which starts from `Application.objects.visible_to(user)`), so this
    counts nothing the user could not list."""
    return dict(applications.order_by().values_list("status").annotate(count=Count("pk")))


# --- Notification recipients -------------------------------------------------------------


def district_notification_recipients(district):
    """Who hears of a new application in this district: the district's contact address and
    every team member who wants notifications, is still active staff and may still read
    applications (whose staff status or role was taken away hears nothing more), each
    address once (case-insensitive), contact address first, then members by address.
    No `user`: the system asks, when an applicant confirms."""
    member_addresses = (
        DistrictMembership.objects.filter(
            district=district,
            receives_notifications=True,
            user__is_active=True,
            user__is_staff=True,
            # and may still read applications (e.g. not taken out of the team group)
            user__in=users_with("candidates.view_application"),
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    # Sorted here, not in SQL: database collations order case differently.
    recipients, seen = [], set()
    for address in [district.contact_email, *sorted(member_addresses, key=str.casefold)]:
        address = address.strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            recipients.append(address)
    return recipients
