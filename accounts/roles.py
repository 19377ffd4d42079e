"""The staff roles: one group per role and the permissions it carries. A new account
gets its rights by being put in one of these groups; which districts a district team
member sees is decided by DistrictMembership (portal.scoping.districts_for), not by
permissions.

Applied by the data migrations candidates/0004_role_groups and accounts/0001_resync_role_groups
and, for test databases that were flushed, by `sync_role_groups()`.
"""

STATE_OFFICE_GROUP = "Landesgeschäftsstelle"
DISTRICT_TEAM_GROUP = "Kreisverbands-Team"

# Models whose permissions the state office gets in full (every permission that exists:
# the history models have no change/delete permissions at all, see AppendOnlyModel).
STATE_OFFICE_ALL_OF = [
    ("candidates", "election"),
    ("candidates", "application"),
    ("candidates", "legaldocument"),
    ("candidates", "statuschange"),
    ("candidates", "note"),
    ("candidates", "assignment"),
    ("districts", "district"),
    ("districts", "municipality"),
    ("districts", "districtmembership"),
]
STATE_OFFICE_EXTRA = [
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.view_group",
    "auth.add_group",
    "auth.change_group",
]
# District teams review and work on their applications (status and assignee changes need
# change_application and write their history rows through candidates.services); they
# change no reference data, elections or accounts. No delete: erasure is the state office's.
DISTRICT_TEAM = [
    "candidates.view_application",
    "candidates.change_application",
    "candidates.view_statuschange",
    "candidates.view_note",
    "candidates.add_note",
    "candidates.view_assignment",
    "districts.view_district",
    "districts.view_municipality",
]


def _permissions(Permission, names):
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def sync_role_groups(apps=None):
    """Create both groups if missing and set their permissions exactly as defined here.

    `apps` is the migration state's registry in a data migration, else the real one.
    The permissions must exist already (see the migration)."""
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    state_office = Permission.objects.filter(
        content_type__app_label__in={app for app, _model in STATE_OFFICE_ALL_OF}
    )
    state_office = [
        permission
        for permission in state_office.select_related("content_type")
        if (permission.content_type.app_label, permission.content_type.model) in STATE_OFFICE_ALL_OF
    ] + _permissions(Permission, STATE_OFFICE_EXTRA)

    for name, permissions in [
        (STATE_OFFICE_GROUP, state_office),
        (DISTRICT_TEAM_GROUP, _permissions(Permission, DISTRICT_TEAM)),
    ]:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
