"""First versions of Impressum, Datenschutzerklärung and "Erwartungen und Angebote", loaded
by data migrations.

They are drafts with placeholders in square brackets. The operator publishes the real
texts as new versions in the admin ("Rechtstexte"); the newest version is shown and
applicants' consent records the version they saw.

A version's text never changes once a database has it (consents point at it). When a
draft here changes, a data migration calls publish_changed_draft with a new version
name, so that databases still showing an older draft get the new text as a new version
(0014_self_description_privacy_text is the example); a text the operator published is
left alone, and new databases load the current text as DRAFT_VERSION.
"""

from django.utils import timezone

DRAFT_VERSION = "entwurf-2026-11"
# Every draft's version starts so; the operator's own versions do not ("2026-11-25").
DRAFT_PREFIX = "entwurf-"
# The privacy draft that says who sees the self-description (migration 0014).
PRIVACY_SELF_DESCRIPTION_VERSION = "entwurf-2026-11-selbstauskunft"

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
Das Team des Kreisverbands, in dem deine Gemeinde liegt, und die Landesgeschäftsstelle. Ausgenommen sind deine freiwilligen Angaben zu Geschlecht und Migrationsgeschichte: Deine einzelnen Antworten sehen nur die technischen Administrator:innen, die das Portal betreiben. Die Kreisverbände und die Landesgeschäftsstelle sehen nur zusammengefasste Zahlen, in denen Gruppen unter 5 Personen nicht gezeigt werden. Diese Angaben stehen in keinem Export. Wir geben deine Daten nicht an Dritte weiter, außer an die Wahlbehörden, wenn du nominiert wirst und zustimmst.

5. Wie lange wir sie speichern
Bis zum Ende der Wahl, für die du dich beworben hast: Wirst du nicht nominiert, löschen wir deine Bewerbung 90 Tage nach dem Wahltag. Ziehst du sie zurück, löschen wir sie schon 30 Tage nach dem Zurückziehen, auch vor der Wahl. Wirst du nominiert, bleibt deine Bewerbung auch nach der Wahl gespeichert, denn du stehst dann auf unserem Wahlvorschlag; die Löschung kannst du trotzdem jederzeit verlangen. Unbestätigte Bewerbungen löschen wir, sobald der Bestätigungslink abgelaufen ist (nach 7 Tagen). Gelöscht wird alles: die Bewerbung, ihr Verlauf und die E-Mails an dich.

6. Deine Rechte
Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung, Datenübertragbarkeit und Widerruf deiner Einwilligung. Die meisten davon nimmst du selbst wahr, ohne jemandem zu schreiben: Jede E-Mail, die wir dir schicken, enthält einen persönlichen Link zu „Meine Bewerbung“. Dort siehst du, wo deine Bewerbung steht, korrigierst deine Angaben, ziehst deine Bewerbung zurück, siehst alles, was wir über dich gespeichert haben, und lädst es als Datei (JSON) herunter, oder du widerrufst deine Einwilligung und löschst alles. Hast du den Link nicht mehr, fordere unter „/meine-bewerbung/neuer-link/“ einen neuen an; ältere Links gelten dann nicht mehr. Für alles andere schreib uns. Du kannst dich außerdem bei einer Datenschutzaufsichtsbehörde beschweren, z. B. beim Landesbeauftragten für den Datenschutz Sachsen-Anhalt.

7. Keine Dritten
Diese Seiten laden nichts von fremden Servern: keine Schriften, keine Statistik-Dienste, keine Cookies außer den technisch nötigen.
"""


EXPECTATIONS = """\
Was es heißt, zu kandidieren

Der Gemeinderat (in Städten: Stadtrat) entscheidet über die wichtigen Fragen deiner Gemeinde: Haushalt, Kitas und Schulen, Straßen, Bauvorhaben, Vereine und Kultur. Er tagt in der Regel etwa einmal im Monat, meist abends. Dazu kommen Ausschüsse, in denen die Beschlüsse vorbereitet werden, und die Fraktionssitzungen vorher. Rechne mit einigen Stunden im Monat, in der Zeit vor dem Haushaltsbeschluss mit mehr. Im Kreistag und im Verbandsgemeinderat ist es ähnlich.

