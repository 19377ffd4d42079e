from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    """One e-mail to one address, stored before it is sent (the outbox).

    Sent after the transaction that queued it commits; a failed send stays here and is
    retried by `manage.py send_pending_mail`, which also deletes sent mail after a while.
    """

    class Kind(models.TextChoices):
        APPLICANT_CONFIRMATION = "applicant_confirmation", _("Bestätigungslink an Bewerber:in")
        APPLICANT_ALREADY_APPLIED = (
            "applicant_already_applied",
            _("Hinweis auf frühere Bewerbung an Bewerber:in"),
        )
        APPLICANT_SELF_SERVICE_LINK = (
            "applicant_self_service_link",
            _("Neuer Link zu „Meine Bewerbung“ an Bewerber:in"),
        )
        DISTRICT_NEW_APPLICATION = "district_new_application", _("Neue Bewerbung an Kreisverband")
        DISTRICT_WITHDRAWN = "district_withdrawn", _("Rückzug einer Bewerbung an Kreisverband")
        STAFF_SECURITY = "staff_security", _("Sicherheitshinweis an Mitarbeiter:in")
        STAFF_ACCOUNT = "staff_account", _("Konto-E-Mail an Mitarbeiter:in")

    kind = models.CharField(_("Art"), max_length=40, choices=Kind.choices)
    to = models.EmailField(_("an"), max_length=254)
    subject = models.CharField(_("Betreff"), max_length=255)
    body = models.TextField(_("Text"))
    # A plain id, not a foreign key: erasing an application deletes its mails by this id
    # (see notifications.services.delete_mail_for_application), and the outbox never
    # blocks or cascades into the application's own deletion.
    application_id = models.PositiveBigIntegerField(
        _("Bewerbung (ID)"), null=True, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_attempt_at = models.DateTimeField(_("letzter Versuch am"), null=True, blank=True)
    last_error = models.CharField(_("letzter Fehler"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ausgehende E-Mail")
        verbose_name_plural = _("ausgehende E-Mails")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"
