"""Let district teams edit their own district's public page (change_district, limited to
their districts by districts.admin.DistrictAdmin) and its events (districts.DistrictEvent),
and give the state office the events' permissions (accounts.roles), by syncing the role
groups again."""

from django.db import migrations

from accounts.roles import resync_role_groups_in_migration


def resync_role_groups(apps, schema_editor):
    resync_role_groups_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_roles_for_exports_and_statistics"),
        ("districts", "0009_district_content"),
    ]

    operations = [
        migrations.RunPython(resync_role_groups, migrations.RunPython.noop),
    ]
