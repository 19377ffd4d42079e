from django.db import migrations

from candidates.legal_drafts import PRIVACY_SELF_DESCRIPTION_VERSION, publish_changed_draft


def publish(apps, schema_editor):
    # Databases still showing an older privacy draft get the one that says who sees the
    # self-description, as a new version; consents keep the version they recorded.
    publish_changed_draft(
        apps.get_model("candidates", "LegalDocument"),
        "privacy",
        version=PRIVACY_SELF_DESCRIPTION_VERSION,
    )


class Migration(migrations.Migration):
    dependencies = [("candidates", "0013_short_first_step")]
    # Backwards the version stays: applicants may have consented to it since.
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
