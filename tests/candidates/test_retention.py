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
from tests.factories import make_application, make_election, make_staff_user

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


# --- After the election, after a withdrawal (apply_retention) ----------------------------

STATUS = Application.Status


def past_election(*, days_ago):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return make_election(
        name=f"Wahl vor {days_ago} Tagen",
        election_day=day,
        applications_open_from=day - datetime.timedelta(days=100),
        applications_open_until=day,
    )


def withdrawn(application, *, days_ago):
    from candidates.models import StatusChange
    from candidates.services import status_change_row

    at = timezone.now() - datetime.timedelta(days=days_ago)
    StatusChange.objects.bulk_create(
        [
            status_change_row(
                application, from_status=STATUS.NEW, to_status=STATUS.WITHDRAWN, by=None, at=at
            )
        ]
    )
    Application.objects.filter(pk=application.pk).update(status=STATUS.WITHDRAWN)


def remaining_names():
    with scopes_disabled():
        return set(Application.objects.values_list("last_name", flat=True))


@pytest.fixture
def retention_cases(db, settings):
    """One application per case, named by what the retention rule must do with it."""
    settings.PORTAL_RETENTION_DAYS_AFTER_ELECTION = 90
    settings.PORTAL_RETENTION_DAYS_AFTER_WITHDRAWAL = 30
    with scopes_disabled():
        due = past_election(days_ago=90)
        not_yet = past_election(days_ago=89)
        upcoming = make_election()
        make_application(election=due, last_name="Nachwahl", status=STATUS.CONTACTED)
        make_application(election=due, last_name="Abgelehnt", status=STATUS.NOT_CONSIDERED)
        make_application(election=not_yet, last_name="Vortag", status=STATUS.INTERVIEW)
        make_application(election=due, last_name="Nominiert", status=STATUS.NOMINATED)
        make_application(election=due, last_name="Unbestaetigt", **UNCONFIRMED)
        make_application(election=upcoming, last_name="Offen")
        withdrawn(make_application(election=upcoming, last_name="Zurueck"), days_ago=30)
        withdrawn(make_application(election=upcoming, last_name="Frischzurueck"), days_ago=29)
        withdrawn(make_application(election=due, last_name="Beides"), days_ago=200)


@pytest.mark.django_db
def test_retention_dry_run_counts_and_erases_nothing(retention_cases, caplog):
    before = remaining_names()
    out = StringIO()

    with caplog.at_level("INFO"):
        call_command("apply_retention", "--dry-run", stdout=out)

    assert out.getvalue() == (
        "Would erase 3 application(s) after the election and 1 withdrawn application(s).\n"
    )
    assert remaining_names() == before
    assert [r.getMessage() for r in caplog.records if "Retention" in r.getMessage()] == []


@pytest.mark.django_db
def test_retention_erases_what_is_due_and_keeps_the_rest(retention_cases, caplog):
    out = StringIO()

    with caplog.at_level("INFO"):
        call_command("apply_retention", stdout=out)

    assert out.getvalue() == (
        "Erased 3 application(s) after the election and 1 withdrawn application(s).\n"
        "Deleted 0 expired limit counter(s).\n"
    )
    assert remaining_names() == {
        "Vortag",  # election day 89 days ago: one day to go
        "Nominiert",  # nominated people stay
        "Unbestaetigt",  # delete_unconfirmed_applications' business
        "Offen",
        "Frischzurueck",  # withdrawn 29 days ago
    }
    messages = [r.getMessage() for r in caplog.records if "Retention" in r.getMessage()]
    assert messages == [
        "Retention: erased 3 application(s) after the election and 1 withdrawn one(s)"
    ]


@pytest.mark.django_db
def test_retention_output_and_log_name_nobody(retention_cases, caplog):
    names = remaining_names()
    out = StringIO()

    with caplog.at_level("DEBUG"):
        call_command("apply_retention", "--dry-run", stdout=out)
        call_command("apply_retention", stdout=out)

    text = out.getvalue() + caplog.text
    assert [name for name in names if name in text] == []
    assert "@example.org" not in text


@pytest.mark.django_db
def test_retention_erases_history_and_mail_with_the_application(retention_cases):
    with scopes_disabled():
        gone = Application.objects.get(last_name="Zurueck")
        OutgoingMail.objects.create(
            to=gone.email,
            subject="s",
            body="b",
            kind="applicant_confirmation",
            application_id=gone.pk,
        )

    call_command("apply_retention", stdout=StringIO())

    from candidates.models import StatusChange

    with scopes_disabled():
        assert StatusChange.objects.filter(application_id=gone.pk).count() == 0
    assert OutgoingMail.objects.filter(application_id=gone.pk).count() == 0


@pytest.mark.django_db
def test_reopened_after_withdrawal_is_not_erased_as_withdrawn(retention_cases):
    """Only the status "withdrawn" counts: reopened by the state office, the application
    waits for the election like any other."""
    with scopes_disabled():
        Application.objects.filter(last_name="Zurueck").update(status=STATUS.CONTACTED)

    call_command("apply_retention", stdout=StringIO())

    assert "Zurueck" in remaining_names()
