from django.core.management.base import BaseCommand

from candidates.abuse import purge_expired_counters
from candidates.services import apply_retention


class Command(BaseCommand):
    help = (
        "Erase confirmed applications whose retention period is over: not nominated, "
        "PORTAL_RETENTION_DAYS_AFTER_ELECTION days after their election day; withdrawn, "
        "PORTAL_RETENTION_DAYS_AFTER_WITHDRAWAL days after the withdrawal (also before the "
        "election). Nominated people stay, also after the election (they may be on an "
        "adopted list). Unconfirmed applications are left to "
        "delete_unconfirmed_applications. Also deletes the form's limit counters whose "
        "window is over. Prints counts only, never names. Run daily (cron or a systemd "
        "timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be erased; erase nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        counts = apply_retention(dry_run=dry_run)
        counters = 0 if dry_run else purge_expired_counters()
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} {counts['after_election']} application(s) after the election and "
            f"{counts['after_withdrawal']} withdrawn application(s)."
        )
        if not dry_run:
            self.stdout.write(f"Deleted {counters} expired limit counter(s).")
