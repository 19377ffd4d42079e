"""The candidates app's models: Election, LegalDocument, Application with the rules that sit
on it (bodies_for, visible_filter, clean, check_eligibility), and its append-only history
(StatusChange, Note, Assignment).

Longer than 400 lines on purpose: Application's field declarations and the rules over
them belong together, and the history models need Application, its queryset and its
district path, so a separate module for them would import back from this one.
"""

import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import VIEW_UNCONFIRMED_APPLICATIONS
from candidates import eligibility
from candidates.fields import BODY_FIELD_NAMES, SELF_DESCRIPTION_FIELDS
from candidates.validators import (
    validate_address_line,
    validate_name,
    validate_occupation,
    validate_phone,
    validate_postal_code,
    validate_text,
)
from districts.models import Council, Municipality
from portal.scoping import districts_for, scoped_manager, sees_all_districts

# The path from each scoped model to its district, for django-scopes (see portal.scoping).
APPLICATION_DISTRICT = "municipality__district"


class ElectionQuerySet(models.QuerySet):
    def open_on(self, day):
        return self.filter(applications_open_from__lte=day, applications_open_until__gte=day)

    def current(self):
        """The election that accepts applications today (the nearest, if several do).

        Asked of all elections (`Election.objects.current()`, on every public request), it
        picks from the elections kept per content version (portal.pagecache): the day is
        compared here, so the answer changes at midnight, not when the rows are read."""
        day = timezone.localdate()
        if self.query.where or self.query.is_sliced:
            return self.open_on(day).order_by("election_day", "pk").first()
        from portal.pagecache import per_content_version

        elections = per_content_version(
            "candidates.elections", lambda: list(self.order_by("election_day", "pk"))
        )
        return next(
            (e for e in elections if e.applications_open_from <= day <= e.applications_open_until),
            None,
        )


class Election(models.Model):
    """A recruitment campaign for one election day, e.g. the Kommunalwahl 2029."""

    name = models.CharField(_("Name"), max_length=120)
    election_day = models.DateField(_("Wahltag"))
    applications_open_from = models.DateField(_("Bewerbungen möglich ab"))
    applications_open_until = models.DateField(_("Bewerbungen möglich bis"))

    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Wahl")
        verbose_name_plural = _("Wahlen")
        ordering = ["-election_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_open_from__lte=models.F("applications_open_until")),
                name="election_open_from_before_until",
            ),
            models.CheckConstraint(
                condition=Q(applications_open_until__lte=models.F("election_day")),
                name="election_applications_close_by_election_day",
            ),
        ]

    def __str__(self):
        return self.name

    def is_open(self, day=None):
        day = day or timezone.localdate()
        return self.applications_open_from <= day <= self.applications_open_until


# The bodies elected at the Kommunalwahl (§ 81 KVG LSA for Ortschaftsräte): the kinds of
# council records (districts.models.Council), which an application names by these values.
Body = Council.Kind


# The Application field that records each body (declared in candidates.fields). The
# support wishes are declared there too: candidates.fields.SUPPORT_WISHES.
BODY_FIELDS = {Body(body): field for body, field in BODY_FIELD_NAMES.items()}
# The label of each body by value, for lists of many rows (Body(value).label builds an enum
# member on every call).
BODY_LABELS = dict(Body.choices)


