from django.db import migrations


def record_confirmations(apps, schema_editor):
    """Applications confirmed before the workflow existed get the history row that
    candidates.services.confirm_application writes now (unconfirmed → new, by nobody)."""
    Application = apps.get_model("candidates", "Application")
    StatusChange = apps.get_model("candidates", "StatusChange")
    StatusChange.objects.bulk_create(
        StatusChange(
            application_id=pk,
            from_status="unconfirmed",
            to_status="new",
            changed_by=None,
            changed_at=confirmed_at,
        )
        for pk, confirmed_at in Application.objects.filter(
            confirmed_at__isnull=False, status_changes__isnull=True
        ).values_list("pk", "confirmed_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0004_role_groups"),
    ]

    operations = [
        migrations.RunPython(record_confirmations, migrations.RunPython.noop),
    ]
