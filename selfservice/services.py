"""Writes of "Meine Bewerbung" that are not the application's own (those are in
candidates.services: update_application, withdraw_application, erase_applications)."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django_scopes import scopes_disabled

from candidates import abuse
from candidates.emails import absolute_url, in_their_language
from candidates.models import Application
from candidates.tokens import confirmation_token
from notifications import services as outbox
from notifications.models import OutgoingMail
from selfservice.tokens import issue_token

logger = logging.getLogger(__name__)


@transaction.atomic
def request_new_link(email):
    """Someone asks for a new link to "Meine Bewerbung" for `email` (already made
    canonical by the form). Returns nothing: the page says the same whatever happened.

    For each application with that address: every older link is
    deleted (rotation) and a mail with a new one goes to the address, with a fresh
    confirmation link too if the application was never confirmed (and is not past its
    deadline). Nothing happens for an unknown address, or once the address has had its
    daily share of mails from the public pages (candidates.abuse.mail_to_address_allowed;
    counted only for known addresses, so the counter tells nothing either).
    Side effects: AccessToken rows, OutgoingMail rows (sent after commit).
    """
    # Public page: looked up by the address the person typed, outside any district scope.
    # Every stored application of the address, not only the current election's: after
    # the application period closes, the person still has their rights (retention erases
    # old applications anyway).
    with scopes_disabled():
        applications = list(
            Application.objects.select_related("municipality__district", "election").filter(
                email__iexact=email
            )
        )
        if not applications:
            return
        if not abuse.mail_to_address_allowed(email):
            logger.info("Mail limit reached for one address; no new link sent")
            return
        for application in applications:
            _queue_new_link_mail(application)


def _queue_new_link_mail(application):
    # In the language the person applied in, whichever page asked for the link.
    with in_their_language(application):
        _queue_new_link_mail_now(application)


def _queue_new_link_mail_now(application):
    token = issue_token(application, rotate=True)
    unconfirmed = (
        application.status == Application.Status.UNCONFIRMED
        and not application.confirmation_expired()
    )
    context = {
        "application": application,
        "district": application.municipality.district,
        "self_service_link": absolute_url(reverse("selfservice:overview", kwargs={"token": token})),
        "link_days": settings.PORTAL_SELF_SERVICE_LINK_DAYS,
        "confirmation_link": absolute_url(
            reverse("candidates:confirm", kwargs={"token": confirmation_token(application)})
        )
        if unconfirmed
        else None,
        "valid_until": application.confirmation_deadline,
        "association_name": settings.PORTAL_ASSOCIATION_NAME,
    }
    outbox.queue_mail(
        to=application.email,
        subject=render_to_string("selfservice/email/new_link_subject.txt", context).strip(),
        body=render_to_string("selfservice/email/new_link_body.txt", context),
        kind=OutgoingMail.Kind.APPLICANT_SELF_SERVICE_LINK,
        application_id=application.pk,
    )
