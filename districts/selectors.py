"""Reads about district teams that carry a rule."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.roles import VIEW_ALL_DISTRICTS, users_with
from districts.models import DistrictMembership


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
