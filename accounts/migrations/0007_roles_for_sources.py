"""Give district teams their own campaign sources (campaigns.Source: view, add, change,
delete; scoped to their districts by campaigns.admin.SourceAdmin) and the state office
every district's (accounts.roles), by syncing the role groups again."""

from django.db import migrations

from accounts.roles import resync_role_groups_in_migration


def resync_role_groups(apps, schema_editor):
    resync_role_groups_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_roles_for_district_content"),
        ("campaigns", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(resync_role_groups, migrations.RunPython.noop),
    ]
