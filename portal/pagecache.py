"""A short-lived cache of whole public pages, in each worker process's memory.

When a campaign goes out, hundreds of people open the same few pages within minutes; the
application form alone takes most of a worker's time to render (crispy-forms' layout).
So a public page, once rendered, is served again for `PORTAL_PAGE_CACHE_SECONDS` (5 by
default) to every visitor who would see exactly the same page.

What keeps it correct:
- Only GET/HEAD requests without a session or messages cookie: nobody signed in, no
  message waiting. Whoever has one gets the page rendered for them.
- The key is the view's own (the path plus only the query parameters that change the
  page, in their normalised form) plus the language, the scheme and the host.
- The CSRF token is never cached: the page is rendered with a placeholder in its place
  (`csrf_placeholder`, a context processor), and every response gets a fresh token of
  its own (`get_token`, which also sets the cookie as usual).
- Only 200 responses (and redirects: where a search goes) that set no cookie and are not
  marked private or no-store are kept.
- Each worker forgets a page after the TTL, so a change in the admin (a district's text,
  an election opening or closing, a council added) shows within seconds on every node,
  without any invalidation across processes. `PORTAL_PAGE_CACHE_SECONDS = 0` turns the
  cache off (the test settings do).
- Memory is bounded (`PORTAL_PAGE_CACHE_MAX_BYTES` per process; least recently used
  pages go first), and odd query strings do not make new entries (made-up campaign
  codes are rendered without the cache). Search terms do (up to 60 characters each):
  a flood of them only empties the cache.
"""

import functools
import secrets
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from campaigns.models import CODE_PATTERN, QUERY_PARAMETER

# Different in every process, never guessable: a page that contains it was rendered for
# the cache, and the string is replaced before anyone sees it.
PLACEHOLDER = "csrf-placeholder-" + secrets.token_hex(16)
_RENDERING_FOR_CACHE = "_page_cache_rendering"
# Attributes of a response that middleware further out reads (embed.framing's headers).
_RESPONSE_ATTRIBUTES = ("_csp_replace", "_csp_update", "xframe_options_exempt")


def csrf_placeholder(request):
    """Context processor, after Django's csrf one: the placeholder instead of the token
    while a page is rendered for the cache."""
    if getattr(request, _RENDERING_FOR_CACHE, False):
        return {"csrf_token": PLACEHOLDER}
    return {}


class PageCache:
    """Least recently used, bounded by the bytes of its pages, thread-safe."""

    def __init__(self):
        self._pages = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key, now):
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.expires <= now:
                self._remove(key)
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key, page, max_bytes):
        if page.size > max_bytes:
            return
        with self._lock:
            if key in self._pages:
                self._remove(key)
            self._pages[key] = page
            self._bytes += page.size
            while self._bytes > max_bytes:
                self._remove(next(iter(self._pages)))

    def clear(self):
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _remove(self, key):
        self._bytes -= self._pages.pop(key).size

    def __len__(self):
        return len(self._pages)


class Page:
    __slots__ = (
        "status",
        "location",
        "content",
        "content_type",
        "expires",
        "has_token",
        "attributes",
        "size",
    )

    def __init__(self, response, expires):
        self.status = response.status_code
        self.location = response.get("Location")
        self.content = response.content
        self.content_type = response["Content-Type"]
        self.expires = expires
        self.has_token = PLACEHOLDER.encode() in self.content
        self.attributes = {
            name: getattr(response, name)
            for name in _RESPONSE_ATTRIBUTES
            if hasattr(response, name)
        }
        self.size = len(self.content) + 500


PAGES = PageCache()


def _cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


# A page, or where a search goes (a unique match redirects to its form).
CACHED_STATUSES = frozenset({200, 301, 302})


def _cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code in CACHED_STATUSES
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _with_token(request, content):
    return content.replace(PLACEHOLDER.encode(), get_token(request).encode())


def _response_from(page, request):
    content = _with_token(request, page.content) if page.has_token else page.content
    if page.location is not None:
        redirect = {301: HttpResponsePermanentRedirect}.get(page.status, HttpResponseRedirect)
        response = redirect(page.location, content=content, content_type=page.content_type)
    else:
        response = HttpResponse(content, content_type=page.content_type, status=page.status)
    for name, value in page.attributes.items():
        setattr(response, name, value)
    # As for the rendered page: a cache in between must not hand one visitor's token to
    # another (the CSRF middleware adds Cookie itself where it sets the cookie).
    patch_vary_headers(response, ["Cookie"])
    return response


def cache_public_page(query=None):
    """Decorator for a public view (also `SomeView.as_view()`). `query` maps a query
    parameter that changes the page to a function normalising its value (return None to
    leave it out of the key); every other parameter is ignored for the key, since the
    page does not depend on it."""
    query = query or {}

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            seconds = settings.PORTAL_PAGE_CACHE_SECONDS
            if seconds <= 0 or not _cacheable_request(request):
                return view(request, *args, **kwargs)
            parameters = tuple(
                (name, normalise(request.GET.get(name, ""))) for name, normalise in query.items()
            )
            if any(value is UNCACHED for _name, value in parameters):
                return view(request, *args, **kwargs)
            key = (request.path, parameters, get_language(), request.scheme, request.get_host())
            now = time.monotonic()
            page = PAGES.get(key, now)
            if page is not None:
                return _response_from(page, request)
            setattr(request, _RENDERING_FOR_CACHE, True)
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response.render()
            finally:
                setattr(request, _RENDERING_FOR_CACHE, False)
            if not _cacheable_response(response):
                # Rendered with the placeholder all the same: give it its real token.
                if not response.streaming and PLACEHOLDER.encode() in response.content:
                    response.content = _with_token(request, response.content)
                return response
            page = Page(response, now + seconds)
            PAGES.put(key, page, settings.PORTAL_PAGE_CACHE_MAX_BYTES)
            return _response_from(page, request)

        return wrapped

    return decorator


# What a normaliser returns for a value whose page is not cached.
UNCACHED = object()


def code_parameter(value):
    """A campaign code that exists keys its own page; odd input is the page without a
    code and shares its entry. A code of the right shape that no source had when the
    codes were last read is rendered without the cache: made-up codes cannot crowd real
    pages out, and a source created a moment ago is never mistaken for no code (the view
    decides with source_for, which reads the database)."""
    if not CODE_PATTERN.fullmatch(value):
        return None
    return value if value in _known_codes() else UNCACHED


_codes = {"until": 0.0, "codes": frozenset()}
_codes_lock = threading.Lock()


def _known_codes():
    """Every campaign source's code, read again at most every PORTAL_PAGE_CACHE_SECONDS
    (a new source's link works in its own page entry within that time)."""
    now = time.monotonic()
    with _codes_lock:
        if now < _codes["until"]:
            return _codes["codes"]
    from django_scopes import scopes_disabled

    from campaigns.models import Source

    with scopes_disabled():
        codes = frozenset(Source.objects.values_list("code", flat=True))
    with _codes_lock:
        _codes.update(until=now + max(settings.PORTAL_PAGE_CACHE_SECONDS, 1), codes=codes)
    return codes


def search_parameter(value):
    """Search terms exactly as typed (the page shows them back); long ones are not
    cached."""
    return value if len(value) <= 60 else UNCACHED


# The pages whose links carry a campaign code on (`?quelle=`, campaigns.models).
BY_SOURCE = {QUERY_PARAMETER: code_parameter}
