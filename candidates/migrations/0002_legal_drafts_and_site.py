from django.db import migrations

from candidates.legal_drafts import DRAFT_VERSION, IMPRINT, PRIVACY


def load(apps, schema_editor):
    LegalDocument = apps.get_model("candidates", "LegalDocument")
    LegalDocument.objects.create(kind="imprint", version=DRAFT_VERSION, text=IMPRINT)
    LegalDocument.objects.create(kind="privacy", version=DRAFT_VERSION, text=PRIVACY)
    # allauth's e-mails name the site; Django's default would say "example.com".
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=1, defaults={"domain": "localhost:8000", "name": "Kandidat:innenportal"}
    )


def unload(apps, schema_editor):
    apps.get_model("candidates", "LegalDocument").objects.filter(version=DRAFT_VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("candidates", "0001_initial"), ("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(load, unload)]
