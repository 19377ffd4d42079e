"""The outbox: stored, sent after commit, retried, purged, erased with the application."""

import datetime
import io
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from candidates.models import Application
from notifications import services
from notifications.models import OutgoingMail
from tests.factories import make_application, valid_data

FAILING_BACKEND = "tests.candidates.failing_mail.FailingBackend"
LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
APPLY_URL = "/harz/wernigerode/"


class VerboseFailingBackend(BaseEmailBackend):
    """A mail server whose error message is very long."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("x" * 1000)


def make_mail(**overrides):
    values = {
        "to": "team@harz.example.org",
        "subject": "Neue Bewerbung für Wernigerode",
        "body": "Erika Mustermann",
        "kind": OutgoingMail.Kind.DISTRICT_NEW_APPLICATION,
        "application_id": None,
    }
    values.update(overrides)
    return services.store_mail(**values)


def age(outgoing, *, created=None, last_attempt=None, sent=None):
    """Move a mail's timestamps into the past (`created_at` is auto_now_add)."""
    now = timezone.now()
    changes = {}
    if created is not None:
        changes["created_at"] = now - created
    if last_attempt is not None:
        changes["last_attempt_at"] = now - last_attempt
    if sent is not None:
        changes["sent_at"] = now - sent
    OutgoingMail.objects.filter(pk=outgoing.pk).update(**changes)


def run_command(*args):
    out = io.StringIO()
    call_command("send_pending_mail", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


# --- queue and send ---------------------------------------------------------------------


@pytest.mark.django_db
def test_queue_mail_stores_at_once_and_sends_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outgoing = services.queue_mail(
            to="team@harz.example.org",
            subject="Betreff",
            body="Text",
            kind=OutgoingMail.Kind.DISTRICT_NEW_APPLICATION,
            application_id=7,
        )

    assert mail.outbox == []
    assert OutgoingMail.objects.get().sent_at is None

    callbacks[0]()

    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["team@harz.example.org"], "Betreff", "Text")
    ]
    outgoing.refresh_from_db()
    assert (outgoing.attempts, outgoing.last_error, outgoing.application_id) == (1, "", 7)
    assert outgoing.sent_at is not None


@pytest.mark.django_db
def test_queued_mail_is_dropped_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks,
):
    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        make_mail()
        services.queue_mail(
            to="team@harz.example.org",
            subject="Betreff",
            body="Text",
            kind=OutgoingMail.Kind.DISTRICT_NEW_APPLICATION,
        )
        raise Abort

    assert callbacks == []
    assert OutgoingMail.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_send_failure_is_recorded_logged_and_never_raised(settings, caplog):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    outgoing = make_mail()

    assert services.send_outgoing_mail(outgoing) is False

    outgoing.refresh_from_db()
    assert (outgoing.sent_at, outgoing.attempts) == (None, 1)
    assert outgoing.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert outgoing.last_attempt_at is not None
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("ERROR", f"Sending mail {outgoing.pk} (district_new_application) failed, attempt 1")
    ]
    assert caplog.records[0].exc_info is not None


