from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from districts import law
from districts.slugs import validate_not_reserved


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
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)
    contact_phone = models.CharField(_("Kontakt-Telefon"), max_length=40, blank=True)
    homepage = models.URLField(_("Homepage des Kreisverbands"), blank=True)
    intro = models.TextField(
        _("Begrüßungstext"),
        blank=True,
        help_text=_("Erscheint oben auf der Seite des Kreisverbands."),
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
    electoral_areas = models.PositiveSmallIntegerField(
        _("Wahlbereiche"),
        default=1,
        help_text=_(
            "Anzahl der Wahlbereiche für den Gemeinde-/Stadtrat. Bestimmt, wie viele "
            "Kandidat:innen eine Liste haben darf (§ 21 Abs. 4 KWG LSA)."
        ),
    )

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

    @property
    def council_seats(self):
        return law.municipal_council_seats(self.population)

    @property
    def max_list_length(self):
        return law.max_list_length(self.council_seats, self.electoral_areas)


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
