from django.db import migrations

from candidates.legal_drafts import DRAFT_VERSION, create_drafts


def load(apps, schema_editor):
    create_drafts(apps.get_model("candidates", "LegalDocument"))
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
