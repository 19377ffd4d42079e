"""Grant the named permissions reports.export_data and reports.view_statistics to both
roles, and the export audit's view permission to the state office (accounts.roles), by
syncing the role groups again."""

from django.db import migrations

from accounts.roles import resync_role_groups_in_migration


def resync_role_groups(apps, schema_editor):
    resync_role_groups_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_correct_application_rule"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(resync_role_groups, migrations.RunPython.noop),
    ]
