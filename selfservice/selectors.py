"""What "Meine Bewerbung" shows: everything stored about the applicant (GDPR Art. 15/20),
once for the page and once for the JSON download."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from candidates.models import Application
from notifications.models import OutgoingMail

# Staff accounts, not the person's data: shown as "Ansprechperson" on the overview.
NOT_SHOWN = {"assignee", "entered_by"}


def _display(application, field):
    value = getattr(application, field.name)
    if field.choices and value not in (None, ""):
        return str(getattr(application, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "–"
    if value in (None, ""):
        return "–"
    return str(value)


def _raw(application, field):
    value = getattr(application, field.name)
    if field.is_relation:
        return str(value) if value is not None else None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def stored_data(application):
    """Everything stored about the person behind `application`, as
    {"fields": [(name, label, shown, raw)], "status_changes", "detail_changes", "mails",
    "list_places"}. Staff names are left out (the district's team acts as one); so are
    internal notes."""
    with scopes_disabled():
        fields = [
            (
                field.name,
                str(field.verbose_name),
                _display(application, field),
                _raw(application, field),
            )
            for field in Application._meta.concrete_fields
            if field.name not in NOT_SHOWN
        ]
        status_changes = [
            {
                "at": change.changed_at,
                "from": str(Application.Status(change.from_status).label)
                if change.from_status
                else "",
                "to": str(Application.Status(change.to_status).label),
                "by": _("du selbst") if change.changed_by_id is None else _("der Kreisverband"),
            }
            for change in application.status_changes.order_by("changed_at", "pk")
        ]
        detail_changes = [
            {
                "at": change.changed_at,
                "fields": change.field_labels,
                "by": _("du selbst") if change.changed_by_id is None else _("der Kreisverband"),
            }
            for change in application.detail_changes.order_by("changed_at", "pk")
        ]
        mails = [
            {"subject": mail.subject, "at": mail.created_at, "sent_at": mail.sent_at}
            for mail in OutgoingMail.objects.filter(
                application_id=application.pk, to=application.email
            ).order_by("created_at", "pk")
        ]
        list_places = [
            {"list": str(place.candidate_list), "position": place.position}
            for place in application.list_places.select_related("candidate_list__council").order_by(
                "pk"
            )
        ]
    return {
        "fields": fields,
        "status_changes": status_changes,
        "detail_changes": detail_changes,
        "mails": mails,
        "list_places": list_places,
    }


def stored_data_json(application):
    """stored_data as plain JSON values (dates in ISO 8601)."""
    data = stored_data(application)

    def iso(value):
        return value.isoformat() if value else None

    return {
        "bewerbung": {name: raw for name, _label, _shown, raw in data["fields"]},
        "feldnamen": {name: label for name, label, _shown, _raw in data["fields"]},
        "statusaenderungen": [{**row, "at": iso(row["at"])} for row in data["status_changes"]],
        "geaenderte_angaben": [{**row, "at": iso(row["at"])} for row in data["detail_changes"]],
        "emails": [
            {"subject": row["subject"], "at": iso(row["at"]), "sent_at": iso(row["sent_at"])}
            for row in data["mails"]
        ],
        "listenplaetze": data["list_places"],
    }
