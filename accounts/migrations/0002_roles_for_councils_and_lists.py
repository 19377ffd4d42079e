"""Grant the permissions for councils (districts.Council) and candidate lists (lists app)
by syncing both role groups again (accounts.roles)."""

from django.db import migrations

from accounts.roles import resync_role_groups_in_migration


def resync_role_groups(apps, schema_editor):
    # Permissions of later migrations may not exist yet; the newest of these migrations
    # syncs again with all of them.
    resync_role_groups_in_migration(apps, missing_ok=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_resync_role_groups"),
        ("districts", "0008_remove_municipality_electoral_areas"),
        ("candidates", "0009_application_entered_by"),
        ("lists", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(resync_role_groups, migrations.RunPython.noop),
    ]
