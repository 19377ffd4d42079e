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
- A change shows within a second: every write that can change a public page (a save or
  delete of any model but those in NEVER_PUBLIC, and any successful write by a signed-in
  staff member, whatever it touched) sets a new content version in the shared cache
  after its transaction commits; each worker reads the version at most once a second
  (VERSION_CHECK_SECONDS) and serves no page rendered under an older one. Pages are kept
  at most `PORTAL_PAGE_CACHE_SECONDS` (60 by default) for what changes with time alone
  (an election opening at midnight, an event passing) and for counts from applications
  that no staff member touched (an applicant's withdrawal opens a place on the list
  within that time). `PORTAL_PAGE_CACHE_SECONDS = 0` turns the cache off (the test
  settings do).
- Memory is bounded (`PORTAL_PAGE_CACHE_MAX_BYTES` per process; least recently used
  pages go first), and odd query strings do not make new entries (made-up campaign
  codes are rendered without the cache). Search terms do (up to 60 characters each):
  a flood of them only empties the cache.
"""

import functools
import logging
import secrets
import threading
import time
from collections import OrderedDict

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
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


logger = logging.getLogger(__name__)

# --- The content version ---------------------------------------------------------------

VERSION_KEY = "public-pages-version"
VERSION_CHECK_SECONDS = 1.0
# Writes that never change a public page, and some of which come with every submission:
# they set no new version. (What public pages count from applications, the open places,
# follows within PORTAL_PAGE_CACHE_SECONDS, or at once when staff made the change.)
NEVER_PUBLIC = frozenset(
    {
        "account",
        "admin",
        "auth",
        "contenttypes",
        "mfa",
        "notifications",
        "reports",
        "selfservice",
        "sessions",
        "sites",  # staff mail only; written by every migrate (portal.sites.sync_site)
        "usersessions",
        "candidates.application",
        "candidates.assignment",
        "candidates.detailchange",
        "candidates.note",
        "candidates.statuschange",
        "candidates.submissioncounter",
        "lists.paperworkevent",
    }
)

_version = {"until": 0.0, "value": None}
_version_lock = threading.Lock()


def content_version():
    """The current content version, read from the shared cache at most once a second;
    None when the cache cannot be read (then nothing is served from the page cache)."""
    now = time.monotonic()
    with _version_lock:
        if now < _version["until"]:
            return _version["value"]
    try:
        value = cache.get(VERSION_KEY)
        if value is None:
            cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
            value = cache.get(VERSION_KEY)
    except Exception:
        logger.exception("The page cache's content version cannot be read")
        value = None
    with _version_lock:
        _version.update(until=now + VERSION_CHECK_SECONDS, value=value)
    return value


def new_content_version():
    """Make every page cached by any worker on any node stale (within a second)."""
    try:
        cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)
    except Exception as error:
        # Also during `migrate` before `createcachetable`: pages then expire by their age.
        logger.warning("The page cache's content version cannot be set: %s", error)
    with _version_lock:
        _version["until"] = 0.0


def public_content_changed(using=DEFAULT_DB_ALIAS):
    """A write that can change a public page: a new content version once its transaction
    commits (a page rendered before the commit must not be kept as new)."""
    if settings.PORTAL_PAGE_CACHE_SECONDS > 0:
        transaction.on_commit(new_content_version, using=using)


def can_show_publicly(model):
    meta = model._meta
    return meta.app_label not in NEVER_PUBLIC and meta.label_lower not in NEVER_PUBLIC


def _written(sender, **kwargs):
    if kwargs.get("raw"):
        return
    public_content_changed(kwargs.get("using") or DEFAULT_DB_ALIAS)


def connect_signals():
    """Called by portal.apps: every save, delete and many-to-many change of every model
    that can show publicly. Connected model by model, not for every sender: a post_delete
    receiver for all models would cost every bulk delete (sessions, sent mail, retention)
    Django's fast delete. Migrations' historical models are other classes, so their writes
    (before `createcachetable`, say) set no version."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in global_apps.get_models():
        if can_show_publicly(model):
            uid = f"portal.pagecache.{model._meta.label_lower}"
            post_save.connect(_written, sender=model, dispatch_uid=uid + ".save")
            post_delete.connect(_written, sender=model, dispatch_uid=uid + ".delete")
    m2m_changed.connect(_m2m_written, dispatch_uid="portal.pagecache.m2m")


