"""Reads about district teams that carry a rule, and the municipalities public requests
read on every request."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.roles import VIEW_ALL_DISTRICTS, users_with
from districts.models import DistrictMembership, Municipality


def staff_working_for(districts, *, in_every=False):
    """The one rule of who works on a district's applications: active staff in its team,
    and active staff who see every district (the state office and operators, by the named
    rule VIEW_ALL_DISTRICTS). For several `districts` (District instances, pks or a
    queryset), members of the team of any of them; with `in_every=True`, only of every one
    of them (candidates.workflow.assignable_users: an Ansprechperson must be able to work
    on each selected application). Unordered."""
    User = get_user_model()
    condition = Q(pk__in=users_with(VIEW_ALL_DISTRICTS).values("pk"))
    if in_every:
        district_ids = {getattr(district, "pk", district) for district in districts}
        if district_ids:
            team = User.objects.all()
            for district_id in district_ids:
                team = team.filter(pk__in=_members_of(district_id))
            condition |= Q(pk__in=team.values("pk"))
    else:
        members = DistrictMembership.objects.filter(district__in=districts).values("user_id")
        condition |= Q(pk__in=members)
    return User.objects.filter(condition, is_active=True, is_staff=True)


def _members_of(district_id):
    return DistrictMembership.objects.filter(district_id=district_id).values("user_id")


# --- Municipalities for public requests -------------------------------------------------


def public_municipalities():
    """Every municipality with its district, by slug: the search reads them all on every
    search, the form page looks its municipality up. Kept per content version in each
    worker (portal.pagecache.per_content_version), so shared by that worker's requests:
    read them, never change them."""
    from portal.pagecache import per_content_version

    return per_content_version(
        "districts.municipalities",
        lambda: tuple(Municipality.objects.with_district().order_by("slug")),
    )


def public_municipality(district_slug, slug):
    """The municipality at /<district_slug>/<slug>/, or None."""
    from django.conf import settings

    from portal.pagecache import per_content_version

    if settings.PORTAL_PAGE_CACHE_SECONDS <= 0:  # nothing kept: one query, as ever
        return (
            Municipality.objects.with_district()
            .filter(district__slug=district_slug, slug=slug)
            .first()
        )
    index = per_content_version(
        "districts.municipalities-by-slug",
        lambda: {(m.district.slug, m.slug): m for m in public_municipalities()},
    )
    return index.get((district_slug, slug))