def bodies_for(municipality):
    """The bodies a person living in this municipality can stand for, with their names there.

    Stadtrat in a city, else Gemeinderat; the Verbandsgemeinderat and the Kreistag by the
    council records that exist for it (districts.models.Council.objects.for_municipality:
    a Verbandsgemeinderat only for a member municipality of a Verbandsgemeinde, a Kreistag
    only in a Landkreis), so that the form, Application.clean and the admin read the same
    records, in one query. Ortschaftsrat only outside Verbandsgemeinden (§ 81 Abs. 1 KVG
    LSA: Ortschaften exist in Einheitsgemeinden), whether or not the team has entered its
    Ortschaftsräte yet: the applicant names the Ortschaft.

    Kept on the municipality object for its lifetime (normally one request), as long as
    the fields it reads are unchanged: the form, its validation and submit_application's
    own validation ask for the same municipality object three times per application.
    """
    key = (
        municipality.pk,
        municipality.district_id,
        municipality.verbandsgemeinde,
        municipality.is_city,
    )
    known = getattr(municipality, "_bodies_for", None)
    if known is not None and known[0] == key:
        return list(known[1])
    names = dict(
        Council.objects.for_municipality(municipality)
        .filter(kind__in=[Body.VERBANDSGEMEINDE_COUNCIL, Body.DISTRICT_COUNCIL])
        .values_list("kind", "name")
    )
    bodies = [(Body.COUNCIL, municipality.council_name)]
    bodies += [
        (body, names[body])
        for body in [Body.VERBANDSGEMEINDE_COUNCIL, Body.DISTRICT_COUNCIL]
        if body in names
    ]
    if not municipality.is_verbandsgemeinde_member:
        bodies.append((Body.LOCAL_COUNCIL, _("Ortschaftsrat")))
    municipality._bodies_for = (key, tuple(bodies))
    return bodies


