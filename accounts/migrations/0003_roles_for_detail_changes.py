"""Grant the permission to read detail changes (candidates.DetailChange) by syncing both
role groups again (accounts.roles)."""

from django.db import migrations

from accounts.roles import resync_role_groups_in_migration


def resync_role_groups(apps, schema_editor):
    # Permissions of later migrations may not exist yet; the newest of these migrations
    # syncs again with all of them.
    resync_role_groups_in_migration(apps, missing_ok=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles_for_councils_and_lists"),
        ("candidates", "0010_detail_change"),
    ]

    operations = [
        migrations.RunPython(resync_role_groups, migrations.RunPython.noop),
    ]
