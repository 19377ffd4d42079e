"""Grant the named permission candidates.correct_application (accounts.roles
CORRECT_APPLICATIONS) to both roles by syncing the role groups again."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_role_groups


def resync_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_roles_for_detail_changes"),
        ("candidates", "0011_correct_application_permission"),
    ]

    operations = [
        migrations.RunPython(resync_role_groups, migrations.RunPython.noop),
    ]