Die Arbeit im Rat ist ein Ehrenamt. Dafür gibt es eine Aufwandsentschädigung. Wie hoch sie ist, legt jede Gemeinde (und jeder Landkreis) in ihrer Entschädigungssatzung fest; du findest sie auf der Internetseite deiner Gemeinde oder fragst im Rathaus. Für Sitzungen während der Arbeitszeit muss dein Arbeitgeber dich freistellen; Verdienstausfall ersetzt die Gemeinde nach ihrer Satzung.

Was wir von dir erwarten

- Du unterstützt das Programm der Partei und trittst im Wahlkampf und im Rat dafür ein. Mitglied musst du dafür nicht sein.
- Du arbeitest mit der Partei vor Ort zusammen: mit dem Kreisverband, der Fraktion und den anderen Kandidat:innen. Wir stimmen uns ab, bevor wichtige Entscheidungen fallen.
- Wer ein Mandat bekommt, gibt einen Teil der Aufwandsentschädigung als Mandatsträger:innenbeitrag an die Partei. Damit finanzieren wir Wahlkämpfe und die Arbeit vor Ort. Höhe und Regeln legt die Landespartei fest; die Landesgeschäftsstelle trägt sie hier ein: [Höhe und Regeln der Mandatsträger:innenbeiträge].

Was wir dir bieten

- Schulungen: wie ein Rat arbeitet, Haushalt, Anträge und Anfragen, Reden und Pressearbeit.
- Begleitung durch erfahrene Kommunalpolitiker:innen (Mentoring), vor der Wahl und in der ersten Zeit im Rat.
- Hilfe, damit Familie, Beruf und Mandat zusammenpassen: wir helfen bei der Kinderbetreuung während Sitzungen und Terminen und achten auf familienfreundliche Zeiten.
- Programme für Frauen, zum Beispiel „Frauen machen Politik“ des Landesfrauenrats Sachsen-Anhalt, das Frauen auf ein kommunales Mandat vorbereitet.
- Ansprechpersonen im Kreisverband und in der Landesgeschäftsstelle, die deine Fragen beantworten.

Kreuz im Formular an, was dich interessiert. Wir sprechen vor der Aufstellung mit dir darüber.

Dieser Text ist ein Entwurf. Bitte in der Verwaltung unter „Rechtstexte“ eine geprüfte Fassung veröffentlichen.
"""

DRAFTS = {"imprint": IMPRINT, "privacy": PRIVACY, "expectations": EXPECTATIONS}


def create_drafts(LegalDocument):
    """Create the draft of every kind the model knows that has no text yet. Takes the
    model so that data migrations can pass their own: the historical model of
    0002_legal_drafts_and_site knows imprint and privacy, that of
    0012_legal_document_expectations the expectations too."""
    kinds = [value for value, _label in LegalDocument._meta.get_field("kind").choices]
    for kind in kinds:
        if not LegalDocument.objects.filter(kind=kind).exists():
            LegalDocument.objects.create(kind=kind, version=DRAFT_VERSION, text=DRAFTS[kind])


def publish_changed_draft(LegalDocument, kind, *, version):
    """Publish the current draft of `kind` (DRAFTS) as a new version `version`, now, if
    the text shown for `kind` is an older draft (a DRAFT_PREFIX version with another
    text). Nothing happens where the operator has published a text of their own, where
    the current draft is shown already (a new database) or where `version` exists.
    Takes the model as create_drafts does; returns the new document or None."""
    now = timezone.now()
    current = (
        LegalDocument.objects.filter(kind=kind, published_at__lte=now)
        .order_by("-published_at", "-pk")
        .first()
    )
    if (
        current is None
        or not current.version.startswith(DRAFT_PREFIX)
        or current.text == DRAFTS[kind]
        or LegalDocument.objects.filter(kind=kind, version=version).exists()
    ):
        return None
    return LegalDocument.objects.create(
        kind=kind, version=version, text=DRAFTS[kind], published_at=now
    )
