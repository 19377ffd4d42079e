"""Council records from the reference data (districts.councils.sync_councils). A Wahlbereich
count a district had entered on a municipality (Municipality.electoral_areas, removed by the
next migration) moves to the municipality's council."""

from django.db import migrations

from districts.councils import sync_councils


def load(apps, schema_editor):
    District = apps.get_model("districts", "District")
    Municipality = apps.get_model("districts", "Municipality")
    Council = apps.get_model("districts", "Council")
    sync_councils(District, Municipality, Council)
    for municipality in Municipality.objects.filter(electoral_areas__gt=1):
        Council.objects.filter(kind="council", municipality=municipality).update(
            electoral_areas=municipality.electoral_areas
        )


def unload(apps, schema_editor):
    apps.get_model("districts", "Council").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("districts", "0006_council")]
    operations = [migrations.RunPython(load, unload)]
