from django.db import migrations

from districts.data_files import load_initial_data


def load(apps, schema_editor):
    load_initial_data(
        apps.get_model("districts", "District"), apps.get_model("districts", "Municipality")
    )


def unload(apps, schema_editor):
    apps.get_model("districts", "Municipality").objects.all().delete()
    apps.get_model("districts", "District").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("districts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
