"""allauth's account adapter for the portal: staff only, every mail through the outbox."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse

from notifications.models import OutgoingMail
from notifications.services import queue_mail
from portal.scoping import districts_for, sees_all_districts

logger = logging.getLogger(__name__)


class StaffOnlyAccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by the state office; nobody signs up publicly.

    Every mail allauth sends goes through the outbox (stored, sent right after commit,
    retried by `send_pending_mail`), so a mail server that is down loses none:
    security notices to the account owner (ACCOUNT_EMAIL_NOTIFICATIONS: second factor
    activated or removed, recovery codes renewed, password or address changed) as
    "Sicherheitshinweis", password-reset links and address confirmations as
    "Konto-E-Mail". A reset link in the outbox is no weaker than in the mailbox: it
    expires (PASSWORD_RESET_TIMEOUT), and the outbox's admin shows no message texts.
    """

    _notification = False

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        """Where a sign-in without a chosen page ends: district team members on their
        overview (lists.overview: where candidates are still missing), everybody else on
        the admin's index."""
        user = request.user
        if not sees_all_districts(user) and districts_for(user).exists():
            return reverse("admin:overview")
        return super().get_login_redirect_url(request)

    def post_login(self, request, user, *, redirect_url=None, **kwargs):
        # Opening /verwaltung/ signed out leads to the sign-in with next=/verwaltung/: the
        # admin's door, not a page anybody chose, so it ends where the role starts.
        if redirect_url == reverse("admin:index"):
            redirect_url = None
        return super().post_login(request, user, redirect_url=redirect_url, **kwargs)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        self._notification = True
        try:
            super().send_notification_mail(template_prefix, user, context=context, email=email)
        finally:
            self._notification = False

    def send_mail(self, template_prefix, email, context):
        # As allauth's send_mail, but stored in the outbox instead of sent. Never raises
        # (as the outbox): what the mail is about has happened already.
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
                kind=OutgoingMail.Kind.STAFF_SECURITY
                if self._notification
                else OutgoingMail.Kind.STAFF_ACCOUNT,
            )
        except Exception:
            logger.exception("Account mail %s could not be queued", template_prefix)
        return None
