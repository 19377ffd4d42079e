"""Every write with side effects on applications."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.emails import queue_new_application_notification, send_confirmation_mail
from candidates.models import Application, LegalDocument


class DuplicateApplication(Exception):
    """This e-mail address has already applied for this municipality in this election."""


@transaction.atomic
def submit_application(application):
    """Store a new application from the public form.

    Records the version of the privacy notice the applicant consented to, flags
    eligibility against the election day, and — after commit — sends the confirmation
    mail. Raises DuplicateApplication if the same person applied here already.
    """
    privacy = LegalDocument.current(LegalDocument.Kind.PRIVACY)
    application.consent_version = privacy.version if privacy else ""
    application.consent_given_at = application.consent_given_at or timezone.now()
    application.status = Application.Status.UNCONFIRMED
    application.check_eligibility()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:
        raise DuplicateApplication from error
    transaction.on_commit(lambda: send_confirmation_mail(application.pk))
    return application


@transaction.atomic
def confirm_application(application):
    """Mark the applicant's e-mail as confirmed. Returns True the first time only."""
    updated = Application.objects.filter(pk=application.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), status=Application.Status.NEW
    )
    application.refresh_from_db()
    if updated:
        queue_new_application_notification(application)
    return bool(updated)
