"""Grant the permission to read detail changes (candidates.DetailChange) by syncing both
role groups again (accounts.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_role_groups


def resync_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    # Permissions of later migrations may not exist yet; accounts/0004 syncs again.
    sync_role_groups(apps, missing_ok=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles_for_councils_and_lists"),
        ("candidates", "0010_detail_change"),
    ]

    operations = [
        migrations.RunPython(resync_role_groups, migrations.RunPython.noop),
    ]
