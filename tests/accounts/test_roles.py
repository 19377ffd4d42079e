"""The role table (accounts.roles) read back account by account: each role × each named
permission, the districts each role sees, and the district scope agreeing with them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.roles import (
    CORRECT_APPLICATIONS,
    EXPORT_DATA,
    REOPEN_APPLICATIONS,
    RULES,
    VIEW_ADMIN_HISTORY,
    VIEW_ALL_DISTRICTS,
    VIEW_OUTBOX,
    VIEW_STATISTICS,
    VIEW_UNCONFIRMED_APPLICATIONS,
)
from candidates.models import Application
from districts.models import District
from portal.scoping import district_scope_for, districts_for
from tests.factories import make_application, make_staff_user

ALL = "all"
T, F = True, False

# Columns: all districts, unconfirmed, reopen, correct, admin history, outbox, export,
# statistics (COLUMNS below).
# (A team member without staff status keeps the group's permission to correct, but cannot
# reach the admin: DISTRICTS below and accounts.mfa.StaffMFAMiddleware.)
PERMISSIONS = {
    "district_team":         (F, F, F, T, F, F, T, T),
    "state_office":          (T, T, T, T, T, T, T, T),
    "staff_without_group":   (F, F, F, F, F, F, F, F),
    "superuser":             (T, T, T, T, T, T, T, T),
    "non_staff_superuser":   (T, T, T, T, T, T, T, T),
    "inactive_state_office": (F, F, F, F, F, F, F, F),
    "non_staff_team_member": (F, F, F, T, F, F, T, T),
    "anonymous":             (F, F, F, F, F, F, F, F),
}  # fmt: skip
COLUMNS = [
    VIEW_ALL_DISTRICTS,
    VIEW_UNCONFIRMED_APPLICATIONS,
    REOPEN_APPLICATIONS,
    CORRECT_APPLICATIONS,
    VIEW_ADMIN_HISTORY,
    VIEW_OUTBOX,
    EXPORT_DATA,
    VIEW_STATISTICS,
]

# role → the districts it sees (districts_for); staff status is part of the rule.
DISTRICTS = {
    "district_team": {"harz"},
    "state_office": ALL,
    "staff_without_group": set(),
    "superuser": ALL,
    "non_staff_superuser": set(),  # cannot reach the admin: sees no district either
    "inactive_state_office": set(),
    "non_staff_team_member": set(),
    "anonymous": set(),
}


def make_account(role):
    User = get_user_model()
    if role == "anonymous":
        return AnonymousUser()
    if role == "district_team":
        user = make_staff_user("team@harz.example.org", districts=["harz"])
    elif role == "state_office":
        user = make_staff_user("lgs@example.org", state_office=True)
    elif role == "staff_without_group":
        user = make_staff_user("nobody@example.org")
    elif role == "superuser":
        user = User.objects.create_superuser("root@example.org", "root@example.org", "x" * 16)
    elif role == "non_staff_superuser":
        user = User.objects.create_user("op@example.org", "op@example.org", is_superuser=True)
    elif role == "inactive_state_office":
        user = make_staff_user("former@example.org", state_office=True, is_active=False)
    elif role == "non_staff_team_member":
        user = make_staff_user("left@harz.example.org", districts=["harz"])
        user.is_staff = False
        user.save()
    # Fresh from the database: no permission cache from setting it up.
    return User.objects.get(pk=user.pk)


def test_the_tables_cover_every_rule_and_role():
    assert sorted(COLUMNS) == sorted(RULES)
    assert PERMISSIONS.keys() == DISTRICTS.keys()


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(PERMISSIONS))
def test_role_matrix(role):
    user = make_account(role)

    granted = tuple(user.has_perm(permission) for permission in COLUMNS)

    assert dict(zip(COLUMNS, granted, strict=True)) == dict(
        zip(COLUMNS, PERMISSIONS[role], strict=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(DISTRICTS))
def test_districts_by_role(role):
    user = make_account(role)
    expected = DISTRICTS[role]
    if expected == ALL:
        expected = set(District.objects.values_list("slug", flat=True))

    assert set(districts_for(user).values_list("slug", flat=True)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(DISTRICTS))
def test_district_scope_agrees_with_districts_for(role, election):
    """The django-scopes scope a request runs in holds exactly the districts the user may
    see: never broader (a leak past visible_to's fence), never narrower."""
    for district in District.objects.all():
        make_application(district=district)
    user = make_account(role)

    with district_scope_for(user):
        in_scope = set(Application.objects.values_list("municipality__district__slug", flat=True))

    assert in_scope == set(districts_for(user).values_list("slug", flat=True))


@pytest.mark.django_db
def test_non_staff_superuser_cannot_reach_the_admin(client):
    """accounts.mfa.StaffMFAMiddleware refuses signed-in accounts without staff status."""
    client.force_login(make_account("non_staff_superuser"))

    for url in [reverse("admin:index"), reverse("admin:candidates_application_changelist")]:
        assert client.get(url).status_code == 403
