from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Benachrichtigungen")

    def ready(self):
        from notifications.receivers import delete_mail_of_deleted_application

        # Erasure must not depend on every deleting code path remembering the outbox
        # (admin delete, retention jobs, the applicant's own deletion).
        post_delete.connect(
            delete_mail_of_deleted_application,
            sender="candidates.Application",
            dispatch_uid="notifications.delete_mail_of_deleted_application",
        )
