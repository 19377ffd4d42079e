"""The application list's own filters. Their choices are fixed or come from the scoped
queryset, never from an unscoped manager (districts.admin.DistrictScopedAdmin checks
this)."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.translation import gettext_lazy as _

from candidates.fields import SUPPORT_FIELDS, SUPPORT_WISHES
from candidates.models import (
    BODY_FIELDS,
    Application,
    Body,
    Election,
    display_name,
    sees_unconfirmed,
)
from districts.models import Municipality
from districts.selectors import staff_working_for
from portal.admin_site import PLAIN_ID
from portal.scoping import districts_for

# Short labels for the list column; the model's labels are the applicant's own answers.
MEMBERSHIP_SHORT = {
    Application.Membership.MEMBER: _("Mitglied"),
    Application.Membership.NON_MEMBER: _("parteilos (offene Liste)"),
    Application.Membership.WANTS_TO_JOIN: _("möchte eintreten"),
}


class StatusFilter(admin.SimpleListFilter):
    title = _("Status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (status.value, status.label)
            for status in Application.Status
            if status != Application.Status.UNCONFIRMED or sees_unconfirmed(request.user)
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


class BodyFilter(admin.SimpleListFilter):
    title = _("Gremium")
    parameter_name = "gremium"

    def lookups(self, request, model_admin):
        return Body.choices

    def queryset(self, request, queryset):
        field = BODY_FIELDS.get(self.value())
        return queryset.filter(**{field: True}) if field else queryset


class MembershipFilter(admin.SimpleListFilter):
    title = _("Mitgliedschaft")
    parameter_name = "mitgliedschaft"

    def lookups(self, request, model_admin):
        return list(MEMBERSHIP_SHORT.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(membership=self.value())
        return queryset


class SupportFilter(admin.SimpleListFilter):
    title = _("Unterstützungswunsch")
    parameter_name = "unterstuetzung"

    def lookups(self, request, model_admin):
        return [(wish.key, wish.short_label) for wish in SUPPORT_WISHES]

    def queryset(self, request, queryset):
        if self.value() in SUPPORT_FIELDS:
            return queryset.filter(**{SUPPORT_FIELDS[self.value()]: True})
        return queryset


class CompletenessFilter(admin.SimpleListFilter):
    """Application.missing_details, by ApplicationQuerySet.complete / incomplete."""

    title = _("Angaben")
    parameter_name = "angaben"

    def lookups(self, request, model_admin):
        return [("vollstaendig", _("vollständig")), ("unvollstaendig", _("unvollständig"))]

    def queryset(self, request, queryset):
        if self.value() == "vollstaendig":
            return queryset.complete()
        if self.value() == "unvollstaendig":
            return queryset.incomplete()
        return queryset


class ReferenceChoicesFilter(admin.SimpleListFilter):
    """A filter by a related object whose choices come from the reference tables within
    the user's districts, not from the applications (RelatedOnlyFieldListFilter reads
    every visible application for its choices: four such filters took 320 ms of the list
    at 100,000 applications, bench/scale.py). The parameter keeps Django's name, so
    links and bookmarks stay valid; its value must be a plain ASCII id (`+9`, `٩` or
    `9 ` are no id) among the choices, else the list says the filter is wrong (?e=1)."""

    def choices_for(self, user):
        """(id, label) pairs the user may filter by."""
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [(str(pk), label) for pk, label in self.choices_for(request.user)]

    def has_output(self):
        # A value given with no choice to show (a municipality before its district, for
        # someone with several districts) must still be checked by queryset(): Django
        # skips a filter without output, and the list would be unfiltered.
        return super().has_output() or self.value() is not None

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        # Only an id among the choices: another district's municipality (or a forged id)
        # is a wrong filter, not an empty list.
        if not PLAIN_ID.fullmatch(value) or value not in {pk for pk, _ in self.lookup_choices}:
            raise IncorrectLookupParameters(value)
        return queryset.filter(**{self.parameter_name: int(value)})


class ElectionFilter(ReferenceChoicesFilter):
    title = _("Wahl")
    parameter_name = "election__id__exact"

    def choices_for(self, user):
        return [(election.pk, str(election)) for election in Election.objects.all()]


class DistrictFilter(ReferenceChoicesFilter):
    title = _("Kreisverband")
    parameter_name = "municipality__district__id__exact"

    def choices_for(self, user):
        return [(district.pk, str(district)) for district in districts_for(user).order_by("name")]


class MunicipalityFilter(ReferenceChoicesFilter):
    """The municipalities of the user's districts; for someone with several districts
    (the state office: 218 municipalities, too many links for the sidebar and a tenth of
    the list's time) only those of the district chosen, or the one already chosen."""

    title = _("Gemeinde")
    parameter_name = "municipality__id__exact"

    def lookups(self, request, model_admin):
        municipalities = Municipality.objects.filter(district__in=districts_for(request.user))
        district = request.GET.get(DistrictFilter.parameter_name, "")
        value = self.value() or ""
        if PLAIN_ID.fullmatch(district):
            municipalities = municipalities.filter(district=int(district))
        elif districts_for(request.user)[:2].count() > 1:
            if not PLAIN_ID.fullmatch(value):
                return []
            municipalities = municipalities.filter(pk=int(value))
        choices = municipalities.order_by("name").values_list("pk", "name")
        return [(str(pk), name) for pk, name in choices]


class AssigneeFilter(ReferenceChoicesFilter):
    """Who may be Ansprechperson in the user's districts (districts.selectors.
    staff_working_for), plus "nobody"."""

    title = _("Ansprechperson")
    parameter_name = "assignee__id__exact"
    NOBODY = "keine"

    def choices_for(self, user):
        people = staff_working_for(districts_for(user)).order_by("last_name", "first_name", "email")
        return [(person.pk, display_name(person)) for person in people]

    def lookups(self, request, model_admin):
        return [*super().lookups(request, model_admin), (self.NOBODY, _("keine"))]

    def queryset(self, request, queryset):
        if self.value() == self.NOBODY:
            return queryset.filter(assignee__isnull=True)
        return super().queryset(request, queryset)