def _m2m_written(sender, instance, model, using, **kwargs):
    # `sender` is the through model; `instance`'s relation to rows of `model` changed.
    if can_show_publicly(type(instance)) or can_show_publicly(model):
        public_content_changed(using)


_memo = {}
_memo_lock = threading.Lock()


def per_content_version(key, compute):
    """`compute()`, kept in this process until the content version changes or
    PORTAL_PAGE_CACHE_SECONDS pass: for small reference rows that public requests read on
    every request (the elections, the legal texts). Keep what is kept small, and decide
    anything that depends on the time in Python from it, not in the query. Without the
    page cache (PORTAL_PAGE_CACHE_SECONDS = 0, as in the tests) it is `compute()`."""
    seconds = settings.PORTAL_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    version = content_version()
    now = time.monotonic()
    with _memo_lock:
        known = _memo.get(key)
        if known is not None and known[0] == version and known[1] > now and version is not None:
            return known[2]
    value = compute()
    with _memo_lock:
        _memo[key] = (version, now + seconds, value)
    return value


class StaffWriteMiddleware:
    """Any successful write in the admin by a signed-in staff member sets a new content
    version, whatever it touched: also admin actions that update rows without signals.
    (Signing in, under /konto/, is no such write.)"""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
            user = getattr(request, "user", None)
            if (
                user is not None
                and user.is_authenticated
                and user.is_staff
                and request.path.startswith(self._admin_prefix())
            ):
                public_content_changed()
        return response

    def _admin_prefix(self):
        if self.admin_prefix is None:
            from django.urls import reverse

            self.admin_prefix = reverse("admin:index")
        return self.admin_prefix


# --- The cache ---------------------------------------------------------------------------


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

    def get(self, key, now, version):
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.expires <= now or page.version != version:
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
        "version",
        "has_token",
        "attributes",
        "size",
    )

    def __init__(self, response, expires, version):
        self.version = version
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


def forget_everything():
    """This process's kept pages, rows and codes, and its idea of the version: gone (for
    tests, which switch the cache on and off between them)."""
    PAGES.clear()
    with _memo_lock:
        _memo.clear()
    with _version_lock:
        _version.update(until=0.0, value=None)
    with _codes_lock:
        _codes.update(until=0.0, version=None, codes=frozenset())


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
            # Read before rendering: a page rendered while a change commits is kept under
            # the version before it, which is stale a second later.
            version = content_version()
            if version is None:
                return view(request, *args, **kwargs)
            key = (request.path, parameters, get_language(), request.scheme, request.get_host())
            now = time.monotonic()
            page = PAGES.get(key, now, version)
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
            page = Page(response, now + seconds, version)
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


_codes = {"until": 0.0, "version": None, "codes": frozenset()}
_codes_lock = threading.Lock()


def _known_codes():
    """Every campaign source's code, read again with every new content version and at
    least every PORTAL_PAGE_CACHE_SECONDS (a new source's link is rendered without the
    cache until then)."""
    now = time.monotonic()
    version = content_version()
    with _codes_lock:
        if now < _codes["until"] and version == _codes["version"]:
            return _codes["codes"]
    from django_scopes import scopes_disabled

    from campaigns.models import Source

    with scopes_disabled():
        codes = frozenset(Source.objects.values_list("code", flat=True))
    with _codes_lock:
        _codes.update(
            until=now + max(settings.PORTAL_PAGE_CACHE_SECONDS, 1), version=version, codes=codes
        )
    return codes


def search_parameter(value):
    """Search terms exactly as typed (the page shows them back); long ones are not
    cached."""
    return value if len(value) <= 60 else UNCACHED


# The pages whose links carry a campaign code on (`?quelle=`, campaigns.models).
BY_SOURCE = {QUERY_PARAMETER: code_parameter}
