"""Keeping bots and mail-bombers off the public form, without any third-party service.

Double opt-in is the real gate: nothing reaches a district team unconfirmed, and
unconfirmed applications are erased. What is left to stop is a script that submits the
form in bulk — filling our database and sending confirmation mails to addresses of
people who never asked for them. So:

- a honeypot field that people never see and scripts fill in;
- a limit of successful submissions per client address per hour, and per e-mail address
  per day (the latter protects the owner of an address from our mails).

Counters live in Django's cache, which production settings make shared (database cache)
so all workers count together. Counting is approximate (not atomic across processes):
good enough for a fence behind which double opt-in stands.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

HONEYPOT_FIELD = "contact_me_by_fax_only"
HOUR = 3600
DAY = 24 * HOUR


def client_ip(request):
    """The client's address, honouring as many reverse proxies as the operator declared
    (PORTAL_TRUSTED_PROXY_COUNT, shared with allauth's login limits)."""
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _key(kind, value):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"apply-limit:{kind}:{digest}"


def _limits(request, email):
    return (
        (_key("ip", client_ip(request)), settings.PORTAL_APPLICATIONS_PER_IP_PER_HOUR, HOUR),
        (_key("email", email.lower()), settings.PORTAL_APPLICATIONS_PER_EMAIL_PER_DAY, DAY),
    )


def is_rate_limited(request, email):
    """True if this client or this e-mail address has submitted as many applications as
    allowed in the current window."""
    return any((cache.get(key) or 0) >= limit for key, limit, _window in _limits(request, email))


def count_submission(request, email):
    for key, _limit, window in _limits(request, email):
        # add() starts the window; incr() counts within it.
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=window)
