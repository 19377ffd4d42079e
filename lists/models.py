"""Candidate lists (Wahlvorschläge) in the making: a list per council, election and
Wahlbereich (CandidateList), its places in order (ListPlace), the paperwork received for
each person (PaperworkEvent) and the list's history (ListChange).

The rules a list must meet are in lists.rules; every write goes through lists.services,
which checks them, keeps the history and refuses a stale edit (optimistic locking on
`version`). Lists belong to their council's district and are scoped like applications
(portal.scoping).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import AppendOnlyModel, Application, Election
from districts.models import Council
from portal.scoping import districts_for, scoped_manager

LIST_DISTRICT = "council__district"


class CandidateListQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(council__district__in=districts_for(user))


class CandidateList(models.Model):
    """Our list for one council in one election (in one Wahlbereich where there are several)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        ADOPTED = "adopted", _("von der Versammlung beschlossen")
        SUBMITTED = "submitted", _("eingereicht")

    election = models.ForeignKey(
        Election, verbose_name=_("Wahl"), on_delete=models.PROTECT, related_name="lists"
    )
    council = models.ForeignKey(
        Council, verbose_name=_("Vertretung"), on_delete=models.PROTECT, related_name="lists"
    )
    electoral_area = models.PositiveSmallIntegerField(
        _("Wahlbereich"),
        default=1,
        help_text=_("Nummer des Wahlbereichs; 1, wenn das Wahlgebiet nicht geteilt ist."),
    )
    status = models.CharField(
        _("Stand"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    assembly_at = models.DateTimeField(_("Aufstellungsversammlung am"), null=True, blank=True)
    assembly_place = models.CharField(_("Ort der Versammlung"), max_length=200, blank=True)
    submission_deadline = models.DateField(
        _("einzureichen bis"),
        null=True,
        blank=True,
        help_text=_("Die Frist aus der Bekanntmachung der Wahlleitung (§ 21 Abs. 2 KWG LSA)."),
    )
    # Optimistic locking: every save through lists.services compares and increments it.
    version = models.PositiveIntegerField(_("Version"), default=1, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = scoped_manager(CandidateListQuerySet, LIST_DISTRICT)

    class Meta:
        verbose_name = _("Liste")
        verbose_name_plural = _("Listen")
        ordering = ["council__name", "electoral_area"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "council", "electoral_area"], name="one_list_per_area"
            ),
            models.CheckConstraint(
                condition=Q(electoral_area__gte=1), name="electoral_area_from_one"
            ),
        ]

    def __str__(self):
        if self.council.electoral_areas and self.council.electoral_areas > 1:
            return _("%(council)s, Wahlbereich %(area)s") % {
                "council": self.council.name,
                "area": self.electoral_area,
            }
        return self.council.name

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class ListPlaceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(candidate_list__council__district__in=districts_for(user))


class ListPlace(models.Model):
    """A person at a position of a list. The person is an application: one that came in
    through the portal, or one the team entered directly (Application.entered_by)."""

    candidate_list = models.ForeignKey(
        CandidateList, verbose_name=_("Liste"), on_delete=models.CASCADE, related_name="places"
    )
    position = models.PositiveSmallIntegerField(_("Platz"))
    # Erasing the application takes its places (and their paperwork and history) along.
    application = models.ForeignKey(
        Application,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="list_places",
    )

    objects = scoped_manager(ListPlaceQuerySet, f"candidate_list__{LIST_DISTRICT}")

    class Meta:
        verbose_name = _("Listenplatz")
        verbose_name_plural = _("Listenplätze")
        ordering = ["candidate_list", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate_list", "position"], name="one_person_per_position"
            ),
            models.UniqueConstraint(fields=["candidate_list", "application"], name="once_per_list"),
        ]

    def __str__(self):
        return f"{self.position}. {self.application.full_name}"


class Document(models.TextChoices):
    """The papers a Wahlvorschlag needs per person (districts/data/election-law.md § 4;
    form numbers as for 2024 — the Wahlleitung's current forms decide)."""

    CONSENT = "consent", _("Zustimmungserklärung (Anlage 8a KWO LSA)")
    ELIGIBILITY_CERTIFICATE = "eligibility", _("Wählbarkeitsbescheinigung (Anlage 9a KWO LSA)")
    MEMBERSHIP = (
        "membership",
        _("Mitgliedsbescheinigung der Partei oder Erklärung, parteilos zu sein"),
    )
    INCOMPATIBILITY = (
        "incompatibility",
        _("Erklärung zur Unvereinbarkeit von Amt und Mandat (§ 21 Abs. 12 KWG LSA, Anlage 9c)"),
    )
    EU_DECLARATION = (
        "eu",
        _(
            "Versicherung an Eides statt, die Wählbarkeit im Herkunftsstaat nicht "
            "verloren zu haben (EU-Bürger:innen)"
        ),
    )


class PaperworkQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(place__candidate_list__council__district__in=districts_for(user))


class PaperworkEvent(AppendOnlyModel):
    """One tick (or untick) on a person's paperwork checklist: which paper, by whom, when.
    The newest event per place and document is the current state (lists.selectors)."""

    place = models.ForeignKey(
        ListPlace, verbose_name=_("Listenplatz"), on_delete=models.CASCADE, related_name="paperwork"
    )
    document = models.CharField(_("Unterlage"), max_length=20, choices=Document.choices)
    received = models.BooleanField(_("liegt vor"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vermerkt von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("vermerkt am"), default=timezone.now)

    objects = scoped_manager(PaperworkQuerySet, f"place__candidate_list__{LIST_DISTRICT}")

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("Vermerk zu Unterlagen")
        verbose_name_plural = _("Vermerke zu Unterlagen")
        ordering = ["recorded_at", "pk"]


class ListChangeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(candidate_list__council__district__in=districts_for(user))


class ListChange(AppendOnlyModel):
    """One line of a list's history: who changed what, when. A line about a person points
    at the application, so that erasing the person removes the line with the name."""

    candidate_list = models.ForeignKey(
        CandidateList, verbose_name=_("Liste"), on_delete=models.CASCADE, related_name="changes"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("betrifft"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("geändert am"), default=timezone.now)
    description = models.TextField(_("Änderung"))

    objects = scoped_manager(ListChangeQuerySet, f"candidate_list__{LIST_DISTRICT}")

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("Änderung der Liste")
        verbose_name_plural = _("Änderungen der Liste")
        ordering = ["changed_at", "pk"]
