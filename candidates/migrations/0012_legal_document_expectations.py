from django.db import migrations, models

from candidates.legal_drafts import DRAFT_VERSION, create_drafts


def load(apps, schema_editor):
    # Existing databases get the draft of the new kind; the others have texts already.
    create_drafts(apps.get_model("candidates", "LegalDocument"))


def unload(apps, schema_editor):
    apps.get_model("candidates", "LegalDocument").objects.filter(
        kind="expectations", version=DRAFT_VERSION
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("candidates", "0011_correct_application_permission")]
    operations = [
        migrations.AlterField(
            model_name="legaldocument",
            name="kind",
            field=models.CharField(
                choices=[
                    ("imprint", "Impressum"),
                    ("privacy", "Datenschutzerklärung"),
                    ("expectations", "Erwartungen und Angebote"),
                ],
                max_length=20,
                verbose_name="Art",
            ),
        ),
        migrations.RunPython(load, unload),
    ]
