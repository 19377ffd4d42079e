from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import APPLICATION_DISTRICT, Application
from portal.scoping import scoped_manager


class AccessToken(models.Model):
    """One personal link to "Meine Bewerbung": only the SHA-256 of its random token is
    kept, never the token (selfservice.tokens). Every mail that carries a link creates
    one; asking for a new link deletes all older ones of the application."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("Bewerbung"),
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    token_hash = models.CharField(_("Prüfsumme des Links"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("erstellt am"), default=timezone.now)
    expires_at = models.DateTimeField(_("gültig bis"))

    objects = scoped_manager(models.QuerySet, f"application__{APPLICATION_DISTRICT}")

    class Meta:
        verbose_name = _("Link zu „Meine Bewerbung“")
        verbose_name_plural = _("Links zu „Meine Bewerbung“")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"
