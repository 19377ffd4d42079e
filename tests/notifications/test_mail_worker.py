"""The mail worker (`send_pending_mail --follow`): with PORTAL_SEND_MAIL_ON_COMMIT off, a
request only stores the outbox row, and the worker sends new mail in batches over one
connection; what fails goes on to the retry with its backoff."""

import io
import os
import signal
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django_scopes import scopes_disabled

from candidates.models import Application
from notifications import services
from notifications.models import OutgoingMail
from tests.factories import APPLY_URL, valid_data


class CountingBackend(LocmemBackend):
    """The test outbox, counting the connections opened to the "mail server"."""

    opened = 0

    def open(self):
        CountingBackend.opened += 1
        return True


class DownBackend(BaseEmailBackend):
    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages):
        raise AssertionError("never reached: the connection could not be opened")


class RefusingBackend(BaseEmailBackend):
    """A server that takes the connection and refuses one recipient."""

    def send_messages(self, email_messages):
        if email_messages[0].to == ["kaputt@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"kaputt@example.org": (550, b"no")})
        mail.outbox.extend(email_messages)
        return len(email_messages)


@pytest.fixture
def worker_mode(settings):
    settings.PORTAL_SEND_MAIL_ON_COMMIT = False
    settings.EMAIL_BACKEND = "tests.notifications.test_mail_worker.CountingBackend"
    CountingBackend.opened = 0
    return settings


def queue(to="team@harz.example.org"):
    return services.queue_mail(
        to=to,
        subject="Betreff",
        body="Text",
        kind=OutgoingMail.Kind.DISTRICT_NEW_APPLICATION,
    )


@pytest.mark.django_db
def test_the_request_only_stores_the_mail_and_the_worker_sends_it(
    client, election, worker_mode, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY_URL, valid_data())

    assert response.status_code == 302
    stored = OutgoingMail.objects.get()
    assert (stored.sent_at, stored.attempts, mail.outbox) == (None, 0, [])

    sent, failed = services.send_new_mail()

    assert (len(sent), failed) == (1, [])
    assert mail.outbox[0].to == ["erika@example.org"]
    assert "/bewerbung/bestaetigen/" in mail.outbox[0].body
    stored.refresh_from_db()
    assert stored.sent_at is not None and stored.attempts == 1
    assert "/bewerbung/bestaetigen/" not in stored.body  # the key is gone from the copy
    with scopes_disabled():
        assert Application.objects.get().status == Application.Status.UNCONFIRMED


@pytest.mark.django_db
def test_the_worker_sends_a_batch_over_one_connection_oldest_first(worker_mode):
    for n in range(services.NEW_MAIL_BATCH + 3):
        queue(to=f"team{n}@example.org")

    first, _failed = services.send_new_mail()
    second, _failed = services.send_new_mail()

    assert (len(first), len(second)) == (services.NEW_MAIL_BATCH, 3)
    assert CountingBackend.opened == 2
    assert [m.to[0] for m in mail.outbox[:2]] == ["team0@example.org", "team1@example.org"]
    assert not OutgoingMail.objects.filter(sent_at__isnull=True).exists()
    assert services.send_new_mail() == ([], [])


@pytest.mark.django_db
def test_a_mail_server_that_is_down_costs_each_mail_one_attempt_and_the_retry_takes_over(
    worker_mode, caplog
):
    worker_mode.EMAIL_BACKEND = "tests.notifications.test_mail_worker.DownBackend"
    first, second = queue(), queue()

    sent, failed = services.send_new_mail()

    assert (sent, {m.pk for m in failed}) == ([], {first.pk, second.pk})
    for outgoing in (first, second):
        outgoing.refresh_from_db()
        assert (outgoing.sent_at, outgoing.attempts) == (None, 1)
        assert outgoing.last_error.startswith("ConnectionRefusedError")
    assert services.send_new_mail() == ([], [])  # tried once: now the retry's business
    assert "The mail server cannot be reached; 2 mails wait" in caplog.text

    worker_mode.EMAIL_BACKEND = "tests.notifications.test_mail_worker.CountingBackend"
    earlier = first.last_attempt_at - services.RETRY_BACKOFF
    OutgoingMail.objects.update(created_at=earlier, last_attempt_at=earlier)
    sent, failed = services.send_pending_mail()
    assert (len(sent), failed) == (2, [])


@pytest.mark.django_db
def test_one_refused_recipient_does_not_stop_the_batch(worker_mode):
    worker_mode.EMAIL_BACKEND = "tests.notifications.test_mail_worker.RefusingBackend"
    queue(to="a@example.org")
    refused = queue(to="kaputt@example.org")
    queue(to="b@example.org")

    sent, failed = services.send_new_mail()

    assert [m.to for m in sent] == ["a@example.org", "b@example.org"]
    assert [m.pk for m in failed] == [refused.pk]
    refused.refresh_from_db()
    assert refused.last_error.startswith("SMTPRecipientsRefused")


@pytest.mark.django_db
def test_with_sending_on_commit_the_request_sends_and_the_worker_finds_nothing(
    client, election, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_SEND_MAIL_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY_URL, valid_data())

    assert len(mail.outbox) == 1
    assert services.send_new_mail() == ([], [])
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_follow_sends_what_comes_in_and_stops_on_sigterm(worker_mode):
    """The worker keeps looking; mail queued while it runs goes out on its next look, and
    SIGTERM ends it after the batch at hand (here sent to the test process itself)."""
    queue(to="vorher@example.org")
    looks = []

    def sleep(_seconds):
        looks.append(len(mail.outbox))
        if len(looks) == 1:
            queue(to="waehrenddessen@example.org")
        else:
            os.kill(os.getpid(), signal.SIGTERM)

    out = io.StringIO()
    handler_before = signal.getsignal(signal.SIGTERM)
    command = "notifications.management.commands.send_pending_mail"
    with (
        mock.patch(f"{command}.time.sleep", sleep),
        # It would end the test's transaction (the worker's own loop needs it).
        mock.patch(f"{command}.close_old_connections"),
    ):
        call_command("send_pending_mail", "--follow", stdout=out)

    assert [m.to[0] for m in mail.outbox] == ["vorher@example.org", "waehrenddessen@example.org"]
    assert looks == [1, 2]
    assert out.getvalue().count("sent mail") == 2
    assert signal.getsignal(signal.SIGTERM) == handler_before
