"""The export audit: one append-only row per export of personal data (ExportRecord).

It names the staff member, when, by which path, what kind of rows, in which format, with
which choices and how many rows. It holds no personal data beyond the staff member: the
choices are ids, slugs and codes; a search term typed into the admin is recorded only as
"a search was used" (reports.services.describe_admin_filters), because it may be a name.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from candidates.models import AppendOnlyModel


class ExportRecordQuerySet(models.QuerySet):
    """No bulk rewriting or deleting of the audit: QuerySet.update and delete refuse, as
    save and delete of a single row do (AppendOnlyModel). Deleting a staff account
    still empties `user` (Django's SET_NULL does not go through this queryset)."""

    def update(self, **kwargs):
        raise ValueError("Export records are append-only.")

    def delete(self):
        raise ValueError("Export records are append-only.")


class ExportRecord(AppendOnlyModel):
    class Path(models.TextChoices):
        ADMIN_ACTION = "admin_action", _("Aktion in der Bewerbungsliste (Auswahl)")
        ADMIN_FILTER = "admin_filter", _("Bewerbungsliste, gefilterte Ansicht")
        EXPORT_PAGE = "export_page", _("Exportseite")
        LIST_ACTION = "list_action", _("Aktion in der Listenübersicht")
        COMMAND = "command", _("Befehl export_applications")

    class Kind(models.TextChoices):
        APPLICATIONS = "applications", _("Bewerbungen")
        LISTS = "lists", _("beschlossene Listen")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel (XLSX)")
        CSV = "csv", _("CSV für deutsches Excel (Semikolon, UTF-8)")
        CSV_COMMA = "csv_comma", _("CSV international (Komma, UTF-8)")

    # Kept when the account is deleted: `username` still says who it was.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    username = models.CharField(_("exportiert von"), max_length=254)
    created_at = models.DateTimeField(_("exportiert am"), auto_now_add=True, db_index=True)
    path = models.CharField(_("Weg"), max_length=20, choices=Path.choices)
    kind = models.CharField(_("Inhalt"), max_length=20, choices=Kind.choices)
    file_format = models.CharField(_("Format"), max_length=10, choices=Format.choices)
    filters = models.JSONField(_("Auswahl"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("Zeilen"))

    objects = ExportRecordQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("Export")
        verbose_name_plural = _("Exporte (Protokoll)")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)
        # Named rules of the role table (accounts.roles).
        permissions = [
            ("export_data", _("Kann Bewerbungen und Listen exportieren")),
            ("view_statistics", _("Kann die Auswertung sehen")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.username} · {self.created_at:%d.%m.%Y %H:%M}"
