"""Grant the permissions for councils (districts.Council) and candidate lists (lists app)
by syncing both role groups again (accounts.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_role_groups


def resync_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    # Permissions of later models may not exist yet; accounts/0003 syncs again.
    sync_role_groups(apps, missing_ok=True)


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
