"""Grant the named permission candidates.correct_application (accounts.roles
CORRECT_APPLICATIONS) to both roles by syncing the role groups again."""

from django.db import migrations

from accounts.roles import resync_role_groups_in_migration


def resync_role_groups(apps, schema_editor):
    resync_role_groups_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_roles_for_detail_changes"),
        ("candidates", "0011_correct_application_permission"),
    ]

    operations = [
        migrations.RunPython(resync_role_groups, migrations.RunPython.noop),
    ]
