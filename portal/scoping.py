"""District scoping: which districts a user may see, and the fail-closed net under it.

The one home of the rule and its enforcement:

- `districts_for(user)` is the one answer to "which districts": none for anonymous,
  inactive or non-staff accounts; all for staff with the named permission
  `districts.view_all_districts` (the state office, and superusers, who have every
  permission); the districts of their memberships for other staff. Querysets'
  `visible_to(user)`, the admin, exports and statistics build on it.
- `district_scope_for(user)` opens the django-scopes scope for exactly those districts
  (`scopes_disabled()` when that is all of them); `DistrictScopeMiddleware` wraps every
  request in it.
- `scoped_manager(QuerySet, "<path to district>")` is the default manager of every
  district-bound model (today `Application`, `StatusChange`, `Note`, `Assignment`,
  and the lists app's `CandidateList`, `ListPlace`, `PaperworkEvent` and `ListChange`):
  every query through it raises `ScopeError` unless a scope is active
  (`FailClosedQuerySet`), and inside `scope(district=[...])` it only returns rows of
  those districts. So Django's own admin code that reads `_default_manager` directly
  (the raw-id widget's label, list filters across a relation; see
  ../shared/notes/security-and-ecosystem.md § 3) cannot reach another district's rows
  even where our `visible_to` filters are not applied.

The scope is only the outer fence. What a user may see is still decided by
`visible_to(user)`, which may be narrower (district teams never see unconfirmed
applications: candidates.models.visible_filter).

Code that must reach rows outside the request's scope — management commands, the
workflow services, the district's notification, public pages that look an application
up by token — uses `scopes_disabled()` explicitly. Streaming
responses run after this middleware has returned: open a scope inside the generator.
"""

from contextlib import contextmanager

from django.db import models
from django_scopes import ScopedManager, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

from accounts.roles import VIEW_ALL_DISTRICTS
from districts.models import District


def works_on_districts(user):
    """Whether this user may see any district at all: active staff accounts only."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def sees_all_districts(user):
    """Whether `districts_for(user)` is every district."""
    return bool(user and user.is_authenticated and user.is_staff) and user.has_perm(
        VIEW_ALL_DISTRICTS
    )


def districts_for(user):
    """The districts whose data this user may see, as a lazy queryset (usable in
    `__in` subqueries without an extra query). Empty for anonymous, inactive and
    non-staff accounts: district data is staff work, and an account without staff
    status (even a superuser) cannot use the admin at all."""
    if not works_on_districts(user):
        return District.objects.none()
    if sees_all_districts(user):
        return District.objects.all()
    return District.objects.filter(memberships__user=user)


@contextmanager
def district_scope_for(user):
    """The django-scopes scope of exactly `districts_for(user)`: no filter when that is
    every district, else a list of ids (empty for everybody without districts)."""
    if not works_on_districts(user):
        # Every visitor of the public pages: no district, without building a query.
        with scope(district=[]):
            yield
        return
    if sees_all_districts(user):
        with scopes_disabled():
            yield
        return
    district_ids = list(districts_for(user).values_list("pk", flat=True))
    # Always a list: `scope(district=None)` would mean "no filter".
    with scope(district=district_ids):
        yield


class DistrictScopeMiddleware:
    """Runs each request inside `district_scope_for(request.user)`. Must come after
    AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with district_scope_for(request.user):
            return self.get_response(request)


class FailClosedQuerySet(DisabledQuerySet):
    """What a scoped manager returns outside any district scope. django-scopes'
    DisabledQuerySet blocks count(), filter(), iteration and the like, but lets
    exists(), exclude() and explain() run the unfiltered query; here those raise
    ScopeError too, and so does anything that fetches rows."""

    exists = aexists = exclude = explain = aiterator = __aiter__ = DisabledQuerySet.error

    def _fetch_all(self):
        self.error()


def scoped_manager(queryset_class, district_path):
    """The default manager of a district-bound model: fails closed (django-scopes raises
    ScopeError) unless a district scope is active."""
    base = type(
        ScopedManager(
            _manager_class=models.Manager.from_queryset(queryset_class), district=district_path
        )
    )

    class FailClosedScopedManager(base):
        def get_queryset(self):
            queryset = super().get_queryset()
            if type(queryset) is DisabledQuerySet:
                queryset.__class__ = FailClosedQuerySet
            return queryset

    return FailClosedScopedManager()
