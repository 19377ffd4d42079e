"""Fill a local database with an open election, fake applications and demo logins.

Safe to run on every start (`make run`): the election is looked up by name, applications
are only added up to the requested number, and only the demo accounts' passwords and
authenticator devices change.

Longer than 400 lines on purpose: about half of it is the tables of invented but
plausible data (occupations, streets, motivations and their weights) that the demo
applications and their history are drawn from, kept next to the code that draws them.
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from faker import Faker

from accounts.roles import VIEW_ALL_DISTRICTS
from candidates import services, workflow
from candidates.fields import SUPPORT_WISHES
from candidates.models import (
    BODY_FIELDS,
    Application,
    Assignment,
    Body,
    Election,
    LegalDocument,
    Note,
    StatusChange,
    bodies_for,
)
from districts.models import Municipality
from districts.slugs import german_slugify
from portal.demo import set_up_demo_staff_user, totp_secret

ELECTION_NAME = "Kommunalwahl 2029"
ELECTION_DAY = datetime.date(2029, 6, 10)
APPLICATIONS_OPEN_UNTIL = datetime.date(2029, 3, 1)
OPEN_DAYS_BEFORE_TODAY = 30

# One staff account per role, each with a TOTP device (see portal.demo).
DEMO_ACCOUNTS = [
    {"email": "harz@example.org", "districts": ["harz"]},
    {"email": "magdeburg@example.org", "districts": ["magdeburg"]},
    {"email": "lgs@example.org", "state_office": True},
]
# The superuser earlier versions created; superusers are for operators only.
LEGACY_DEMO_USERNAME = "demo"
# Reserved for documentation (RFC 2606): mail to these never reaches anyone.
EMAIL_DOMAINS = ["example.org", "example.net", "example.com"]

Gender = Application.Gender
Citizenship = Application.Citizenship
Membership = Application.Membership
MigrationHistory = Application.MigrationHistory
Status = Application.Status

# (value, weight). Women are about 40 %, as in the party's recruiting goal.
GENDERS = [
    (Gender.WOMAN, 40),
    (Gender.MAN, 49),
    (Gender.DIVERSE, 3),
    (Gender.SELF_DESCRIBED, 1),
    ("", 7),
]
# Age on election day: a few too young, more young people than among councillors today.
AGE_BANDS = [((16, 17), 3), ((18, 29), 22), ((30, 44), 28), ((45, 59), 27), ((60, 75), 20)]
CITIZENSHIPS = [(Citizenship.GERMAN, 93), (Citizenship.EU, 4), (Citizenship.OTHER, 3)]
MEMBERSHIPS = [(Membership.MEMBER, 45), (Membership.NON_MEMBER, 35), (Membership.WANTS_TO_JOIN, 20)]
STATUSES = [
    (Status.UNCONFIRMED, 15),
    (Status.NEW, 40),
    (Status.CONTACTED, 16),
    (Status.INTERVIEW, 10),
    (Status.NOMINATED, 9),
    (Status.NOT_CONSIDERED, 5),
    (Status.WITHDRAWN, 5),
]
# About one in ten demo applications is a short first step, not completed yet: only
# among those the team has not talked with at length (so none is on a demo list).
SHORT_STEP_STATUSES = {Status.UNCONFIRMED, Status.NEW, Status.CONTACTED}
SHORT_STEP_SHARE = 0.14
SHORT_STEP_LEFT_OUT = {
    "occupation": "",
    "date_of_birth": None,
    "street": "",
    "postal_code": "",
    "ortsteil": "",
    "citizenship": "",
    "resident_since": None,
    "membership": "",
    "member_of_other_party": False,
    "works_for_local_authority": False,
    "motivation": "",
    "topics": "",
    "accepts_expectations": False,
}
# How a demo application got to its status (after "unbestätigt" → "Neu" on confirmation).
STATUS_PATHS = {
    Status.UNCONFIRMED: [],
    Status.NEW: [],
    Status.CONTACTED: [Status.CONTACTED],
    Status.INTERVIEW: [Status.CONTACTED, Status.INTERVIEW],
    Status.NOMINATED: [Status.CONTACTED, Status.INTERVIEW, Status.NOMINATED],
    Status.NOT_CONSIDERED: [Status.CONTACTED, Status.INTERVIEW, Status.NOT_CONSIDERED],
    Status.WITHDRAWN: [Status.CONTACTED, Status.WITHDRAWN],
}
DEMO_NOTES = [
    "Angerufen, Rückruf nächste Woche vereinbart.",
    "Per E-Mail geantwortet und zum Kreisvorstand eingeladen.",
    "Kennt unsere Stadträtin aus dem Sportverein; sie meldet sich.",
    "Möchte erst nach den Ferien einsteigen.",
    "Wünscht sich eine Patin für die ersten Sitzungen.",
]
# Chance to stand for each body where the municipality has it.
BODY_CHANCES = {
    Body.COUNCIL: 0.9,
    Body.VERBANDSGEMEINDE_COUNCIL: 0.4,
    Body.DISTRICT_COUNCIL: 0.45,
    Body.LOCAL_COUNCIL: 0.3,
}
# Chance of each support wish (candidates.fields.SUPPORT_WISHES) where support_chance()
# has no rule of its own; a new wish gets DEFAULT_SUPPORT_CHANCE.
SUPPORT_CHANCES = {"training": 0.45, "mentoring": 0.3}
DEFAULT_SUPPORT_CHANCE = 0.2

# (female, male, neutral)
OCCUPATIONS = [
    ("Erzieherin", "Erzieher", "Erzieher:in"),
    ("Altenpflegerin", "Altenpfleger", "Altenpfleger:in"),
    ("Gesundheits- und Krankenpflegerin", "Gesundheits- und Krankenpfleger", "Pflegekraft"),
    ("Lehrerin", "Lehrer", "Lehrkraft"),
    ("Verkäuferin", "Verkäufer", "Verkäufer:in"),
    ("Verwaltungsangestellte", "Verwaltungsangestellter", "Verwaltungsangestellte:r"),
    ("Sozialarbeiterin", "Sozialarbeiter", "Sozialarbeiter:in"),
    ("Busfahrerin", "Busfahrer", "Busfahrer:in"),
    ("Elektrikerin", "Elektriker", "Elektriker:in"),
    ("Landwirtin", "Landwirt", "Landwirt:in"),
    ("Ingenieurin", "Ingenieur", "Ingenieur:in"),
    ("Informatikerin", "Informatiker", "Informatiker:in"),
    ("Tischlerin", "Tischler", "Tischler:in"),
    ("Kfz-Mechatronikerin", "Kfz-Mechatroniker", "Kfz-Mechatroniker:in"),
    ("Lagerlogistikerin", "Lagerlogistiker", "Fachkraft für Lagerlogistik"),
    ("Ärztin", "Arzt", "Ärzt:in"),
    ("Bibliothekarin", "Bibliothekar", "Bibliothekar:in"),
    ("Selbstständige Friseurmeisterin", "Selbstständiger Friseurmeister", "Friseurmeister:in"),
    ("Chemikantin", "Chemikant", "Chemikant:in"),
    ("Heilerziehungspflegerin", "Heilerziehungspfleger", "Heilerziehungspfleger:in"),
]
STUDENT = ("Schülerin", "Schüler", "Schüler:in")
TRAINEE = ("Auszubildende", "Auszubildender", "Auszubildende:r")
UNIVERSITY_STUDENT = ("Studentin", "Student", "Studierende:r")
RETIRED = ("Rentnerin", "Rentner", "Rentner:in")

STREETS = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Schulstraße",
    "Lindenstraße",
    "Gartenstraße",
    "Breite Straße",
    "Am Markt",
    "Dorfstraße",
    "Friedensstraße",
    "Goethestraße",
    "Schillerstraße",
    "Ringstraße",
    "Feldweg",
    "Kirchplatz",
    "Rosa-Luxemburg-Straße",
    "Thomas-Müntzer-Straße",
    "Ernst-Thälmann-Straße",
    "Magdeburger Straße",
    "Hallesche Straße",
    "Am Sportplatz",
]

MOTIVATIONS = [
    "Ich möchte, dass unser Ort auch für junge Familien attraktiv bleibt.",
    "Der Bus fährt bei uns zweimal am Tag. Das muss sich ändern.",
    "Ich arbeite in der Pflege und weiß, wo es hakt. Das will ich in den Rat tragen.",
    "Unsere Schule soll bleiben. Dafür setze ich mich schon lange ein.",
    "Im Gemeinderat sitzen fast nur Männer über 60. Ich will das ändern.",
    "Bezahlbare Mieten sind auch hier auf dem Land ein Thema.",
    "Ich engagiere mich im Sportverein und möchte, dass Vereine mehr Unterstützung bekommen.",
    "Ich möchte mich gegen rechte Hetze und für ein solidarisches Miteinander einsetzen.",
    "Das Jugendzentrum wurde geschlossen. Junge Menschen brauchen wieder einen Ort.",
    "Ich will, dass Entscheidungen im Rat transparenter werden.",
    "Die Ärzteversorgung bei uns wird immer schlechter. Da muss die Kommune handeln.",
    "Ich bin vor ein paar Jahren hergezogen und möchte etwas zurückgeben.",
    "Klimaschutz fängt vor Ort an: Radwege, Solardächer, Bäume statt Beton.",
    "Als Rentnerin habe ich Zeit und Erfahrung, die ich einbringen möchte.",
]
TOPICS = [
    "Öffentlicher Nahverkehr",
    "Kitas und Schulen",
    "bezahlbares Wohnen",
    "Gesundheitsversorgung",
    "Jugendarbeit",
    "Vereine und Ehrenamt",
    "Klimaschutz",
    "Radwege",
    "Kultur",
    "Senior:innen",
    "Gleichstellung",
    "Antifaschismus",
    "Digitalisierung",
    "Landwirtschaft",
    "Gewerbe und Arbeitsplätze",
]


def weighted(rng, options):
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights)[0]


def birth_date_for_age(age, day, rng):
    """A birth date that makes someone exactly `age` years old on `day`."""
    latest = day.replace(year=day.year - age)
    return latest - datetime.timedelta(days=rng.randint(0, 364))


def support_chance(key, *, gender, age):
    """How likely a demo applicant of this gender and age asks for this support wish."""
    if key == "compatibility":
        return 0.3 if gender == Gender.WOMAN else 0.15
    if key == "youth_event":
        return 0.6 if age < 30 else 0.02
    return SUPPORT_CHANCES.get(key, DEFAULT_SUPPORT_CHANCE)


def occupation_for(age, gender, rng):
    if age < 19:
        forms = STUDENT if age < 18 or rng.random() < 0.5 else TRAINEE
    elif age < 26 and rng.random() < 0.5:
        forms = rng.choice([TRAINEE, UNIVERSITY_STUDENT])
    elif age >= 66 and rng.random() < 0.8:
        forms = RETIRED
    else:
        forms = rng.choice(OCCUPATIONS)
    female, male, neutral = forms
    return {Gender.WOMAN: female, Gender.MAN: male}.get(gender, neutral)


class DemoApplicationFactory:
    """Builds unsaved, realistic applications for one election."""

    def __init__(self, election, *, rng, consent_version, used_emails):
        self.election = election
        self.rng = rng
        self.fake = Faker("de_DE")
        self.fake.seed_instance(rng.getrandbits(64))
        self.consent_version = consent_version
        self.used_emails = used_emails
        self.today = timezone.localdate()
        self.now = timezone.now()

    def first_name(self, gender):
        if gender == Gender.WOMAN:
            return self.fake.first_name_female()
        if gender == Gender.MAN:
            return self.fake.first_name_male()
        return self.fake.first_name()

    def email(self, first_names, last_name):
        local = f"{german_slugify(first_names.split()[0])}.{german_slugify(last_name)}"
        domain = self.rng.choice(EMAIL_DOMAINS)
        email = f"{local}@{domain}"
        number = 1
        while email in self.used_emails:
            number += 1
            email = f"{local}{number}@{domain}"
        self.used_emails.add(email)
        return email

    def resident_since(self, date_of_birth):
        earliest = max(date_of_birth, self.today.replace(year=self.today.year - 40))
        latest = self.today - datetime.timedelta(days=60)
        if earliest >= latest:
            return latest
        return earliest + datetime.timedelta(days=self.rng.randint(0, (latest - earliest).days))

    def bodies(self, municipality):
        available = [body for body, _name in bodies_for(municipality)]
        chosen = {body for body in available if self.rng.random() < BODY_CHANCES[body]}
        return chosen or {Body.COUNCIL}

    def build(self, municipality):
        rng = self.rng
        gender = weighted(rng, GENDERS)
        first_names = self.first_name(gender)
        if rng.random() < 0.15:
            first_names = f"{first_names} {self.first_name(gender)}"
        last_name = self.fake.last_name()
        age = rng.randint(*weighted(rng, AGE_BANDS))
        date_of_birth = birth_date_for_age(age, self.election.election_day, rng)
        citizenship = weighted(rng, CITIZENSHIPS)
        if citizenship == Citizenship.GERMAN:
            migration_history = weighted(
                rng, [(MigrationHistory.YES, 8), (MigrationHistory.NO, 72), ("", 20)]
            )
        else:
            migration_history = weighted(rng, [(MigrationHistory.YES, 80), ("", 20)])
        membership = weighted(rng, MEMBERSHIPS)
        bodies = self.bodies(municipality)
        status = weighted(rng, STATUSES)
        created_at = self.now - datetime.timedelta(
            seconds=rng.randint(0, OPEN_DAYS_BEFORE_TODAY * 86400)
        )
        confirmed_at = None
        if status != Status.UNCONFIRMED:
            confirmed_at = min(
                self.now, created_at + datetime.timedelta(minutes=rng.randint(2, 36 * 60))
            )
        local_council_name = ""
        ortsteil = ""
        if Body.LOCAL_COUNCIL in bodies:
            local_council_name = ortsteil = self.fake.city()
        application = Application(
            election=self.election,
            municipality=municipality,
            last_name=last_name,
            first_names=first_names,
            occupation=occupation_for(age, gender, rng),
            date_of_birth=date_of_birth,
            email=self.email(first_names, last_name),
            phone=self.fake.phone_number() if rng.random() < 0.7 else "",
            street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
            postal_code=rng.choice(municipality.postal_code_list or [self.fake.postcode()]),
            town=municipality.name,
            ortsteil=ortsteil,
            citizenship=citizenship,
            resident_since=self.resident_since(date_of_birth),
            membership=membership,
            member_of_other_party=membership != Membership.MEMBER and rng.random() < 0.03,
            works_for_local_authority=rng.random() < 0.06,
            local_council_name=local_council_name,
            motivation=" ".join(rng.sample(MOTIVATIONS, rng.randint(1, 2))),
            topics=", ".join(rng.sample(TOPICS, rng.randint(0, 4))),
            **{
                wish.field: rng.random() < support_chance(wish.key, gender=gender, age=age)
                for wish in SUPPORT_WISHES
            },
            gender=gender,
            migration_history=migration_history,
            accepts_expectations=True,
            consent_version=self.consent_version,
            consent_given_at=created_at,
            status=status,
            confirmed_at=confirmed_at,
            created_at=created_at,
        )
        for body, field in BODY_FIELDS.items():
            setattr(application, field, body in bodies)
        if status in SHORT_STEP_STATUSES and rng.random() < SHORT_STEP_SHARE:
            # Only the short first step so far: names, e-mail, phone, bodies (and the
            # town the form fills in); Application.missing_details lists the rest.
            for name, empty in SHORT_STEP_LEFT_OUT.items():
                setattr(application, name, empty)
        application.check_eligibility()
        return application


class Command(BaseCommand):
    help = (
        "Legt für die lokale Entwicklung eine offene Wahl, erfundene Bewerbungen und je ein "
        "Verwaltungskonto für Harz, Magdeburg und die Landesgeschäftsstelle mit neuem "
        "Passwort und neuer Authenticator-App an. Nur mit DEBUG oder --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--applications",
            type=int,
            default=300,
            metavar="N",
            help="So viele Bewerbungen soll die Wahl haben (Standard: 300).",
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="Startwert für reproduzierbare Daten."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Auch ohne DEBUG ausführen (legt erfundene personenbezogene Daten an).",
        )

    def handle(self, *args, applications, seed, force, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "seed_demo legt erfundene personenbezogene Daten und Verwaltungskonten mit "
                "bekanntem Passwort an und läuft deshalb nur mit PORTAL_DEBUG=1 oder mit "
                "--force. / seed_demo creates fake personal data and staff accounts whose "
                "passwords it prints; it only runs with DEBUG on or with --force."
            )
        if applications < 0:
            raise CommandError(_("--applications darf nicht negativ sein."))
        privacy = LegalDocument.current(LegalDocument.Kind.PRIVACY)
        if privacy is None:
            raise CommandError(
                _("Es gibt keine veröffentlichte Datenschutzerklärung (Rechtstexte).")
            )
        rng = random.Random(seed)

        # A command runs outside any request, so outside a district scope.
        with scopes_disabled():
            with transaction.atomic():
                election = self.get_election()
                accounts = self.set_up_demo_accounts()
                existing = election.applications.count()
                created = 0
                if existing < applications:
                    saved = self.create_applications(
                        election, applications - existing, rng=rng, consent_version=privacy.version
                    )
                    self.create_history(saved, [user for user, _password in accounts], rng=rng)
                    created = len(saved)
                self.create_lists(election, [user for user, _password in accounts])

            self.report(election, created=created, accounts=accounts)

    def get_election(self):
        today = timezone.localdate()
        election, _created = Election.objects.get_or_create(
            name=ELECTION_NAME,
            defaults={
                "election_day": ELECTION_DAY,
                "applications_open_from": min(
                    today - datetime.timedelta(days=OPEN_DAYS_BEFORE_TODAY),
                    APPLICATIONS_OPEN_UNTIL,
                ),
                "applications_open_until": APPLICATIONS_OPEN_UNTIL,
            },
        )
        return election

    def create_applications(self, election, count, *, rng, consent_version):
        municipalities = list(Municipality.objects.with_district().order_by("ags"))
        used_emails = set(election.applications.values_list("email", flat=True))
        factory = DemoApplicationFactory(
            election, rng=rng, consent_version=consent_version, used_emails=used_emails
        )
        chosen = rng.choices(
            municipalities, weights=[m.population for m in municipalities], k=count
        )
        built = [factory.build(municipality) for municipality in chosen]
        received = [application.created_at for application in built]
        saved = Application.objects.bulk_create(built, batch_size=500)
        # created_at is auto_now_add, so bulk_create stamped "now"; spread them out again.
        for application, created_at in zip(saved, received, strict=True):
            application.created_at = created_at
            application.updated_at = application.confirmed_at or created_at
        Application.objects.bulk_update(saved, ["created_at", "updated_at"], batch_size=200)
        return saved

    def create_history(self, applications, accounts, *, rng):
        """The workflow rows the services would have written: the confirmation, then the
        steps to each application's status by a demo account of its district (or the state
        office), an Ansprechperson once someone is in contact, and now and then a note.
        The rows come from the services' own row builders (services.status_change_row and
        friends), bulk-created here for speed."""
        team = {
            district: user
            for user in accounts
            for district in user.district_memberships.values_list("district_id", flat=True)
        }
        state_office = next(user for user in accounts if user.has_perm(VIEW_ALL_DISTRICTS))
        now = timezone.now()
        changes, assignments, notes, assigned = [], [], [], []
        for application in applications:
            if application.confirmed_at is None:
                continue
            at = application.confirmed_at
            changes.append(services.confirmation_row(application, at=at))
            person = team.get(application.municipality.district_id, state_office)
            previous = Status.NEW
            for step in STATUS_PATHS[application.status]:
                assert step in workflow.TRANSITIONS[previous], (previous, step)
                at = min(now, at + datetime.timedelta(hours=rng.randint(2, 120)))
                changes.append(
                    services.status_change_row(
                        application, from_status=previous, to_status=step, by=person, at=at
                    )
                )
                if step == Status.CONTACTED:
                    application.assignee = person
                    assigned.append(application)
                    assignments.append(
                        services.assignment_row(
                            application, previous=None, assignee=person, by=person, at=at
                        )
                    )
                    if rng.random() < 0.5:
                        notes.append(
                            services.note_row(
                                application, text=rng.choice(DEMO_NOTES), by=person, at=at
                            )
                        )
                previous = step
        StatusChange.objects.bulk_create(changes, batch_size=500)
        Assignment.objects.bulk_create(assignments, batch_size=500)
        Note.objects.bulk_create(notes, batch_size=500)
        Application.objects.bulk_update(assigned, ["assignee"], batch_size=200)

    def create_lists(self, election, accounts):
        """A draft list per demo district account, for the Gemeinderat/Stadtrat with the
        most nominated applicants of its district, built through lists.services as a team
        would (so it has history). Kept if it exists. The demo spans the apps, so this
        command imports lists (which otherwise depends on candidates, not the reverse)."""
        from districts.models import Council
        from lists import services as list_services
        from lists.models import CandidateList

        for user in accounts:
            districts = list(user.district_memberships.values_list("district_id", flat=True))
            if not districts:
                continue
            nominated = election.applications.filter(
                status=Status.NOMINATED,
                stands_for_council=True,
                municipality__district_id__in=districts,
            ).select_related("municipality__district")
            by_municipality = {}
            for application in nominated.order_by("last_name", "first_names"):
                by_municipality.setdefault(application.municipality, []).append(application)
            if not by_municipality:
                continue
            municipality, people = max(
                by_municipality.items(), key=lambda item: (len(item[1]), item[0].name)
            )
            council = Council.objects.get(kind=Council.Kind.COUNCIL, municipality=municipality)
            if CandidateList.objects.filter(election=election, council=council).exists():
                continue
            candidate_list = list_services.create_list(election=election, council=council, by=user)
            list_services.save_list(
                candidate_list,
                applications=people[: council.max_list_length or len(people)],
                by=user,
                seen_version=candidate_list.version,
            )

    def set_up_demo_accounts(self):
        get_user_model().objects.filter(
            username=LEGACY_DEMO_USERNAME, email="demo@example.org"
        ).update(is_active=False)
        return [set_up_demo_staff_user(**account) for account in DEMO_ACCOUNTS]

    def report(self, election, *, created, accounts):
        applications = election.applications.all()
        total = applications.count()
        eligible = applications.filter(is_eligible=True).count()
        districts = applications.values("municipality__district").distinct().count()
        admin_url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("admin:index")
        lines = [
            _("Wahl: %(name)s (Wahltag %(day)s, Bewerbungen %(open)s)")
            % {
                "name": election.name,
                "day": election.election_day.isoformat(),
                "open": _("offen") if election.is_open() else _("geschlossen"),
            },
            _(
                "Bewerbungen: %(created)d neu angelegt, %(total)d insgesamt, davon %(eligible)d "
                "wählbar, aus %(districts)d Kreisverbänden."
            )
            % {"created": created, "total": total, "eligible": eligible, "districts": districts},
            "",
            _("Verwaltung:  %(url)s") % {"url": admin_url},
            _(
                "Anmeldung mit E-Mail und Passwort, dann mit dem Code der Authenticator-App. "
                "Passwörter und Apps werden bei jedem Aufruf von seed_demo neu erzeugt."
            ),
        ]
        for user, password in accounts:
            lines += [
                "",
                _("E-Mail:      %(email)s") % {"email": user.email},
                _("Passwort:    %(password)s") % {"password": password},
            ]
            if settings.DEBUG:
                lines.append(
                    _("Code:        PORTAL_DEBUG=1 .venv/bin/python manage.py demo_totp %(email)s")
                    % {"email": user.email}
                )
            else:
                # demo_totp refuses without DEBUG: add the key to an authenticator app.
                lines.append(_("Schlüssel:   %(secret)s") % {"secret": totp_secret(user)})
        self.stdout.write("\n".join(lines))
