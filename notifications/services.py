"""The outbox: every e-mail the portal sends is stored as an OutgoingMail row first, sent
after the transaction commits, and retried by `manage.py send_pending_mail` until the mail
server accepts it. Sending never raises: a mail server that is down must not lose or block
what the mail is about."""

import datetime
import logging
import re

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from notifications.models import OutgoingMail

logger = logging.getLogger(__name__)

# After this many failed attempts the retry command gives up on a mail; it stays in the
# outbox (visible to the state office in the admin) until someone looks into it.
MAX_ATTEMPTS = 10
# A just queued mail waits this long before the retry command takes it, so the command
# does not race the send that runs right after commit. After each failed attempt the wait
# doubles, up to MAX_RETRY_DELAY: with the defaults, ten attempts span about a day, so a
# mail server that is down for hours loses nothing.
RETRY_BACKOFF = datetime.timedelta(minutes=5)
MAX_RETRY_DELAY = datetime.timedelta(hours=6)
# Sent mail is deleted after this many days (data minimisation).
PURGE_AFTER_DAYS = 30


def store_mail(*, to, subject, body, kind, application_id=None):
    """Store one mail to one address in the outbox, unsent. Side effect: an OutgoingMail
    row. Use `queue_mail` unless the caller already runs after commit."""
    return OutgoingMail.objects.create(
        to=to,
        subject=subject,
        body=body,
        kind=kind,
        application_id=application_id,
    )


@transaction.atomic(savepoint=False)
def queue_mail(*, to, subject, body, kind, application_id=None):
    """Store one mail to one address and send it once the current transaction commits.

    Side effects: an OutgoingMail row, committed (or rolled back) with the caller's
    transaction; after commit, one attempt to send it (see `send_outgoing_mail`), unless
    PORTAL_SEND_MAIL_ON_COMMIT is off: then the mail worker (`send_new_mail`) sends it.
    """
    outgoing = store_mail(
        to=to, subject=subject, body=body, kind=kind, application_id=application_id
    )
    if settings.PORTAL_SEND_MAIL_ON_COMMIT:
        transaction.on_commit(lambda: send_outgoing_mail(outgoing))
    return outgoing


# Links that are keys: the confirmation link (candidates.urls "confirm") and the personal
# link to Meine Bewerbung (selfservice.urls). A sent mail's stored copy must not keep them:
# the outbox is kept for days, and whoever reads the table must not get a way in.
SECRET_LINK = re.compile(
    r"https?://\S*?(?:/bewerbung/bestaetigen/|/meine-bewerbung/)"
    r"(?!neuer-link/|geloescht/)[^\s/]+/?\S*"
)
REDACTED_LINK = "[persönlicher Link – nach dem Versand aus der Kopie entfernt]"


def redact_secret_links(body):
    return SECRET_LINK.sub(REDACTED_LINK, body)


def send_outgoing_mail(outgoing):
    """Hand one stored mail to the mail server. Never raises; returns True when sent.

    Side effects: on success `sent_at` is set; on failure the error is logged, `attempts`
    counted and `last_error` kept for the retry command. A mail already sent, being sent
    by another process or deleted meanwhile is left alone (returns False).
    """
    try:
        with transaction.atomic():
            # The row lock keeps the retry command and the send after commit from both
            # sending the same mail (PostgreSQL; SQLite serialises writers anyway).
            locked = (
                OutgoingMail.objects.select_for_update(skip_locked=True)
                .filter(pk=outgoing.pk, sent_at__isnull=True)
                .first()
            )
            if locked is None:
                return False
            locked.attempts += 1
            locked.last_attempt_at = timezone.now()
            try:
                EmailMessage(locked.subject, locked.body, to=[locked.to]).send()
            except Exception as error:
                logger.exception(
                    "Sending mail %s (%s) failed, attempt %s",
                    locked.pk,
                    locked.kind,
                    locked.attempts,
                )
                locked.last_error = _describe(error)
                locked.save(update_fields=["attempts", "last_attempt_at", "last_error"])
                _copy_state(locked, outgoing)
                return False
            locked.sent_at = timezone.now()
            locked.last_error = ""
            locked.body = redact_secret_links(locked.body)
            locked.save(
                update_fields=["attempts", "last_attempt_at", "last_error", "sent_at", "body"]
            )
            _copy_state(locked, outgoing)
            return True
    except Exception:
        # The outbox itself failed (e.g. the database); the retry command picks the mail up.
        logger.exception("Outbox could not handle mail %s", outgoing.pk)
        return False


# The mail worker's batch: mails locked and sent over one connection in one transaction.
# Small enough that a worker killed mid-batch sends few mails twice.
NEW_MAIL_BATCH = 50