class LegalDocument(models.Model):
    """Texts the state office maintains, versioned; the newest of each kind is shown:
    Impressum, Datenschutzerklärung, and what standing means, what the party expects and
    what it offers (shown before the application form and at /erwartungen/).

    Consent to the processing of an application records the privacy notice's version.
    """

    class Kind(models.TextChoices):
        IMPRINT = "imprint", _("Impressum")
        PRIVACY = "privacy", _("Datenschutzerklärung")
        EXPECTATIONS = "expectations", _("Erwartungen und Angebote")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    version = models.CharField(
        _("Version"), max_length=40, help_text=_("z. B. das Datum, „2026-11-25“")
    )
    text = models.TextField(
        _("Text"),
        help_text=_("Reiner Text; Leerzeilen trennen Absätze, Adressen werden zu Links."),
    )
    published_at = models.DateTimeField(_("veröffentlicht am"), default=timezone.now)

    class Meta:
        verbose_name = _("Rechtstext")
        verbose_name_plural = _("Rechtstexte")
        ordering = ["kind", "-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="unique_legal_version"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.version}"

    @classmethod
    def current(cls, kind):
        """The version of this text in force now: the latest published by now. Picked from
        the versions kept per content version (portal.pagecache), the time compared here,
        so a version published for a later moment takes over at that moment."""
        from portal.pagecache import per_content_version

        versions = per_content_version(
            f"candidates.legal.{kind}",
            lambda: list(cls.objects.filter(kind=kind).order_by("-published_at", "-pk")),
        )
        now = timezone.now()
        return next((document for document in versions if document.published_at <= now), None)


def visible_filter(user, prefix=""):
    """The condition "this user may see this application", for the application reached
    through `prefix` (e.g. "application__"). The one rule behind every `visible_to`:
    applications in the user's districts (portal.scoping.districts_for); only who has
    the named permission VIEW_UNCONFIRMED_APPLICATIONS (the state office) sees those whose
    e-mail address is still unconfirmed, district teams never do."""
    if user.is_active and sees_all_districts(user):
        # Every district (districts_for is all of them): a condition every row meets, so
        # that the state office's counts and lists need no join through municipality and
        # district. Not Q(): `exclude(Q())` would exclude nothing.
        condition = Q(**{f"{prefix}pk__isnull": False})
    else:
        condition = Q(**{f"{prefix}municipality__district__in": districts_for(user)})
    if not sees_unconfirmed(user):
        condition &= ~Q(**{f"{prefix}status": Application.Status.UNCONFIRMED})
    return condition


def sees_unconfirmed(user):
    """Whether this user is shown applications whose address is still unconfirmed (also
    the "unbestätigt" choice of the admin's status filter)."""
    return user.has_perm(VIEW_UNCONFIRMED_APPLICATIONS)


def sees_self_description(user):
    """Whether `user` may see one person's self-description (SELF_DESCRIPTION_FIELDS):
    superusers (operators) only. The admin's fieldsets, form and lookups, the history's
    field names and the list editor ask this; everyone else sees aggregates with
    small groups suppressed (reports.suppression)."""
    return user.is_superuser


class ApplicationQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("election", "municipality__district")

    def visible_to(self, user):
        return self.filter(visible_filter(user))

    def complete(self):
        """The applications with nothing missing: Application.missing_details as a
        condition, from the same field lists."""
        return self.filter(complete_condition())

    def incomplete(self):
        return self.exclude(complete_condition())

    def confirmation_expired(self, now=None):
        """Unconfirmed applications past their confirmation deadline (see
        Application.confirmation_deadline): erased by the retention command."""
        return self.filter(
            status=Application.Status.UNCONFIRMED,
            created_at__lt=(now or timezone.now()) - confirmation_period(),
        )

    def past_retention(self, now=None):
        """Confirmed applications whose retention period is over (retention_rules), erased
        by the command apply_retention (services.apply_retention). Nominated people stay
        (they may be on a list the assembly adopted, and the party needs them for the
        term); unconfirmed applications are confirmation_expired's."""
        rules = retention_rules(now)
        return self.exclude(
            status__in=[Application.Status.UNCONFIRMED, Application.Status.NOMINATED]
        ).filter(rules["after_election"] | rules["after_withdrawal"])


def complete_condition():
    """Application.missing_details is empty, as a query condition."""

    def given(name):
        if name == "bodies":
            condition = Q()
            for field in BODY_FIELDS.values():
                condition |= Q(**{field: True})
            return condition
        field = Application._meta.get_field(name)
        if isinstance(field, models.BooleanField):
            return Q(**{name: True})
        if field.null:
            return Q(**{f"{name}__isnull": False})
        return ~Q(**{name: ""})

    def all_given(names):
        condition = Q()
        for name in names:
            condition &= given(name)
        return condition

    return all_given(Application.LIST_DETAILS) & (
        Q(entered_by__isnull=False) | all_given(Application.PORTAL_DETAILS)
    )


def retention_rules(now=None):
    """The two retention periods as conditions, which the privacy text states:

    - "after_election": from the PORTAL_RETENTION_DAYS_AFTER_ELECTION-th day after the
      application's election day;
    - "after_withdrawal": a withdrawn application from the
      PORTAL_RETENTION_DAYS_AFTER_WITHDRAWAL-th day after its latest withdrawal (the
      StatusChange to "withdrawn"), even before the election.

    Days are calendar days in the portal's time zone. Only ever used through
    ApplicationQuerySet.past_retention, which keeps the nominated and unconfirmed."""
    today = timezone.localdate(now)
    election_over = today - datetime.timedelta(days=settings.PORTAL_RETENTION_DAYS_AFTER_ELECTION)
    withdrawn_by = today - datetime.timedelta(days=settings.PORTAL_RETENTION_DAYS_AFTER_WITHDRAWAL)
    withdrawals = StatusChange.objects.filter(
        application=models.OuterRef("pk"), to_status=Application.Status.WITHDRAWN
    )
    return {
        "after_election": Q(election__election_day__lte=election_over),
        "after_withdrawal": Q(status=Application.Status.WITHDRAWN)
        & Q(models.Exists(withdrawals))
        & ~Q(models.Exists(withdrawals.filter(changed_at__date__gt=withdrawn_by))),
    }


def confirmation_period():
    """How long an unconfirmed application waits for its confirmation, counted from when
    it came in: every link to confirm it (also one sent again later) ends then, and then
    it is erased (PORTAL_CONFIRMATION_MAX_AGE_DAYS)."""
    return datetime.timedelta(days=settings.PORTAL_CONFIRMATION_MAX_AGE_DAYS)


class ApplicationHistoryQuerySet(models.QuerySet):
    """Status changes, notes and assignments: visible with their application."""

    def visible_to(self, user):
        return self.filter(visible_filter(user, prefix="application__"))


class Application(models.Model):
    """One person applying for candidacy in one municipality for one election."""

    class Citizenship(models.TextChoices):
        GERMAN = eligibility.Citizenship.GERMAN, _("deutsch")
        EU = eligibility.Citizenship.EU, _("eines anderen EU-Staats")
        OTHER = eligibility.Citizenship.OTHER, _("eines Staats außerhalb der EU")

    class Membership(models.TextChoices):
        MEMBER = eligibility.Membership.MEMBER, _("Ich bin Mitglied der Partei.")
        NON_MEMBER = (
            eligibility.Membership.NON_MEMBER,
            _("Ich bin kein Mitglied und möchte auf einer offenen Liste kandidieren."),
        )
        WANTS_TO_JOIN = (
            eligibility.Membership.WANTS_TO_JOIN,
            _("Ich bin kein Mitglied und möchte eintreten."),
        )

    class Status(models.TextChoices):
        # Allowed transitions: candidates.workflow.
        UNCONFIRMED = "unconfirmed", _("unbestätigt")
        NEW = "new", _("Neu")
        CONTACTED = "contacted", _("In Kontakt")
        INTERVIEW = "interview", _("Gespräch vereinbart")
        NOMINATED = "nominated", _("Nominiert")
        NOT_CONSIDERED = "not_considered", _("Nicht berücksichtigt")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Frau")
        MAN = "man", _("Mann")
        DIVERSE = "diverse", _("divers / nicht-binär")
        SELF_DESCRIBED = "other", _("anders")

    class MigrationHistory(models.TextChoices):
        YES = "yes", _("ja")
        NO = "no", _("nein")

    # Each field is declared in candidates.fields too: in a section of what the applicant
    # gives (from which the form and the admin take their fields), or as set by the system.
    election = models.ForeignKey(
        Election, verbose_name=_("Wahl"), on_delete=models.PROTECT, related_name="applications"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Gemeinde"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Person and the particulars a list needs (§ 21 Abs. 6 KWG LSA).
    last_name = models.CharField(_("Familienname"), max_length=100, validators=[validate_name])
    first_names = models.CharField(_("Vornamen"), max_length=150, validators=[validate_name])
    # Everything but the names, the e-mail address and the consent may come later (the
    # short first step); missing_details says what a complete application still needs.
    occupation = models.CharField(
        _("Beruf oder Stand"), max_length=150, blank=True, validators=[validate_occupation]
    )
    date_of_birth = models.DateField(_("Geburtsdatum"), null=True, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), max_length=254)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True, validators=[validate_phone])
    street = models.CharField(
        _("Straße und Hausnummer"), max_length=150, blank=True, validators=[validate_address_line]
    )
    postal_code = models.CharField(
        _("Postleitzahl"), max_length=5, blank=True, validators=[validate_postal_code]
    )
    town = models.CharField(
        _("Ort"), max_length=100, blank=True, validators=[validate_address_line]
    )
    ortsteil = models.CharField(
        _("Ortsteil"), max_length=100, blank=True, validators=[validate_address_line]
    )
    # Eligibility answers.
    citizenship = models.CharField(
        _("Staatsangehörigkeit"), max_length=10, choices=Citizenship.choices, blank=True
    )
    resident_since = models.DateField(_("Hauptwohnung in der Gemeinde seit"), null=True, blank=True)
    membership = models.CharField(
        _("Mitgliedschaft"), max_length=20, choices=Membership.choices, blank=True
    )
    member_of_other_party = models.BooleanField(_("Mitglied einer anderen Partei"), default=False)
    works_for_local_authority = models.BooleanField(
        _("beschäftigt bei Gemeinde, Verbandsgemeinde oder Landkreis"), default=False
    )
    ineligibility_reasons = models.JSONField(
        _("Gründe gegen die Wählbarkeit"), default=list, blank=True
    )
    is_eligible = models.BooleanField(_("wählbar"), default=True)
    # Bodies.
    stands_for_council = models.BooleanField(_("Gemeinderat / Stadtrat"), default=False)
    stands_for_verbandsgemeinde_council = models.BooleanField(
        _("Verbandsgemeinderat"), default=False
    )
    stands_for_district_council = models.BooleanField(_("Kreistag"), default=False)
    stands_for_local_council = models.BooleanField(_("Ortschaftsrat"), default=False)
    local_council_name = models.CharField(
        _("Ortschaft"), max_length=100, blank=True, validators=[validate_address_line]
    )
    # Motivation and support.
    motivation = models.TextField(_("Motivation"), blank=True, validators=[validate_text])
    topics = models.TextField(_("Themen"), blank=True, validators=[validate_text])
    # One per support wish (candidates.fields.SUPPORT_WISHES).
    wants_training = models.BooleanField(_("Schulungen und Workshops"), default=False)
    wants_mentoring = models.BooleanField(_("Mentoring"), default=False)
    wants_compatibility_help = models.BooleanField(
        _("Hilfe bei Vereinbarkeit von Familie, Beruf und Mandat"), default=False
    )
    wants_youth_event = models.BooleanField(_("Treffen junger Kandidat:innen"), default=False)
    # Self-description, used only in aggregate statistics.
    gender = models.CharField(_("Geschlecht"), max_length=10, choices=Gender.choices, blank=True)
    migration_history = models.CharField(
        _("Migrationsgeschichte"), max_length=5, choices=MigrationHistory.choices, blank=True
    )
    # Declarations.
    accepts_expectations = models.BooleanField(
        _("Erwartungen an Kandidat:innen akzeptiert"), default=False
    )
    consent_version = models.CharField(_("Version der Datenschutzerklärung"), max_length=40)
    consent_given_at = models.DateTimeField(_("Einwilligung erteilt am"))
    # Processing.
    # Status and assignee change only through candidates.services, which write history.
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.UNCONFIRMED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Ansprechperson"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
    )
    confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("direkt erfasst von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Gesetzt, wenn das Team die Person direkt auf eine Liste gesetzt hat (ohne "
            "Bewerbung über das Portal und ohne Bestätigung der E-Mail-Adresse)."
        ),
    )
    # The campaign source whose link brought the applicant (campaigns.models), if any.
    source = models.ForeignKey(
        "campaigns.Source",
        verbose_name=_("Quelle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    # The language the person applied in (the page's language prefix): every later mail to
    # them is written in it (candidates.emails.in_their_language); the district team sees
    # it, to know how to reply.
    language = models.CharField(
        _("Sprache der Bewerbung"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = scoped_manager(ApplicationQuerySet, APPLICATION_DISTRICT)

    class Meta:
        verbose_name = _("Bewerbung")
        verbose_name_plural = _("Bewerbungen")
        ordering = ["-created_at"]
        indexes = [
            # The admin's list, newest first (with Django's tie-breaker -pk), one page at
            # a time: read from the index instead of sorting every application.
            models.Index(fields=["-created_at", "-id"], name="application_newest_first"),
            # The district teams' list, counts per status and date hierarchy read their
            # municipalities' rows from this index alone (PostgreSQL: index-only scans
            # with the included columns; bench/scale.py: 100 ms -> 5 ms per query).
            models.Index(
                fields=["municipality", "status"],
                include=["id", "created_at"],
                name="application_by_municipality",
            ),
        ]
        # Named rules of the role table (accounts.roles): the state office's.
        permissions = [
            ("view_unconfirmed_application", _("Kann unbestätigte Bewerbungen sehen")),
            ("reopen_application", _("Kann abgeschlossene Bewerbungen wieder öffnen")),
            ("correct_application", _("Kann Angaben von Bewerber:innen korrigieren")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "municipality", "email"],
                name="one_application_per_person_municipality_election",
            ),
            # "Unconfirmed" is one fact: the status says it, confirmed_at dates its end.
            # Queries ask the status; the database refuses a row where the two disagree.
            models.CheckConstraint(
                condition=(
                    Q(status="unconfirmed", confirmed_at__isnull=True)
                    | (~Q(status="unconfirmed") & Q(confirmed_at__isnull=False))
                ),
                name="unconfirmed_exactly_when_confirmed_at_is_null",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.municipality})"

    def get_absolute_url(self):
        return reverse("admin:candidates_application_change", args=[self.pk])

    @property
    def confirmation_deadline(self):
        return self.created_at + confirmation_period()

    def confirmation_expired(self, now=None):
        return (
            self.status == self.Status.UNCONFIRMED
            and (now or timezone.now()) >= self.confirmation_deadline
        )

    @property
    def full_name(self):
        return f"{self.first_names} {self.last_name}"

    @property
    def age_on_election_day(self):
        if self.date_of_birth is None:
            return None
        return eligibility.age_on(self.date_of_birth, self.election.election_day)

    # What a complete application holds beyond the short first step (names, e-mail
    # address, consent): the particulars a list needs (§ 21 Abs. 6 KWG LSA) and the
    # answers eligibility is checked on (ELIGIBILITY_ANSWERS) ...
    LIST_DETAILS = (
        "occupation",
        "date_of_birth",
        "street",
        "postal_code",
        "town",
        "citizenship",
        "resident_since",
        "membership",
    )
    # ... and what the portal's form asks besides: at least one body, the motivation and
    # the expectations (a person the team entered directly, entered_by, was not asked).
    PORTAL_DETAILS = ("bodies", "motivation", "accepts_expectations")

    @property
    def missing_details(self):
        """The labels of what this application still lacks to be complete, in the order
        above; empty when complete. The one rule: the admin's marker and filter
        (ApplicationQuerySet.incomplete mirrors it in SQL), Meine Bewerbung and
        lists.rules read it."""
        names = list(self.LIST_DETAILS)
        if self.entered_by_id is None:
            names += self.PORTAL_DETAILS
        missing = []
        for name in names:
            if name == "bodies":
                if not self.bodies:
                    missing.append(_("Gremium"))
            elif getattr(self, name) in (None, "", False):
                missing.append(self._meta.get_field(name).verbose_name)
        return missing

    @property
    def is_complete(self):
        return not self.missing_details

    @property
    def eligibility_open(self):
        """Eligibility cannot be judged yet: no reason against it so far, but an answer it
        needs is missing (the admin says "noch offen", not "wählbar")."""
        return not self.ineligibility_reasons and any(
            getattr(self, answer) in (None, "") for answer in self.ELIGIBILITY_ANSWERS
        )

    @property
    def bodies(self):
        return [body for body, field in BODY_FIELDS.items() if getattr(self, field)]

    # --- Validation ----------------------------------------------------------------------

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        # Model.clean() is not told which fields the caller leaves out; its rules need to
        # know (see clean()). Kept for the duration of this call only.
        self._clean_exclude = frozenset(exclude or ())
        try:
            super().full_clean(
                exclude=exclude,
                validate_unique=validate_unique,
                validate_constraints=validate_constraints,
            )
        finally:
            del self._clean_exclude

    def clean(self):
        """The rules of a consistent application, whoever writes it:

        - it stands only for bodies elected in its municipality (bodies_for);
        - an Ortschaftsrat candidacy names its Ortschaft;
        - its Ansprechperson, if any, may work on applications of its district
          (candidates.workflow.is_assignable).

        Each rule's error goes to the first of its fields that the caller validates
        (full_clean's `exclude`), as Django advises for fields a form does not show: a
        form that shows the municipality but not the bodies (the admin for district
        teams) gets the body error next to the municipality. When the caller validates
        none of a rule's fields, the caller checks that rule itself: the public form
        offers only elected bodies and reports a missing Ortschaft in its own words; the
        admin's change form sets the Ansprechperson through services, and
        services.update_application removes one who cannot work in the new district.
        The messages are neutral (no "du", no "Sie"): staff and citizens may see them.
        """
        super().clean()
        exclude = getattr(self, "_clean_exclude", frozenset())
        errors = {}

        def refuse(fields, message):
            for name in fields:
                if name not in exclude:
                    errors.setdefault(name, []).append(message)
                    return

        if self.municipality_id is not None:
            elected = {body for body, _name in bodies_for(self.municipality)}
            for body in self.bodies:
                if body not in elected:
                    refuse(
                        [BODY_FIELDS[body], "municipality"],
                        ValidationError(
                            _(
                                "Die Bewerbung gilt für den %(body)s, in %(municipality)s "
                                "wird aber kein %(body)s gewählt."
                            ),
                            code="body_not_elected",
                            params={
                                "body": Body(body).label,
                                "municipality": self.municipality.name,
                            },
                        ),
                    )
        if self.stands_for_local_council and not self.local_council_name.strip():
            refuse(
                ["local_council_name", "stands_for_local_council"],
                ValidationError(
                    _("Für eine Kandidatur für den Ortschaftsrat fehlt der Name der Ortschaft."),
                    code="local_council_name_missing",
                ),
            )
        if self.assignee_id is not None and self.municipality_id is not None:
            # candidates.workflow imports this module.
            from candidates import workflow

            district = self.municipality.district
            if not workflow.is_assignable(self.assignee, district.pk):
                refuse(
                    ["assignee"],
                    ValidationError(
                        _(
                            "%(name)s gehört nicht zum Team des Kreisverbands %(district)s "
                            "und nicht zur Landesgeschäftsstelle und kann deshalb nicht "
                            "Ansprechperson sein."
                        ),
                        code="assignee_not_assignable",
                        params={"name": display_name(self.assignee), "district": district.name},
                    ),
                )
        if errors:
            raise ValidationError(errors)

    # The answers check_eligibility() reads, as the keyword arguments of
    # eligibility.ineligibility_reasons; "election" gives its election day. A change to
    # any of them re-checks (services.update_application).
    ELIGIBILITY_ANSWERS = (
        "date_of_birth",
        "citizenship",
        "resident_since",
        "membership",
        "member_of_other_party",
    )
    ELIGIBILITY_FIELDS = frozenset({"election", *ELIGIBILITY_ANSWERS})

    def check_eligibility(self):
        """Set the eligibility flag and reasons from the answers (see candidates.eligibility)."""
        self.ineligibility_reasons = eligibility.ineligibility_reasons(
            election_day=self.election.election_day,
            **{answer: getattr(self, answer) for answer in self.ELIGIBILITY_ANSWERS},
        )
        self.is_eligible = not self.ineligibility_reasons

    @property
    def ineligibility_explanations(self):
        return eligibility.explain(self.ineligibility_reasons)

    @property
    def incompatibility_note(self):
        """What § 41 KVG LSA means for this applicant, or None if it does not apply."""
        return eligibility.INCOMPATIBILITY_NOTE if self.works_for_local_authority else None


class AppendOnlyModel(models.Model):
    """History rows: written once, never changed or deleted on their own (they go with
    their application when it is erased). No change/delete permissions exist for them."""

    class Meta:
        abstract = True
        default_permissions = ("add", "view")

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are append-only.")


class StatusChange(AppendOnlyModel):
    """One step in an application's workflow: who moved it from which status to which."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("Bewerbung"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("bisheriger Status"), max_length=20, choices=Application.Status.choices
    )
    to_status = models.CharField(
        _("neuer Status"), max_length=20, choices=Application.Status.choices
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leer, wenn die Bewerberin oder der Bewerber selbst oder das System es war."),
    )
    changed_at = models.DateTimeField(_("geändert am"), default=timezone.now)
    note = models.TextField(_("Bemerkung"), blank=True)

    objects = scoped_manager(ApplicationHistoryQuerySet, f"application__{APPLICATION_DISTRICT}")

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusänderungen")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Note(AppendOnlyModel):
    """An internal note of the district team or the state office about an application."""

    application = models.ForeignKey(
        Application, verbose_name=_("Bewerbung"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verfasst von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("verfasst am"), default=timezone.now)
    text = models.TextField(_("Notiz"))

    objects = scoped_manager(ApplicationHistoryQuerySet, f"application__{APPLICATION_DISTRICT}")

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("Notiz")
        verbose_name_plural = _("Notizen")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return _("Notiz vom %(date)s") % {
            "date": timezone.localtime(self.created_at).strftime("%d.%m.%Y")
        }


class Assignment(AppendOnlyModel):
    """A change of an application's Ansprechperson (assignee), or its removal."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("Bewerbung"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    previous_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bisherige Ansprechperson"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("neue Ansprechperson"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leer: die Bewerbung hat keine Ansprechperson mehr."),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("geändert am"), default=timezone.now)

    objects = scoped_manager(ApplicationHistoryQuerySet, f"application__{APPLICATION_DISTRICT}")

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("Zuweisung")
        verbose_name_plural = _("Zuweisungen")
        ordering = ["assigned_at", "pk"]

    def __str__(self):
        return _("Ansprechperson: %(name)s") % {
            "name": display_name(self.assignee) if self.assignee else _("keine")
        }


class DetailChange(AppendOnlyModel):
    """Which of an application's details changed, by whom, when: the field names only,
    never the old or new values (the application holds the current ones; old ones are
    not kept longer than needed). Written by services.update_application."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("Bewerbung"),
        on_delete=models.CASCADE,
        related_name="detail_changes",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leer: die Person selbst (über „Meine Bewerbung“)."),
    )
    changed_at = models.DateTimeField(_("geändert am"), default=timezone.now)
    fields = models.JSONField(_("geänderte Angaben"), default=list)

    objects = scoped_manager(ApplicationHistoryQuerySet, f"application__{APPLICATION_DISTRICT}")

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("Änderung der Angaben")
        verbose_name_plural = _("Änderungen der Angaben")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return ", ".join(self.field_labels)

    @property
    def field_labels(self):
        return self.labels_for(self.fields)

    def visible_field_labels(self, user):
        """The labels `user` may read: without the self-description for all but
        superusers (that an answer changed, and when, would help tell what it is)."""
        if sees_self_description(user):
            return self.field_labels
        return self.labels_for(
            [name for name in self.fields if name not in SELF_DESCRIPTION_FIELDS]
        )

    @staticmethod
    def labels_for(names):
        labels = []
        for name in names:
            try:
                labels.append(str(Application._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                labels.append(name)
        return labels


def display_name(user):
    """How staff appear to each other: full name, else e-mail address, else username."""
    if user is None:
        return ""
    return user.get_full_name() or user.email or user.get_username()


class SubmissionCounter(models.Model):
    """One limit's count in its current window (candidates.abuse): how many form
    submissions one client network, or mails one inbox, had since the window began. The
    key is a keyed hash, never the address itself. Counted in one atomic statement, so
    every worker and every app node counts together; expired rows are deleted by
    `apply_retention` (abuse.purge_expired_counters)."""

    counter_key = models.CharField(max_length=64, primary_key=True)
    hits = models.PositiveIntegerField()
    # Unix time (seconds) at which the window ends: an integer compares the same way in
    # every database.
    window_ends = models.BigIntegerField(db_index=True)

    def __str__(self):
        return self.counter_key