@pytest.mark.django_db
def test_long_error_is_shortened(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.VerboseFailingBackend"
    outgoing = make_mail()

    services.send_outgoing_mail(outgoing)

    outgoing.refresh_from_db()
    assert len(outgoing.last_error) == 300
    assert outgoing.last_error.startswith("SMTPException: xxx")
    assert outgoing.last_error.endswith("x…")


@pytest.mark.django_db
def test_sent_or_deleted_mail_is_not_sent_again():
    outgoing = make_mail()
    assert services.send_outgoing_mail(outgoing) is True
    deleted = make_mail()
    OutgoingMail.objects.filter(pk=deleted.pk).delete()

    assert services.send_outgoing_mail(outgoing) is False
    assert services.send_outgoing_mail(deleted) is False

    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.get().attempts == 1


# --- the retry command --------------------------------------------------------------------


@pytest.mark.django_db
def test_command_retries_failed_mail_after_backoff_then_has_nothing_to_do(settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    outgoing = make_mail()
    services.send_outgoing_mail(outgoing)
    settings.EMAIL_BACKEND = LOCMEM_BACKEND

    # Tried a minute ago: still waiting.
    age(outgoing, created=datetime.timedelta(minutes=1), last_attempt=datetime.timedelta(minutes=1))
    assert run_command() == ["0 sent, 0 failed (0 given up), 0 purged"]
    assert mail.outbox == []

    age(outgoing, created=datetime.timedelta(minutes=6), last_attempt=datetime.timedelta(minutes=6))
    assert run_command() == [
        f"sent mail {outgoing.pk} (district_new_application)",
        "1 sent, 0 failed (0 given up), 0 purged",
    ]
    assert [m.to for m in mail.outbox] == [["team@harz.example.org"]]
    outgoing.refresh_from_db()
    assert (outgoing.attempts, outgoing.last_error) == (2, "")
    assert outgoing.sent_at is not None

    assert run_command() == ["0 sent, 0 failed (0 given up), 0 purged"]
    assert len(mail.outbox) == 1


def test_retry_waits_double_after_each_failure_up_to_six_hours():
    assert [
        services.retry_delay(attempts) / datetime.timedelta(minutes=1) for attempts in range(10)
    ] == [5, 5, 10, 20, 40, 80, 160, 320, 360, 360]


@pytest.mark.django_db
def test_command_waits_longer_after_more_failures(settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    outgoing = make_mail()
    OutgoingMail.objects.filter(pk=outgoing.pk).update(attempts=3)
    age(outgoing, created=datetime.timedelta(days=1), last_attempt=datetime.timedelta(minutes=19))
    assert run_command() == ["0 sent, 0 failed (0 given up), 0 purged"]

    age(outgoing, last_attempt=datetime.timedelta(minutes=21))
    assert run_command() == [
        f"failed mail {outgoing.pk} (district_new_application), attempt 4 of 10",
        "0 sent, 1 failed (0 given up), 0 purged",
    ]


@pytest.mark.django_db
def test_command_sends_mail_never_tried(settings):
    # E.g. the process died between commit and the send after commit.
    outgoing = make_mail()
    age(outgoing, created=datetime.timedelta(minutes=6))

    assert run_command() == [
        f"sent mail {outgoing.pk} (district_new_application)",
        "1 sent, 0 failed (0 given up), 0 purged",
    ]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_command_reports_failures_exits_normally_and_gives_up_after_max_attempts(settings, caplog):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    almost = make_mail()
    OutgoingMail.objects.filter(pk=almost.pk).update(attempts=9)
    exhausted = make_mail()
    OutgoingMail.objects.filter(pk=exhausted.pk).update(attempts=10)
    fresh = make_mail()
    for outgoing in (almost, exhausted, fresh):
        age(outgoing, created=datetime.timedelta(hours=7))

    lines = run_command()

    assert lines == [
        f"failed mail {almost.pk} (district_new_application), attempt 10 of 10",
        f"failed mail {fresh.pk} (district_new_application), attempt 1 of 10",
        "0 sent, 2 failed (1 given up), 0 purged",
    ]
    assert dict(OutgoingMail.objects.values_list("pk", "attempts")) == {
        almost.pk: 10,
        exhausted.pk: 10,
        fresh.pk: 1,
    }
    assert f"Giving up on mail {almost.pk} (district_new_application) after 10 attempts; " in (
        caplog.text
    )
    # A given-up mail is not tried again.
    age(fresh, last_attempt=datetime.timedelta(hours=1))
    assert run_command() == [
        f"failed mail {fresh.pk} (district_new_application), attempt 2 of 10",
        "0 sent, 1 failed (0 given up), 0 purged",
    ]


# --- data minimisation ------------------------------------------------------------------


@pytest.mark.django_db
def test_purge_deletes_old_sent_mail_only():
    old_sent = make_mail(subject="alt, gesendet")
    recent_sent = make_mail(subject="neu, gesendet")
    old_unsent = make_mail(subject="alt, nie gesendet")
    OutgoingMail.objects.filter(pk=old_unsent.pk).update(attempts=10)
    age(old_sent, created=datetime.timedelta(days=40), sent=datetime.timedelta(days=31))
    age(recent_sent, created=datetime.timedelta(days=40), sent=datetime.timedelta(days=29))
    age(old_unsent, created=datetime.timedelta(days=40), last_attempt=datetime.timedelta(days=39))

    assert run_command()[-1] == "0 sent, 0 failed (0 given up), 1 purged"

    assert sorted(OutgoingMail.objects.values_list("subject", flat=True)) == [
        "alt, nie gesendet",
        "neu, gesendet",
    ]


@pytest.mark.django_db
def test_purge_after_days_is_an_option():
    sent = make_mail()
    age(sent, created=datetime.timedelta(days=8), sent=datetime.timedelta(days=8))

    assert run_command("--purge-after-days", "7")[-1] == "0 sent, 0 failed (0 given up), 1 purged"
    assert OutgoingMail.objects.count() == 0


@pytest.mark.django_db
def test_delete_mail_for_application_deletes_its_mails_sent_or_not(election):
    erased = make_application()
    kept = make_application()
    make_mail(application_id=erased.pk)
    make_mail(application_id=erased.pk, kind=OutgoingMail.Kind.APPLICANT_CONFIRMATION)
    services.send_outgoing_mail(make_mail(application_id=erased.pk))
    other = make_mail(application_id=kept.pk)
    unrelated = make_mail(application_id=None)

    assert services.delete_mail_for_application(erased.pk) == 3

    assert set(OutgoingMail.objects.values_list("pk", flat=True)) == {other.pk, unrelated.pk}


# --- the applicant's confirmation mail goes through the outbox ----------------------------


@pytest.mark.django_db
def test_confirmation_mail_failure_keeps_application_and_retry_sends_a_working_link(
    client, election, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY_URL, valid_data())
    assert response.status_code == 302
    with scopes_disabled():
        application = Application.objects.get()
    outgoing = OutgoingMail.objects.get()
    assert (outgoing.kind, outgoing.to, outgoing.application_id) == (
        "applicant_confirmation",
        "erika@example.org",
        application.pk,
    )
    assert (outgoing.sent_at, outgoing.attempts) == (None, 1)
    assert mail.outbox == []

    settings.EMAIL_BACKEND = LOCMEM_BACKEND
    age(outgoing, created=datetime.timedelta(minutes=6), last_attempt=datetime.timedelta(minutes=6))
    run_command()

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["erika@example.org"], "Bitte bestätige deine Bewerbung für Wernigerode")
    ]
    link = re.search(r"http://testserver(/bewerbung/bestaetigen/\S+/)", mail.outbox[0].body)
    client.post(link.group(1))
    with scopes_disabled():
        assert Application.objects.get().status == Application.Status.NEW


@pytest.mark.django_db
def test_confirming_through_the_link_notifies_the_district_after_commit(
    client, election, harz_chair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY_URL, valid_data())
    link = re.search(r"http://testserver(/bewerbung/bestaetigen/\S+/)", mail.outbox[0].body)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(link.group(1))
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["chair@harz.example.org"], "Neue Bewerbung für Wernigerode")
    ]
    assert "Erika Maria Mustermann" in mail.outbox[0].body
    assert "erika@example.org" not in mail.outbox[0].body


