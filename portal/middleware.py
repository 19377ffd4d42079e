"""Requests that no page of ours can answer meaningfully, refused before any view; and
the Content-Security-Policy header, built once."""

import functools
from dataclasses import asdict

import csp.middleware
from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.views.defaults import bad_request


class RejectNullCharactersMiddleware:
    """A NUL character (U+0000) in the path or the query string answers 400.

    PostgreSQL cannot hold NUL in a text value: psycopg2 raises ValueError on the
    query, which Django's admin list filters and its autocomplete view pass on as a 500
    (`?status=%00`, `?term=%00`). No legitimate link carries one. Forms need no help:
    Django's form fields refuse NUL with a field message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(request, ValueError("NUL character in the URL"))
        return self.get_response(request)


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the site-wide policy built once instead of for every
    response: it is the same string unless a view changes it (embed.framing sets
    `_csp_replace`) or a nonce is used. Those responses, and DEBUG's error pages, go
    through django-csp unchanged."""

    _OVERRIDES = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")

    @functools.cached_property
    def site_policy(self):
        return build_policy(**asdict(PolicyParts()))

    def process_response(self, request, response):
        if (
            getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("EXCLUDE_URL_PREFIXES")
            or (settings.DEBUG and response.status_code in (404, 500))
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self._OVERRIDES)
        ):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = self.site_policy
        # As django-csp does: a nonce asked for after this point is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
