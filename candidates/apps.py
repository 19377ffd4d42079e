from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Bewerbungen")

    def ready(self):
        from candidates.services import forget_admin_log

        # Erasure must not depend on every deleting code path remembering the admin log.
        post_delete.connect(
            forget_admin_log,
            sender="candidates.Application",
            dispatch_uid="candidates.forget_admin_log",
        )
