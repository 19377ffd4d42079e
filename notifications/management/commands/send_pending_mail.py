"""Retry mail the outbox could not send, and delete mail sent long ago.

Run every few minutes from cron or a systemd timer (see notifications/README.md). Exits 0
even when some mails fail again: the failures are logged and retried on the next run. The
output names mails by id and kind only, not by address.

With --follow it is the mail worker instead, a service of its own: it sends new mail
within a second of its commit (what the request leaves to it when
PORTAL_SEND_MAIL_ON_COMMIT is off), runs the retry every minute, and stops cleanly on
SIGTERM or SIGINT after the batch at hand.
"""

import datetime
import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from notifications import services

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send outbox mails that failed or were never sent, and delete mails sent more than "
        "--purge-after-days days ago."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=services.MAX_ATTEMPTS,
            help=f"give up on a mail after this many attempts (default {services.MAX_ATTEMPTS})",
        )
        parser.add_argument(
            "--backoff-minutes",
            type=int,
            default=int(services.RETRY_BACKOFF.total_seconds() // 60),
            help="wait this long after a mail was queued or last tried (default %(default)s)",
        )
        parser.add_argument(
            "--follow",
            action="store_true",
            help="keep running: send new mail as it comes, retry every minute (the mail worker)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="with --follow: seconds between looks at the outbox when it is empty "
            "(default %(default)s)",
        )
        parser.add_argument(
            "--purge-after-days",
            type=int,
            default=services.PURGE_AFTER_DAYS,
            help="delete mails sent more than this many days ago (default %(default)s)",
        )

    def handle(self, *args, max_attempts, backoff_minutes, purge_after_days, **options):
        if options["follow"]:
            self.follow(options["interval"], max_attempts, backoff_minutes, purge_after_days)
            return
        self.retry(max_attempts, backoff_minutes, purge_after_days)

    stopping = False

    def follow(self, interval, max_attempts, backoff_minutes, purge_after_days):
        def stop(_signal, _frame):
            self.stopping = True

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        next_retry = 0.0
        try:
            while not self.stopping:
                close_old_connections()  # a database restart costs one loop, not the worker
                try:
                    if time.monotonic() >= next_retry:
                        self.retry(max_attempts, backoff_minutes, purge_after_days)
                        next_retry = time.monotonic() + 60
                    sent, failed = services.send_new_mail()
                except Exception:
                    logger.exception("The mail worker's loop failed; trying again")
                    sent, failed = [], [None]
                for outgoing in sent:
                    self.stdout.write(f"sent mail {outgoing.pk} ({outgoing.kind})")
                if len(sent) < services.NEW_MAIL_BATCH or failed:
                    time.sleep(interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def retry(self, max_attempts, backoff_minutes, purge_after_days):
        sent, failed = services.send_pending_mail(
            max_attempts=max_attempts, backoff=datetime.timedelta(minutes=backoff_minutes)
        )
        for outgoing in sent:
            self.stdout.write(f"sent mail {outgoing.pk} ({outgoing.kind})")
        given_up = 0
        for outgoing in failed:
            self.stdout.write(
                f"failed mail {outgoing.pk} ({outgoing.kind}), "
                f"attempt {outgoing.attempts} of {max_attempts}"
            )
            if outgoing.attempts >= max_attempts:
                given_up += 1
                logger.error(
                    "Giving up on mail %s (%s) after %s attempts; it stays in the outbox",
                    outgoing.pk,
                    outgoing.kind,
                    outgoing.attempts,
                )
        purged = services.purge_sent_mail(older_than_days=purge_after_days)
        self.stdout.write(
            f"{len(sent)} sent, {len(failed)} failed ({given_up} given up), {purged} purged"
        )
