import contextlib
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts import law
from districts.slugs import validate_not_reserved
from embed.origins import parse_origins, validate_embed_origins


class District(models.Model):
    """A Kreisverband: one per Landkreis or kreisfreie Stadt."""

    class Kind(models.TextChoices):
        RURAL_DISTRICT = "landkreis", _("Landkreis")
        CITY = "kreisfreie_stadt", _("kreisfreie Stadt")

    name = models.CharField(_("Name"), max_length=100, unique=True)
    official_name = models.CharField(_("amtlicher Name"), max_length=150)
    slug = models.SlugField(
        _("URL-Kürzel"), max_length=60, unique=True, validators=[validate_not_reserved]
    )
    kreis_key = models.CharField(_("Kreisschlüssel"), max_length=5, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    seat = models.CharField(_("Verwaltungssitz"), max_length=100, blank=True)
    contact_person = models.CharField(
        _("Ansprechperson"),
        max_length=100,
        blank=True,
        help_text=_("Wer im Kreisverband Fragen zur Kandidatur beantwortet."),
    )
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)
    contact_phone = models.CharField(_("Kontakt-Telefon"), max_length=40, blank=True)
    homepage = models.URLField(_("Homepage des Kreisverbands"), blank=True)
    intro = models.TextField(
        _("Begrüßungstext"),
        blank=True,
        help_text=_(
            "Erscheint oben auf der Seite des Kreisverbands. Nur Text: Zeilenumbrüche "
            "bleiben erhalten, Webadressen werden zu Links, HTML wird nicht ausgeführt."
        ),
    )
    office_hours = models.TextField(
        _("Sprechzeiten"),
        blank=True,
        max_length=1000,
        help_text=_("z. B. „Di und Do 14–18 Uhr in der Geschäftsstelle“. Nur Text."),
    )
    embed_origins = models.TextField(
        _("Websites, auf denen die Seiten eingebettet werden dürfen"),
        blank=True,
        max_length=2000,
        validators=[validate_embed_origins],
        help_text=_(
            "Eine Adresse je Zeile, z. B. https://www.dielinke-stendal.de. Nur diese "
            "Websites dürfen die Seite des Kreisverbands und die Formulare seiner Gemeinden "
            "in einem Rahmen (iframe) zeigen; leer heißt: keine."
        ),
    )
    show_open_places = models.BooleanField(
        _("offene Listenplätze öffentlich zeigen"),
        default=False,
        help_text=_(
            "Die Seiten der Gemeinden zeigen, wie viele Plätze auf unserer Liste noch frei "
            "sind, und die Seite des Kreisverbands nennt die Gemeinden, für die noch niemand "
            "nominiert ist. Nur Zahlen, nie Namen; gezählt werden nur Nominierungen und "
            "Listenplätze, nie eingegangene Bewerbungen."
        ),
    )

    class Meta:
        verbose_name = _("Kreisverband")
        verbose_name_plural = _("Kreisverbände")
        ordering = ["slug"]  # ASCII slugs sort umlauts as German readers expect
        # Named rule of the role table (accounts.roles): the state office's.
        permissions = [("view_all_districts", _("Kann alle Kreisverbände sehen"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("districts:district", kwargs={"district": self.slug})

    def clean(self):
        super().clean()
        # Stored as the browser will compare it: one normalised origin per line.
        # If invalid, the field's validator reports it next to the field.
        with contextlib.suppress(ValidationError):
            self.embed_origins = "\n".join(parse_origins(self.embed_origins))

    @property
    def association_name(self):
        return _("Kreisverband %(name)s") % {"name": self.name}

    @property
    def is_rural(self):
        return self.kind == self.Kind.RURAL_DISTRICT


class MunicipalityQuerySet(models.QuerySet):
    def with_district(self):
        return self.select_related("district")


class Municipality(models.Model):
    """A Gemeinde of Sachsen-Anhalt, as in the official municipality directory."""

    ags = models.CharField(_("Gemeindeschlüssel (AGS)"), max_length=8, unique=True)
    name = models.CharField(_("Name"), max_length=120)
    official_name = models.CharField(
        _("Name im Gemeindeverzeichnis"),
        max_length=160,
        blank=True,
        help_text=_("z. B. „Gardelegen, Hansestadt“"),
    )
    slug = models.SlugField(_("URL-Kürzel"), max_length=80, validators=[validate_not_reserved])
    district = models.ForeignKey(
        District,
        verbose_name=_("Kreisverband"),
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    verbandsgemeinde = models.CharField(
        _("Verbandsgemeinde"),
        max_length=120,
        blank=True,
        help_text=_("Leer bei Einheitsgemeinden und kreisfreien Städten."),
    )
    population = models.PositiveIntegerField(_("Einwohner:innen"))
    postal_codes = models.CharField(
        _("Postleitzahlen"), max_length=300, blank=True, help_text=_("durch Leerzeichen getrennt")
    )
    is_city = models.BooleanField(_("Stadt"), default=False)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Gemeinde")
        verbose_name_plural = _("Gemeinden")
        ordering = ["slug"]  # ASCII slugs sort umlauts as German readers expect
        constraints = [
            models.UniqueConstraint(fields=["district", "slug"], name="unique_slug_per_district"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "candidates:apply",
            kwargs={"district": self.district.slug, "municipality": self.slug},
        )

    @property
    def postal_code_list(self):
        return self.postal_codes.split()

    @property
    def is_verbandsgemeinde_member(self):
        return bool(self.verbandsgemeinde)

    @property
    def council_name(self):
        return _("Stadtrat") if self.is_city else _("Gemeinderat")


class CouncilQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Councils of the districts this user works for (portal.scoping.districts_for)."""
        # portal.scoping imports this module.
        from portal.scoping import districts_for

        return self.filter(district__in=districts_for(user))

    def for_municipality(self, municipality):
        """The councils a person living in this municipality can stand for: its
        Gemeinderat/Stadtrat, its Verbandsgemeinderat, the Kreistag of its Landkreis and
        the Ortschaftsräte entered for it."""
        condition = Q(municipality=municipality)
        if municipality.verbandsgemeinde:
            condition |= Q(
                kind=Council.Kind.VERBANDSGEMEINDE_COUNCIL,
                district_id=municipality.district_id,
                area_name=municipality.verbandsgemeinde,
            )
        condition |= Q(kind=Council.Kind.DISTRICT_COUNCIL, district_id=municipality.district_id)
        return self.filter(condition)


class Council(models.Model):
    """An elected body of the Kommunalwahl (Vertretung): a Gemeinderat/Stadtrat, a
    Verbandsgemeinderat, a Kreistag, or an Ortschaftsrat.

    All but the Ortschaftsräte come from the reference data (districts.councils.sync_councils,
    run by a migration and by refresh_municipalities); Ortschaftsräte are entered by the
    district teams, with the seats their Hauptsatzung sets (§ 83 KVG LSA). Seats are
    computed from the population (§ 37 KVG LSA) and are only *expected* ("voraussichtlich")
    until the state office enters the official figure the Wahlleiter publishes (§ 15 KWG
    LSA). The most names a list may carry follow from seats and Wahlbereiche (§ 21 Abs. 4
    KWG LSA, districts.law.max_list_length); where one of them is unknown, so is the limit.
    """

    class Kind(models.TextChoices):
        # The same values as the application's body choices (candidates.models.Body).
        COUNCIL = "council", _("Gemeinderat / Stadtrat")
        VERBANDSGEMEINDE_COUNCIL = "vg_council", _("Verbandsgemeinderat")
        DISTRICT_COUNCIL = "district_council", _("Kreistag")
        LOCAL_COUNCIL = "local_council", _("Ortschaftsrat")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    district = models.ForeignKey(
        District, verbose_name=_("Kreisverband"), on_delete=models.PROTECT, related_name="councils"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Gemeinde"),
        # A municipality merged away takes its councils along, unless a candidate list
        # points at one (CandidateList.council protects it).
        on_delete=models.CASCADE,
        related_name="councils",
        null=True,
        blank=True,
        help_text=_("Bei Gemeinde-, Stadt- und Ortschaftsräten."),
    )
    area_name = models.CharField(
        _("Wahlgebiet"),
        max_length=120,
        help_text=_("Name der Gemeinde, Verbandsgemeinde, des Landkreises oder der Ortschaft."),
    )
    name = models.CharField(_("Name"), max_length=160)
    population = models.PositiveIntegerField(
        _("Einwohner:innen"),
        null=True,
        blank=True,
        help_text=_("Aus der Einwohnerzahl ergeben sich die Sitze (§ 37 KVG LSA)."),
    )
    population_as_of = models.DateField(_("Einwohnerzahl vom"), null=True, blank=True)
    official_seats = models.PositiveSmallIntegerField(
        _("amtliche Zahl der Sitze"),
        null=True,
        blank=True,
        help_text=_(
            "Leer lassen, bis die Wahlleitung die Zahl bekannt gibt (spätestens am 90. Tag vor "
            "der Wahl, § 15 KWG LSA); bis dahin gilt die aus der Einwohnerzahl berechnete Zahl "
            "als voraussichtlich. Beim Ortschaftsrat: die Zahl aus der Hauptsatzung."
        ),
    )
    electoral_areas = models.PositiveSmallIntegerField(
        _("Wahlbereiche"),
        null=True,
        blank=True,
        help_text=_(
            "Anzahl der Wahlbereiche (§ 7 KWG LSA). Leer, solange sie nicht beschlossen ist: "
            "dann zeigt das Portal keine Listenlänge."
        ),
    )

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("Vertretung")
        verbose_name_plural = _("Vertretungen")
        ordering = ["district__slug", "kind", "area_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "district", "area_name"], name="unique_council_per_area"
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) | Q(kind__in=["council", "local_council"]),
                name="council_municipality_only_for_local_bodies",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def expected_seats(self):
        """Seats by § 37 KVG LSA from the population figure; None for an Ortschaftsrat
        (its Hauptsatzung decides) or without a figure."""
        if self.population is None:
            return None
        if self.kind == self.Kind.COUNCIL:
            return law.municipal_council_seats(self.population)
        if self.kind == self.Kind.VERBANDSGEMEINDE_COUNCIL:
            return law.verbandsgemeinde_council_seats(self.population)
        if self.kind == self.Kind.DISTRICT_COUNCIL:
            return law.district_council_seats(self.population)
        return None

    @property
    def seats(self):
        return self.official_seats if self.official_seats is not None else self.expected_seats

    @property
    def seats_are_official(self):
        return self.official_seats is not None

    @property
    def max_list_length(self):
        """Most names on one list (per Wahlbereich); None while seats or Wahlbereiche are
        unknown."""
        if self.seats is None or not self.electoral_areas:
            return None
        return law.max_list_length(self.seats, self.electoral_areas)

    @property
    def list_places(self):
        """Places on our lists for this council in all: the limit times the Wahlbereiche."""
        if self.max_list_length is None:
            return None
        return self.max_list_length * self.electoral_areas

    def clean(self):
        errors = {}
        areas = self.electoral_areas
        too_small = (
            self.kind == self.Kind.COUNCIL
            and self.population is not None
            and self.population <= law.MAX_POPULATION_ONE_AREA
        )
        if areas is not None and areas > 1 and too_small:
            errors["electoral_areas"] = ValidationError(
                _(
                    "Eine Gemeinde mit %(limit)s Einwohner:innen oder weniger kann nicht in "
                    "Wahlbereiche eingeteilt werden (§ 7 Abs. 1 KWG LSA)."
                ),
                code="areas_too_small",
                params={"limit": law.MAX_POPULATION_ONE_AREA},
            )
        if areas == 1 and self.requires_several_areas:
            errors["electoral_areas"] = ValidationError(
                _(
                    "Für Kreistage und die Stadträte kreisfreier Städte ist das Wahlgebiet in "
                    "mehrere Wahlbereiche einzuteilen (§ 7 Abs. 2 KWG LSA)."
                ),
                code="several_areas_required",
            )
        if areas == 0:
            errors["electoral_areas"] = ValidationError(
                _("Mindestens ein Wahlbereich."), code="no_area"
            )
        if self.kind == self.Kind.LOCAL_COUNCIL:
            if self.municipality_id is None:
                errors["municipality"] = ValidationError(
                    _("Ein Ortschaftsrat gehört zu einer Gemeinde."),
                    code="local_needs_municipality",
                )
            elif self.municipality.verbandsgemeinde:
                errors["municipality"] = ValidationError(
                    _(
                        "In Mitgliedsgemeinden einer Verbandsgemeinde gibt es keine "
                        "Ortschaftsräte (§ 81 Abs. 1 KVG LSA)."
                    ),
                    code="local_in_verbandsgemeinde",
                )
            elif self.district_id is not None and self.municipality.district_id != self.district_id:
                errors["municipality"] = ValidationError(
                    _("Die Gemeinde gehört zu einem anderen Kreisverband."),
                    code="municipality_other_district",
                )
            if self.official_seats is None:
                errors["official_seats"] = ValidationError(
                    _("Die Zahl der Sitze steht in der Hauptsatzung der Gemeinde."),
                    code="local_needs_seats",
                )
        if errors:
            raise ValidationError(errors)

    @property
    def requires_several_areas(self):
        """§ 7 Abs. 2 KWG LSA: Kreistage and the Stadträte of the kreisfreie Städte."""
        return self.kind == self.Kind.DISTRICT_COUNCIL or (
            self.kind == self.Kind.COUNCIL and not self.district.is_rural
        )

    def lives_in_area(self, municipality):
        """Whether a person whose main residence is in this municipality lives in this
        council's Wahlgebiet (for an Ortschaftsrat: in its municipality; the Ortschaft
        itself is the team's to check)."""
        if self.kind in (self.Kind.COUNCIL, self.Kind.LOCAL_COUNCIL):
            return municipality.pk == self.municipality_id
        if self.kind == self.Kind.VERBANDSGEMEINDE_COUNCIL:
            return (
                municipality.district_id == self.district_id
                and municipality.verbandsgemeinde == self.area_name
            )
        return municipality.district_id == self.district_id


class DistrictMembership(models.Model):
    """A staff user's membership in a district team (Kreisvorstand, Wahlteam).

    Members see and edit only their districts' applications; see portal.scoping.districts_for.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="district_memberships",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("Kreisverband"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    receives_notifications = models.BooleanField(
        _("erhält Benachrichtigungen"),
        default=True,
        help_text=_("E-Mail, wenn eine neue bestätigte Bewerbung eingeht."),
    )

    class Meta:
        verbose_name = _("Mitgliedschaft im Kreisverbands-Team")
        verbose_name_plural = _("Mitgliedschaften in Kreisverbands-Teams")
        constraints = [
            models.UniqueConstraint(fields=["user", "district"], name="unique_district_member"),
        ]

    def __str__(self):
        return f"{self.user} – {self.district}"

    def clean(self):
        """Who may join a team: staff accounts only (inactive ones stay, so that a team
        with a deactivated member can still be saved). Both admin pages that add
        memberships, the district's and the user's, validate through this."""
        if self.user_id is not None and not self.user.is_staff:
            # Not keyed to "user": the user's own page shows no user field.
            raise ValidationError(
                _(
                    "Nur Konten mit Zugang zur Verwaltung (Mitarbeiter-Status) können zu "
                    "einem Kreisverbands-Team gehören."
                ),
                code="not_staff",
            )


class DistrictEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Events of the districts this user works for (portal.scoping.districts_for)."""
        from portal.scoping import districts_for

        return self.filter(district__in=districts_for(user))

    def upcoming(self):
        """Events from today on (local time): an info stand that began this morning is
        still shown in the afternoon, since events have no end time."""
        today = timezone.localdate()
        start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        return self.filter(starts_at__gte=start_of_today).order_by("starts_at", "pk")


def _scoped_manager(queryset_class, district_path):
    # portal.scoping imports this module for District; imported here, when this class
    # body runs, District exists already (districts loads before every app that imports
    # portal.scoping, see INSTALLED_APPS).
    from portal.scoping import scoped_manager

    return scoped_manager(queryset_class, district_path)


class DistrictEvent(models.Model):
    """An upcoming info stand or event of a district, entered by its team and shown on the
    district's public page (districts.views.DistrictView). Plain text only: the page
    escapes it and only turns line breaks and web addresses into markup."""

    district = models.ForeignKey(
        District,
        verbose_name=_("Kreisverband"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    starts_at = models.DateTimeField(_("Beginn"))
    place = models.CharField(
        _("Ort"), max_length=200, help_text=_("z. B. „Marktplatz Wernigerode“")
    )
    description = models.TextField(
        _("Beschreibung"),
        max_length=1000,
        blank=True,
        help_text=_("Kurz, nur Text: z. B. „Infostand – komm vorbei und frag uns.“"),
    )

    objects = _scoped_manager(DistrictEventQuerySet, "district")

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine und Infostände")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["district", "starts_at"], name="district_event_by_start"),
        ]

    def __str__(self):
        return f"{self.place} ({timezone.localtime(self.starts_at):%d.%m.%Y %H:%M})"
