import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("districts", "0008_remove_municipality_electoral_areas"),
    ]

    operations = [
        migrations.AddField(
            model_name="district",
            name="contact_person",
            field=models.CharField(
                blank=True,
                help_text="Wer im Kreisverband Fragen zur Kandidatur beantwortet.",
                max_length=100,
                verbose_name="Ansprechperson",
            ),
        ),
        migrations.AddField(
            model_name="district",
            name="office_hours",
            field=models.TextField(
                blank=True,
                help_text="z. B. „Di und Do 14–18 Uhr in der Geschäftsstelle“. Nur Text.",
                max_length=1000,
                verbose_name="Sprechzeiten",
            ),
        ),
        migrations.AlterField(
            model_name="district",
            name="intro",
            field=models.TextField(
                blank=True,
                help_text="Erscheint oben auf der Seite des Kreisverbands. Nur Text: Zeilenumbrüche bleiben erhalten, Webadressen werden zu Links, HTML wird nicht ausgeführt.",
                verbose_name="Begrüßungstext",
            ),
        ),
        migrations.CreateModel(
            name="DistrictEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="Beginn")),
                (
                    "place",
                    models.CharField(
                        help_text="z. B. „Marktplatz Wernigerode“",
                        max_length=200,
                        verbose_name="Ort",
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        blank=True,
                        help_text="Kurz, nur Text: z. B. „Infostand – komm vorbei und frag uns.“",
                        max_length=1000,
                        verbose_name="Beschreibung",
                    ),
                ),
                (
                    "district",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="districts.district",
                        verbose_name="Kreisverband",
                    ),
                ),
            ],
            options={
                "verbose_name": "Termin",
                "verbose_name_plural": "Termine und Infostände",
                "ordering": ["starts_at", "pk"],
                "indexes": [
                    models.Index(fields=["district", "starts_at"], name="district_event_by_start")
                ],
            },
        ),
    ]
