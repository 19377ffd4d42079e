"""The application list's own filters. Their choices are fixed or come from the scoped
queryset, never from an unscoped manager (districts.admin.DistrictScopedAdmin checks
this)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from candidates.fields import SUPPORT_FIELDS, SUPPORT_WISHES
from candidates.models import BODY_FIELDS, Application, Body, sees_unconfirmed

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
