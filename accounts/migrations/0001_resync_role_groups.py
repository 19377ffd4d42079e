"""Grant the named permissions of accounts.roles (view_all_districts,
view_unconfirmed_application, reopen_application, admin.view_logentry,
notifications.view_outgoingmail) by syncing both role groups again."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_role_groups


def resync_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); the groups
    # need them now, the new named ones included.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    # Permissions of apps added later (lists, councils) may not exist yet here;
    # accounts/0002 syncs again with all of them.
    sync_role_groups(apps, missing_ok=True)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("districts", "0005_view_all_districts_permission"),
        ("candidates", "0007_application_rule_permissions"),
        ("notifications", "0003_outgoingmail_kind_staff_security"),
    ]

    operations = [
        migrations.RunPython(resync_role_groups, migrations.RunPython.noop),
    ]
