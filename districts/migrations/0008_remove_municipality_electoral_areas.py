from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("districts", "0007_load_councils")]
    operations = [
        migrations.RemoveField(model_name="municipality", name="electoral_areas"),
    ]
