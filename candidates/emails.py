"""E-mails to applicants. Sent after the transaction commits; a failing mail server is
logged and never loses or blocks the application."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from candidates.models import Application
from candidates.tokens import confirmation_token

logger = logging.getLogger(__name__)


def absolute_url(path):
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def send_confirmation_mail(application_id):
    """Ask the applicant to confirm their e-mail address (double opt-in).

    Returns True when the mail server accepted the message.
    """
    application = Application.objects.select_related("municipality__district", "election").get(
        pk=application_id
    )
    link = absolute_url(
        reverse("candidates:confirm", kwargs={"token": confirmation_token(application)})
    )
    context = {
        "application": application,
        "link": link,
        "max_age_days": settings.PORTAL_CONFIRMATION_MAX_AGE_DAYS,
        "association_name": settings.PORTAL_ASSOCIATION_NAME,
    }
    subject = render_to_string("candidates/email/confirm_subject.txt", context).strip()
    body = render_to_string("candidates/email/confirm_body.txt", context)
    try:
        send_mail(subject, body, None, [application.email])
    except Exception:
        # The application is stored; the district team sees it as unconfirmed and the
        # applicant can ask for the link again.
        logger.exception("Confirmation mail for application %s failed", application_id)
        return False
    return True
