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

Counters live in Django's cache, which production settings make shared (database cache)
so all workers count together. Counting is approximate (not atomic across processes):
good enough for a fence behind which double opt-in stands.
"""

import hashlib
import ipaddress

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

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
    """Count one event in the window that starts with the first one; returns the count."""
    # add() starts the window; incr() counts within it.
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return 1


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
