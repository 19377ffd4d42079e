"""First versions of Impressum and Datenschutzerklärung, loaded by a data migration.

They are drafts with placeholders in square brackets. The operator publishes the real
texts as new versions in the admin ("Rechtstexte"); the newest version is shown and
applicants' consent records the version they saw.
"""

DRAFT_VERSION = "entwurf-2026-11"

IMPRINT = """\
Angaben gemäß § 5 DDG und § 18 MStV

[Name des Landesverbands, z. B. DIE LINKE. Landesverband Sachsen-Anhalt]
[Straße und Hausnummer]
[PLZ Ort]

Vertreten durch: [Namen der Landesvorsitzenden]
E-Mail: [E-Mail-Adresse]
Telefon: [Telefonnummer]

Verantwortlich für den Inhalt: [Name, Anschrift]

Diese Seite ist ein Entwurf. Bitte in der Verwaltung unter „Rechtstexte“ eine neue Version des Impressums veröffentlichen.
"""

PRIVACY = """\
Diese Datenschutzerklärung ist ein Entwurf. Bitte in der Verwaltung unter „Rechtstexte“ eine geprüfte Fassung veröffentlichen.

1. Verantwortlich
[Name und Anschrift des Landesverbands]
Datenschutzbeauftragte:r: [Name, Kontakt]

2. Welche Daten wir verarbeiten und wozu
Wenn du dich über dieses Portal für eine Kandidatur bewirbst, verarbeiten wir die Angaben aus dem Formular: Name, Kontaktdaten, Anschrift, Geburtsdatum, Beruf, Staatsangehörigkeit, Wohndauer, Mitgliedschaft, gewünschte Gremien, Motivation, Themen und Unterstützungswünsche. Wir nutzen sie, um mit dir Kontakt aufzunehmen, deine Wählbarkeit zu prüfen und Wahlvorschläge (Listen) vorzubereiten. Die freiwilligen Angaben zu Geschlecht und Migrationsgeschichte werten wir nur zusammengefasst (statistisch) aus.

3. Rechtsgrundlage
Deine Bewerbung lässt Rückschlüsse auf deine politische Meinung zu. Das sind besondere Kategorien personenbezogener Daten (Art. 9 DSGVO). Wir verarbeiten sie nur mit deiner ausdrücklichen Einwilligung (Art. 6 Abs. 1 lit. a, Art. 9 Abs. 2 lit. a DSGVO). Du kannst die Einwilligung jederzeit mit Wirkung für die Zukunft widerrufen.

4. Wer die Daten sieht
Das Team des Kreisverbands, in dem deine Gemeinde liegt, und die Landesgeschäftsstelle. Wir geben deine Daten nicht an Dritte weiter, außer an die Wahlbehörden, wenn du nominiert wirst und zustimmst.

5. Wie lange wir sie speichern
Bis zum Ende der Wahl, für die du dich beworben hast: Wirst du nicht nominiert, löschen wir deine Bewerbung 90 Tage nach dem Wahltag. Ziehst du sie zurück, löschen wir sie schon 30 Tage nach dem Zurückziehen, auch vor der Wahl. Wirst du nominiert, bleibt deine Bewerbung auch nach der Wahl gespeichert, denn du stehst dann auf unserem Wahlvorschlag; die Löschung kannst du trotzdem jederzeit verlangen. Unbestätigte Bewerbungen löschen wir, sobald der Bestätigungslink abgelaufen ist (nach 7 Tagen). Gelöscht wird alles: die Bewerbung, ihr Verlauf und die E-Mails an dich.

6. Deine Rechte
Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung, Datenübertragbarkeit und Widerruf deiner Einwilligung. Du kannst dich außerdem bei einer Datenschutzaufsichtsbehörde beschweren, z. B. beim Landesbeauftragten für den Datenschutz Sachsen-Anhalt.

7. Keine Dritten
Diese Seiten laden nichts von fremden Servern: keine Schriften, keine Statistik-Dienste, keine Cookies außer den technisch nötigen.
"""


def create_drafts(LegalDocument):
    """Create the draft texts. Takes the model so the data migration can pass its own."""
    LegalDocument.objects.create(kind="imprint", version=DRAFT_VERSION, text=IMPRINT)
    LegalDocument.objects.create(kind="privacy", version=DRAFT_VERSION, text=PRIVACY)
