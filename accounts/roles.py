"""The staff roles: one group per role and the permissions it carries. A new account
gets its rights by being put in one of these groups; which districts a district team
member sees is decided by DistrictMembership (portal.scoping.districts_for), not by
permissions. Superusers (operators) have every permission, so every rule below holds
for them too; an inactive account has none.

Applied by the data migrations candidates/0004_role_groups,
accounts/0001_resync_role_groups, accounts/0002_roles_for_councils_and_lists and the
later accounts migrations, and,
for test databases that were flushed, by `sync_role_groups()`. Changing a list here
needs a new data migration that calls it; the older ones call it with missing_ok=True,
since a permission they did not know may not exist yet when they run.
"""

STATE_OFFICE_GROUP = "Landesgeschäftsstelle"
DISTRICT_TEAM_GROUP = "Kreisverbands-Team"

# --- The rules that depend on the role --------------------------------------------------
# Each is a named permission; code asks `user.has_perm(<name>)`, never for a group.
# Sees every district, not only those of its memberships (portal.scoping.districts_for).
VIEW_ALL_DISTRICTS = "districts.view_all_districts"
# Sees applications whose e-mail address is unconfirmed (candidates.models.visible_filter).
VIEW_UNCONFIRMED_APPLICATIONS = "candidates.view_unconfirmed_application"
# Reopens an ended application (candidates.workflow.STATE_OFFICE_TRANSITIONS).
REOPEN_APPLICATIONS = "candidates.reopen_application"
# Corrects an applicant's particulars, contact and eligibility answers in the admin
# (candidates.fields: `correctable`; written through services.update_application with a
# DetailChange row). District teams need it for their lists.
CORRECT_APPLICATIONS = "candidates.correct_application"
# Reads the admin's history pages of districts, municipalities, users and groups
# (districts.admin.HistoryForStateOfficeOnly): they name team members by address.
VIEW_ADMIN_HISTORY = "admin.view_logentry"
# Reads the mail outbox (notifications.admin.OutgoingMailAdmin).
VIEW_OUTBOX = "notifications.view_outgoingmail"
# Downloads applications and adopted lists as XLSX/CSV, within its districts; every
# export writes an audit row (reports.services). Nobody without a role has it.
EXPORT_DATA = "reports.export_data"
# Opens the statistics page ("Auswertung", reports.views), within its districts.
VIEW_STATISTICS = "reports.view_statistics"


def users_with(permission):
    """Active users who have this permission (by group, directly, or as superusers): the
    queryset form of `user.has_perm(permission)`. Permissions come from Django's
    ModelBackend (allauth's backend only authenticates)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.with_perm(
        permission, backend="django.contrib.auth.backends.ModelBackend"
    )


RULES = [
    VIEW_ALL_DISTRICTS,
    VIEW_UNCONFIRMED_APPLICATIONS,
    REOPEN_APPLICATIONS,
    CORRECT_APPLICATIONS,
    VIEW_ADMIN_HISTORY,
    VIEW_OUTBOX,
    EXPORT_DATA,
    VIEW_STATISTICS,
]

# The role matrix of these rules: role → the rules it has (tests/accounts/test_roles.py).
ROLE_RULES = {
    STATE_OFFICE_GROUP: set(RULES),
    DISTRICT_TEAM_GROUP: {CORRECT_APPLICATIONS, EXPORT_DATA, VIEW_STATISTICS},
}

# --- The models each role works with ----------------------------------------------------
# Models whose standard permissions (add, change, delete, view: those that exist; the
# history models have no change/delete permissions at all, see AppendOnlyModel) the state
# office gets in full. The named rules above are granted only through ROLE_RULES.
STATE_OFFICE_ALL_OF = [
    ("candidates", "election"),
    ("candidates", "application"),
    ("candidates", "legaldocument"),
    ("candidates", "statuschange"),
    ("candidates", "note"),
    ("candidates", "assignment"),
    ("candidates", "detailchange"),
    ("districts", "district"),
    ("districts", "municipality"),
    ("districts", "districtmembership"),
    ("districts", "council"),
    ("districts", "districtevent"),
    ("lists", "candidatelist"),
    ("lists", "listplace"),
    ("lists", "paperworkevent"),
    ("lists", "listchange"),
    ("campaigns", "source"),
    # The export audit (reports.models.ExportRecord): view is its only permission.
    ("reports", "exportrecord"),
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
    "candidates.view_detailchange",
    "districts.view_district",
    # Only the public content of its own districts: intro, contact, office hours and
    # events (districts.admin.DistrictAdmin: the queryset is its districts, the reference
    # fields are read-only for whoever does not see every district).
    "districts.change_district",
    "districts.view_districtevent",
    "districts.add_districtevent",
    "districts.change_districtevent",
    "districts.delete_districtevent",
    "districts.view_municipality",
    # Councils: the team enters its Ortschaftsräte; the other councils (and their official
    # seats and Wahlbereiche) are the state office's (districts.admin.CouncilAdmin).
    "districts.view_council",
    "districts.add_council",
    "districts.change_council",
    "districts.delete_council",
    # Its lists, built through lists.services (which write the history rows).
    "lists.view_candidatelist",
    "lists.add_candidatelist",
    "lists.change_candidatelist",
    "lists.delete_candidatelist",
    "lists.view_listplace",
    "lists.add_listplace",
    "lists.change_listplace",
    "lists.delete_listplace",
    "lists.view_paperworkevent",
    "lists.add_paperworkevent",
    "lists.view_listchange",
    # Its campaign sources (campaigns.Source): links and QR codes that count applications.
    "campaigns.view_source",
    "campaigns.add_source",
    "campaigns.change_source",
    "campaigns.delete_source",
]


def _permissions(Permission, names, *, missing_ok):
    found = []
    for name in names:
        app_label, codename = name.split(".")
        try:
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        except Permission.DoesNotExist:
            if not missing_ok:
                raise
    return found


def _is_standard(permission):
    model = permission.content_type.model
    return permission.codename in {f"{action}_{model}" for action in STANDARD_ACTIONS}


STANDARD_ACTIONS = ["add", "change", "delete", "view"]


def sync_role_groups(apps=None, *, missing_ok=False):
    """Create both groups if missing and set their permissions exactly as defined here.

    `apps` is the migration state's registry in a data migration, else the real one.
    The permissions must exist already (see the migrations). `missing_ok` skips those
    that do not exist yet: only for migrations older than the permission (a later
    migration syncs again, accounts/0001_resync_role_groups)."""
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
        and _is_standard(permission)
    ] + _permissions(Permission, STATE_OFFICE_EXTRA, missing_ok=missing_ok)
    district_team = _permissions(Permission, DISTRICT_TEAM, missing_ok=missing_ok)

    for name, permissions in [
        (STATE_OFFICE_GROUP, state_office),
        (DISTRICT_TEAM_GROUP, district_team),
    ]:
        permissions += _permissions(Permission, sorted(ROLE_RULES[name]), missing_ok=missing_ok)
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def resync_role_groups_in_migration(apps, *, missing_ok=False):
    """The body of every data migration that syncs the role groups: create the
    permissions first (Django normally does that after all migrations, in post_migrate),
    then sync. `missing_ok` for migrations older than a permission a later one syncs."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_groups(apps, missing_ok=missing_ok)
