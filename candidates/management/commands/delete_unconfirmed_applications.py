from django.core.management.base import BaseCommand

from candidates.services import delete_unconfirmed_applications


class Command(BaseCommand):
    help = (
        "Erase applications whose e-mail address was never confirmed and whose "
        "confirmation link has expired. Run daily (cron or a systemd timer)."
    )

    def handle(self, *args, **options):
        deleted = delete_unconfirmed_applications()
        self.stdout.write(f"Deleted {deleted} unconfirmed application(s).")
