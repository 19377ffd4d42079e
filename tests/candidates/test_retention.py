"""Unconfirmed applications are erased once their confirmation link has expired, as the
confirmation mail and the privacy notice promise."""

import datetime
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from candidates.models import Application
from notifications.models import OutgoingMail
from tests.factories import make_application, make_staff_user

UNCONFIRMED = {"status": Application.Status.UNCONFIRMED, "confirmed_at": None}


def received(application, *, days_ago):
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


@pytest.mark.django_db
def test_expired_unconfirmed_applications_are_erased_and_nothing_else(election, settings):
    settings.PORTAL_CONFIRMATION_MAX_AGE_DAYS = 7
    with scopes_disabled():
        expired = make_application(last_name="Abgelaufen", **UNCONFIRMED)
        fresh = make_application(last_name="Frisch", **UNCONFIRMED)
        confirmed_long_ago = make_application(last_name="Bestaetigt")
        received(expired, days_ago=8)
        received(fresh, days_ago=6)
        received(confirmed_long_ago, days_ago=300)
        OutgoingMail.objects.create(
            to=expired.email,
            subject="s",
            body="b",
            kind="applicant_confirmation",
            application_id=expired.pk,
        )
        LogEntry.objects.create(
            user=make_staff_user("lgs@example.org", state_office=True),
            content_type=ContentType.objects.get_for_model(Application),
            object_id=str(expired.pk),
            object_repr=str(expired),
            action_flag=CHANGE,
        )

    out = StringIO()
    call_command("delete_unconfirmed_applications", stdout=out)

    assert out.getvalue() == "Deleted 1 unconfirmed application(s).\n"
    with scopes_disabled():
        assert set(Application.objects.values_list("last_name", flat=True)) == {
            "Frisch",
            "Bestaetigt",
        }
    assert OutgoingMail.objects.filter(application_id=expired.pk).count() == 0
    assert LogEntry.objects.filter(object_repr__contains="Abgelaufen").count() == 0


@pytest.mark.django_db
def test_no_link_confirms_an_application_past_its_deadline(client, election, settings):
    """However fresh the link (the "already applied" mail sends a new one), an unconfirmed
    application can be confirmed only until PORTAL_CONFIRMATION_MAX_AGE_DAYS after it came
    in: the date that mail names, and the day the retention command erases it."""
    from django.urls import reverse

    from candidates.tokens import confirmation_token

    settings.PORTAL_CONFIRMATION_MAX_AGE_DAYS = 7
    with scopes_disabled():
        late = make_application(last_name="Spaet", **UNCONFIRMED)
        in_time = make_application(last_name="Rechtzeitig", **UNCONFIRMED)
        received(late, days_ago=8)
        received(in_time, days_ago=6)
    links = {
        a.last_name: reverse("candidates:confirm", args=[confirmation_token(a)])
        for a in [late, in_time]
    }

    assert client.get(links["Spaet"]).status_code == 400
    assert client.post(links["Spaet"]).status_code == 400
    assert client.post(links["Rechtzeitig"]).status_code == 302
    with scopes_disabled():
        statuses = dict(Application.objects.values_list("last_name", "status"))
        assert statuses == {"Spaet": "unconfirmed", "Rechtzeitig": "new"}
        assert list(
            Application.objects.confirmation_expired().values_list("last_name", flat=True)
        ) == ["Spaet"]
