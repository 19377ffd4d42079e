"""Grant the named permissions of accounts.roles (view_all_districts,
view_unconfirmed_application, reopen_application, admin.view_logentry,
notifications.view_outgoingmail) by syncing both role groups again."""

from django.db import migrations

from accounts.roles import resync_role_groups_in_migration


def resync_role_groups(apps, schema_editor):
    # Permissions of later migrations may not exist yet; the newest of these migrations
    # syncs again with all of them.
    resync_role_groups_in_migration(apps, missing_ok=True)


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