@pytest.mark.django_db
def test_deleting_an_application_deletes_its_mails(election):
    erased_one = make_application()
    erased_many = make_application()
    kept = make_application()
    for application in (erased_one, erased_many, kept):
        make_mail(application_id=application.pk)

    erased_one.delete()
    with scopes_disabled():
        Application.objects.filter(pk=erased_many.pk).delete()

    assert list(OutgoingMail.objects.values_list("application_id", flat=True)) == [kept.pk]


@pytest.mark.django_db
def test_a_sent_mail_keeps_no_personal_link_in_its_stored_copy(
    django_capture_on_commit_callbacks,
):
    body = (
        "Bestätigen: https://portal.example.org/bewerbung/bestaetigen/abc.DEF-123:xyz/\n"
        "Meine Bewerbung: https://portal.example.org/meine-bewerbung/Zq3_-token/\n"
        "Neuer Link: https://portal.example.org/meine-bewerbung/neuer-link/\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        outgoing = services.queue_mail(
            to="erika@example.org",
            subject="Betreff",
            body=body,
            kind=OutgoingMail.Kind.APPLICANT_CONFIRMATION,
            application_id=7,
        )

    # The person got the links ...
    assert mail.outbox[0].body == body
    # ... the stored copy keeps neither key, only the public page.
    outgoing.refresh_from_db()
    assert "abc.DEF-123" not in outgoing.body and "Zq3_-token" not in outgoing.body
    assert outgoing.body.count(services.REDACTED_LINK) == 2
    assert "https://portal.example.org/meine-bewerbung/neuer-link/" in outgoing.body
