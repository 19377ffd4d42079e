"""The fail-closed safety net under district scoping.

`Application`, `StatusChange`, `Note` and `Assignment` have a django-scopes
`ScopedManager` as their default manager: every query through it raises `ScopeError`
unless a scope is active, and inside `scope(district=[...])` it only returns rows of those
districts. This middleware opens the scope for each request, so Django's own admin code
that reads `_default_manager` directly (the raw-id widget's label, list filters across a
relation; see ../shared/notes/security-and-ecosystem.md § 3) cannot reach another
district's rows even where our `visible_to` filters are not applied.

The scope is only the outer fence. What a user may see is still decided by
`visible_to(user)` (districts.permissions), which is narrower (district teams never see
unconfirmed applications).

Code that must reach rows outside the request's scope — management commands, the
workflow services, the district's notification, public pages that look an application
up by token — uses `scopes_disabled()` explicitly. Streaming
responses run after this middleware has returned: open a scope inside the generator.
"""

from contextlib import contextmanager

from django_scopes import scope, scopes_disabled

from districts.permissions import districts_for, is_state_office


@contextmanager
def district_scope_for(user):
    """The scope a user works in: all districts for the state office and superusers,
    the user's districts for other staff, none for everybody else."""
    if is_state_office(user) and user.is_staff:
        with scopes_disabled():
            yield
        return
    if user.is_authenticated and user.is_staff:
        district_ids = list(districts_for(user).values_list("pk", flat=True))
    else:
        district_ids = []
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
