"""E-mails about applications: the confirmation link to the applicant and the notice of a
new application to the district. Both go through the outbox (notifications.services): they
are stored, sent after the transaction commits, and retried by `send_pending_mail`; a
failing mail server is logged and never loses or blocks the application."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from candidates.selectors import district_notification_recipients
from candidates.tokens import confirmation_token
from notifications import services as outbox
from notifications.models import OutgoingMail
from selfservice.tokens import issue_token

logger = logging.getLogger(__name__)


def in_their_language(application):
    """Write a mail to an applicant in the language they applied in (links included: the
    pages they lead to are in that language too)."""
    return translation.override(application.language or settings.LANGUAGE_CODE)


def in_german():
    """Mails to district teams are German, whichever page (/ar/…) set them off."""
    return translation.override(settings.LANGUAGE_CODE)


def absolute_url(path):
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def self_service_link(application):
    """A new personal link to "Meine Bewerbung" for the applicant's mail (every mail to an
    applicant carries one). Side effect: an AccessToken row (selfservice.tokens)."""
    return absolute_url(reverse("selfservice:overview", kwargs={"token": issue_token(application)}))


def queue_confirmation_mail(application):
    """Ask the applicant to confirm their e-mail address (double opt-in).

    Side effect: an OutgoingMail row in the caller's transaction (the application's own),
    sent after it commits; so a crash after commit cannot lose the mail, and the retry
    command sends it if the mail server is down. Never raises: a mail that cannot even be
    queued is logged, and the application stands (the district team sees it as
    unconfirmed).
    """
    try:
        # A savepoint: a failure while queueing undoes only the mail row.
        with transaction.atomic(), in_their_language(application):
            link = absolute_url(
                reverse("candidates:confirm", kwargs={"token": confirmation_token(application)})
            )
            context = {
                "application": application,
                "link": link,
                "self_service_link": self_service_link(application),
                "max_age_days": settings.PORTAL_CONFIRMATION_MAX_AGE_DAYS,
                "association_name": settings.PORTAL_ASSOCIATION_NAME,
            }
            outbox.queue_mail(
                to=application.email,
                subject=render_to_string("candidates/email/confirm_subject.txt", context).strip(),
                body=render_to_string("candidates/email/confirm_body.txt", context),
                kind=OutgoingMail.Kind.APPLICANT_CONFIRMATION,
                application_id=application.pk,
            )
    except Exception:
        logger.exception("Confirmation mail for application %s could not be queued", application.pk)


def queue_already_applied_mail(application):
    """Tell the owner of the address that someone (most likely they themselves) submitted
    the form again for a municipality they have applied for already: with a fresh
    confirmation link if they never confirmed, else where their application stands and
    whom to ask. The public form answers as for a new application; only this mail tells.

    Side effect: an OutgoingMail row in the caller's transaction, sent after it commits.
    Never raises (see queue_confirmation_mail).
    """
    try:
        with transaction.atomic(), scopes_disabled(), in_their_language(application):
            confirmed = application.confirmed_at is not None
            context = {
                "application": application,
                "confirmed": confirmed,
                "link": None
                if confirmed
                else absolute_url(
                    reverse("candidates:confirm", kwargs={"token": confirmation_token(application)})
                ),
                "self_service_link": self_service_link(application),
                "valid_until": application.confirmation_deadline,
                "association_name": settings.PORTAL_ASSOCIATION_NAME,
                "district": application.municipality.district,
                "state_office_email": settings.PORTAL_STATE_OFFICE_EMAIL,
            }
            outbox.queue_mail(
                to=application.email,
                subject=render_to_string(
                    "candidates/email/already_applied_subject.txt", context
                ).strip(),
                body=render_to_string("candidates/email/already_applied_body.txt", context),
                kind=OutgoingMail.Kind.APPLICANT_ALREADY_APPLIED,
                application_id=application.pk,
            )
    except Exception:
        logger.exception(
            "Already-applied mail for application %s could not be queued", application.pk
        )


def queue_new_application_notification(application):
    """Tell the district that a confirmed application has arrived: one mail per recipient
    (no shared recipient lists), with the applicant's name, the municipality and a link to
    the admin page — no other personal data.

    Side effects: OutgoingMail rows in the caller's transaction, sent after it commits.
    Never raises: a notification that cannot be queued is logged, and the confirmation
    stands.
    """
    _queue_district_mail(
        application,
        template="new_application",
        kind=OutgoingMail.Kind.DISTRICT_NEW_APPLICATION,
        with_name=True,
        failure="Notification of application %s could not be queued",
    )


def queue_withdrawal_notification(application):
    """Tell the district that an application in one of its municipalities was withdrawn by
    the person: one mail per recipient, naming the municipality and the admin page, no
    personal data (the mail leaves the portal; the admin page needs a sign-in).

    Side effects and failures as queue_new_application_notification."""
    _queue_district_mail(
        application,
        template="withdrawn",
        kind=OutgoingMail.Kind.DISTRICT_WITHDRAWN,
        with_name=False,
        failure="Withdrawal notice of application %s could not be queued",
    )


def _queue_district_mail(application, *, template, kind, with_name, failure):
    """One mail per notification recipient of the application's district
    (selectors.district_notification_recipients), from
    notifications/email/<template>_subject.txt and _body.txt, with the municipality, the
    district, the admin link and, if `with_name`, the applicant's name. Never raises."""
    try:
        # A savepoint: a failure while queueing undoes only the queued rows.
        with transaction.atomic(), scopes_disabled(), in_german():
            municipality = application.municipality
            district = municipality.district
            context = {
                "municipality": municipality.name,
                "district": district.name,
                "link": absolute_url(
                    reverse("admin:candidates_application_change", args=[application.pk])
                ),
            }
            if with_name:
                context["full_name"] = application.full_name
            subject = render_to_string(
                f"notifications/email/{template}_subject.txt", context
            ).strip()
            body = render_to_string(f"notifications/email/{template}_body.txt", context)
            for address in district_notification_recipients(district):
                outbox.queue_mail(
                    to=address,
                    subject=subject,
                    body=body,
                    kind=kind,
                    application_id=application.pk,
                )
    except Exception:
        logger.exception(failure, application.pk)
