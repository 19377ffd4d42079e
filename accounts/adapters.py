"""allauth's account adapter for the portal: staff only, security notices through the
outbox."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from notifications.models import OutgoingMail
from notifications.services import queue_mail

logger = logging.getLogger(__name__)


class StaffOnlyAccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by the state office; nobody signs up publicly.

    allauth's security notices to the account owner (ACCOUNT_EMAIL_NOTIFICATIONS: second
    factor activated or removed, recovery codes renewed, password or e-mail address
    changed) go through the outbox, so a mail server that is down loses none of them.
    allauth's other mails (password reset link, address confirmation) are sent at once,
    as before: they are asked for on the spot and must not wait for the retry command.
    """

    _queue_in_outbox = False

    def is_open_for_signup(self, request):
        return False

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        self._queue_in_outbox = True
        try:
            super().send_notification_mail(template_prefix, user, context=context, email=email)
        finally:
            self._queue_in_outbox = False

    def send_mail(self, template_prefix, email, context):
        if not self._queue_in_outbox:
            return super().send_mail(template_prefix, email, context)
        # As allauth's send_mail, but stored in the outbox instead of sent. Never raises
        # (as the outbox): the change the mail is about has been made already.
        try:
            request = allauth_context.request
            message = self.render_mail(
                template_prefix,
                email,
                {
                    "request": request,
                    "email": email,
                    "current_site": get_current_site(request),
                    "state_office_email": settings.PORTAL_STATE_OFFICE_EMAIL,
                    **context,
                },
            )
            queue_mail(
                to=email,
                subject=message.subject,
                body=message.body,
                kind=OutgoingMail.Kind.STAFF_SECURITY,
            )
        except Exception:
            logger.exception("Security notice %s could not be queued", template_prefix)
        return None
