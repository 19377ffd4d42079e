"""Who may see which district's data. The one answer to "what may this user see";
querysets' `visible_to(user)`, the admin, exports and statistics build on it."""

from accounts.roles import STATE_OFFICE_GROUP
from districts.models import District


def is_state_office(user):
    """Superusers and members of the state office group see every district."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_state_office", None)
    if cached is None:
        cached = user.groups.filter(name=STATE_OFFICE_GROUP).exists()
        user._is_state_office = cached
    return cached


def districts_for(user):
    """The districts whose data this user may see, as a lazy queryset (usable in
    `__in` subqueries without an extra query). Empty for anonymous and inactive users."""
    if not (user and user.is_authenticated and user.is_active):
        return District.objects.none()
    if is_state_office(user):
        return District.objects.all()
    return District.objects.filter(memberships__user=user)
