from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.roles import VIEW_OUTBOX
from districts.admin import ReadOnlyAdmin, ValidDateHierarchy
from notifications.models import OutgoingMail
from notifications.services import MAX_ATTEMPTS


class DeliveryFilter(admin.SimpleListFilter):
    title = _("Zustand")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("sent", _("gesendet")),
            ("pending", _("wartet auf Versand")),
            ("given_up", _("aufgegeben")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "pending":
            return queryset.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        if self.value() == "given_up":
            return queryset.filter(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS)
        return queryset


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin, ValidDateHierarchy, admin.ModelAdmin):
    """The outbox, read-only, for the state office: did the mail go out, and if not, why.

    District teams do not see it at all. The message text is never shown: it is only
    needed by the mail server, and the application itself is in its own admin page.
    """

    list_display = [
        "created_at",
        "kind",
        "to",
        "subject",
        "sent_at",
        "attempts",
        "last_error",
    ]
    list_filter = [DeliveryFilter, "kind"]
    search_fields = ["to", "subject"]
    fields = [
        "kind",
        "to",
        "subject",
        "application_id",
        "created_at",
        "sent_at",
        "attempts",
        "last_attempt_at",
        "last_error",
    ]
    readonly_fields = fields
    date_hierarchy = "created_at"

    def has_module_permission(self, request):
        return request.user.has_perm(VIEW_OUTBOX)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_OUTBOX)