def send_new_mail(*, limit=NEW_MAIL_BATCH):
    """Send mail never tried yet (`attempts == 0`), oldest first, at most `limit`, over
    one connection to the mail server. The mail worker (`send_pending_mail --follow`)
    calls it in a loop; it is what sends mail when PORTAL_SEND_MAIL_ON_COMMIT is off.
    Returns (sent, failed) as lists of OutgoingMail. Never raises for a mail server
    that fails: each mail then counts an attempt and keeps its error, and the retry
    (`send_pending_mail`) takes it after its wait.

    Side effects: as `send_outgoing_mail`, for the whole batch in one transaction; rows
    locked by another worker or by a request's send after commit are skipped.
    """
    sent, failed = [], []
    with transaction.atomic():
        batch = list(
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, attempts=0)
            .order_by("created_at", "pk")[:limit]
        )
        if not batch:
            return sent, failed
        connection = get_connection()
        try:
            connection.open()
        except Exception as error:
            logger.exception("The mail server cannot be reached; %s mails wait", len(batch))
            connection, opening_error = None, error
        tried_at, redacted_rows = timezone.now(), []
        for outgoing in batch:
            outgoing.attempts += 1
            outgoing.last_attempt_at = tried_at
            try:
                if connection is None:
                    raise opening_error
                message = EmailMessage(
                    outgoing.subject, outgoing.body, to=[outgoing.to], connection=connection
                )
                if message.send() != 1:
                    raise RuntimeError("the mail server did not take the mail")
            except Exception as error:
                if connection is not None:
                    logger.exception(
                        "Sending mail %s (%s) failed, attempt %s",
                        outgoing.pk,
                        outgoing.kind,
                        outgoing.attempts,
                    )
                outgoing.last_error = _describe(error)
                failed.append(outgoing)
                continue
            outgoing.sent_at = timezone.now()
            outgoing.last_error = ""
            redacted = redact_secret_links(outgoing.body)
            if redacted != outgoing.body:
                outgoing.body = redacted
                redacted_rows.append(outgoing)
            sent.append(outgoing)
        _store_batch_result(sent, redacted_rows, failed, tried_at)
        if connection is not None:
            try:
                connection.close()
            except Exception:
                logger.exception("Closing the connection to the mail server failed")
    return sent, failed


def _store_batch_result(sent, redacted, failed, tried_at):
    """What send_new_mail found, in few statements (bulk_update over five fields was most
    of the worker's time): the common fields in one UPDATE per outcome, the redacted
    bodies and the errors, which differ per mail, by bulk_update of that one field. The
    batch's mails share one attempt time and one sending time."""
    if sent:
        sent_at = sent[-1].sent_at
        for outgoing in sent:
            outgoing.sent_at = sent_at
        OutgoingMail.objects.filter(pk__in=[outgoing.pk for outgoing in sent]).update(
            attempts=1, last_attempt_at=tried_at, last_error="", sent_at=sent_at
        )
        OutgoingMail.objects.bulk_update(redacted, ["body"])
    if failed:
        OutgoingMail.objects.filter(pk__in=[outgoing.pk for outgoing in failed]).update(
            attempts=1, last_attempt_at=tried_at
        )
        OutgoingMail.objects.bulk_update(failed, ["last_error"])


def retry_delay(attempts, *, backoff=RETRY_BACKOFF):
    """How long a mail with this many failed attempts waits after its last attempt (or,
    never tried, after it was queued) before the retry command takes it."""
    if attempts <= 1:
        return backoff
    return min(backoff * 2 ** (attempts - 1), max(MAX_RETRY_DELAY, backoff))


def send_pending_mail(*, max_attempts=MAX_ATTEMPTS, backoff=RETRY_BACKOFF, now=None):
    """Retry every unsent mail with fewer than `max_attempts` attempts whose wait (see
    `retry_delay`) is over. Returns (sent, failed) as lists of OutgoingMail; a failed mail
    with `attempts == max_attempts` is given up and stays unsent.

    Side effects: as `send_outgoing_mail`, once per mail. Deliberately not one atomic
    block: each mail is its own transaction, so one failure does not undo the others.
    """
    now = now or timezone.now()
    # Unsent mail is few (normally none), so the per-mail wait is checked here, not in SQL.
    unsent = (
        OutgoingMail.objects.filter(
            sent_at__isnull=True, attempts__lt=max_attempts, created_at__lte=now - backoff
        )
        .order_by("created_at", "pk")
        .defer("body")
    )
    pending = [
        outgoing
        for outgoing in unsent
        if (outgoing.last_attempt_at or outgoing.created_at)
        <= now - retry_delay(outgoing.attempts, backoff=backoff)
    ]
    sent, failed = [], []
    for outgoing in pending:
        attempts_before = outgoing.attempts
        if send_outgoing_mail(outgoing):
            sent.append(outgoing)
        elif outgoing.attempts > attempts_before:
            failed.append(outgoing)
        # else: sent or deleted by someone else meanwhile; nothing to report.
    return sent, failed


def purge_sent_mail(*, older_than_days=PURGE_AFTER_DAYS, now=None):
    """Delete mail sent more than `older_than_days` ago; unsent mail is kept. Returns the
    number of deleted mails."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=older_than_days)
    deleted, _by_model = OutgoingMail.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


def delete_mail_for_application(application_id):
    """Delete every mail about this application, sent or not (erasure under GDPR Art. 17).
    Returns the number of deleted mails."""
    deleted, _by_model = OutgoingMail.objects.filter(application_id=application_id).delete()
    return deleted


def _describe(error):
    """The error as kept in `last_error`: its type and message, shortened."""
    text = f"{type(error).__name__}: {error}"
    limit = OutgoingMail._meta.get_field("last_error").max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _copy_state(source, target):
    for name in ("attempts", "last_attempt_at", "last_error", "sent_at"):
        setattr(target, name, getattr(source, name))
