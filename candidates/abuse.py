"""Keeping bots and mail-bombers off the public form, without any third-party service.

Double opt-in is the real gate: nothing reaches a district team unconfirmed, and
unconfirmed applications are erased. What is left to stop is a script that submits the
form in bulk — filling our database and sending confirmation mails to addresses of
people who never asked for them. So:

- a honeypot field that people never see and scripts fill in;
- a limit of form submissions per client address per hour, counting every submission,
  valid or not (so nobody can probe the form for free); over it, the client gets a
  friendly 429 with the input kept — the same answer whatever address was typed;
- a limit of mails per inbox per day (`mailbox_key`: `+tags` and Gmail dots folded),
  which protects the owner of an address from our mails. Over it, nothing is stored or
  sent, and the public answer is the usual thank-you page: what the form shows never
  depends on the address (see candidates.services.submit_application).

Counters live in the database (`SubmissionCounter`), counted in one atomic statement
per limit, so every worker and every app node counts together. A window starts with its
first event and lasts its full length (an hour, a day), whatever cache is configured:
counting in Django's database cache, whose incr() restarts an entry's expiry at the
default five minutes, turned the daily limit per inbox into a five-minute window.
"""

import hashlib
import ipaddress
import time

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection

from candidates.models import SubmissionCounter
from candidates.validators import mailbox_key

HONEYPOT_FIELD = "contact_me_by_fax_only"
HOUR = 3600
DAY = 24 * HOUR


def client_ip(request):
    """The client's address as allauth's login limits see it (ALLAUTH_TRUSTED_PROXY_COUNT,
    from PORTAL_TRUSTED_PROXY_COUNT): one rule for both. Where allauth cannot tell (no
    address, or fewer X-Forwarded-For entries than declared proxies, which real proxies
    never send), the connection's own address."""
    try:
        return get_account_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied):
        return request.META.get("REMOTE_ADDR", "")


def client_network(address):
    """What counts as one client: an IPv4 address, or the /64 network of an IPv6 address
    (one connection usually holds a whole /64, and could rotate through it)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def _key(kind, value):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"apply-limit:{kind}:{digest}"


def _count(key, window):
    """Count one event in the window of `key`, which starts with its first event and
    lasts `window` seconds; returns the count in the window, this event included. One
    statement (PostgreSQL, and SQLite from 3.35): parallel requests never lose a count."""
    now = int(time.time())
    # The table name is the model's own, quoted; every value is a parameter.
    table = connection.ops.quote_name(SubmissionCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (counter_key, hits, window_ends) "  # noqa: S608
            "VALUES (%s, 1, %s) "
            "ON CONFLICT (counter_key) DO UPDATE SET "
            f"hits = CASE WHEN {table}.window_ends <= %s THEN 1 ELSE {table}.hits + 1 END, "
            f"window_ends = CASE WHEN {table}.window_ends <= %s "
            f"THEN excluded.window_ends ELSE {table}.window_ends END "
            "RETURNING hits",
            [key, now + window, now, now],
        )
        return cursor.fetchone()[0]


def purge_expired_counters():
    """Delete the counters whose window is over (data minimisation: the keys are hashes
    of client addresses and inboxes). Returns how many."""
    deleted, _by_model = SubmissionCounter.objects.filter(
        window_ends__lte=int(time.time())
    ).delete()
    return deleted


def client_submission_allowed(request):
    """Count this form submission of the client; False once the client has sent more
    than PORTAL_APPLICATIONS_PER_IP_PER_HOUR submissions (with or without errors) in the
    current hour."""
    count = _count(_key("ip", client_network(client_ip(request))), HOUR)
    return count <= settings.PORTAL_APPLICATIONS_PER_IP_PER_HOUR


def mail_to_address_allowed(email):
    """Count one mail the public form sends to this address; False once its inbox
    (`mailbox_key`) has had PORTAL_APPLICATIONS_PER_EMAIL_PER_DAY of them today."""
    count = _count(_key("mailbox", mailbox_key(email)), DAY)
    return count <= settings.PORTAL_APPLICATIONS_PER_EMAIL_PER_DAY


def over_client_limit_response(view, form, message):
    """The answer of a form view whose client is over client_submission_allowed's limit:
    the form again with everything typed and its field messages, `message` above it,
    status 429 — the same whatever was typed (the application form, the new-link form)."""
    form.is_valid()  # show the input again with its field messages
    form.add_error(None, message)
    response = view.form_invalid(form)
    response.status_code = 429
    return response
