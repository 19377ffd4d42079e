"""The admins of the reference data in candidates: elections and legal texts."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from candidates.models import Election, LegalDocument


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "election_day",
        "applications_open_from",
        "applications_open_until",
        "is_open",
        "application_count",
    ]
    search_fields = ["name"]

    # Explicit: Meta.ordering does not apply to the aggregated (GROUP BY) queryset.
    ordering = ["-election_day"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(application_count=Count("applications"))

    @admin.display(description=_("offen"), boolean=True)
    def is_open(self, obj):
        return obj.is_open()

    @admin.display(description=_("Bewerbungen"), ordering="application_count")
    def application_count(self, obj):
        return obj.application_count


LEGAL_DOCUMENT_NOTE = _(
    "Die öffentlichen Seiten zeigen je Art die neueste Version, deren Veröffentlichungsdatum "
    "erreicht ist. Um einen Text zu ändern, eine neue Version anlegen statt die alte zu "
    "bearbeiten: Bewerber:innen haben der Datenschutzerklärung in der Version zugestimmt, "
    "die sie gesehen haben."
)


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["kind", "version", "published_at"]
    list_filter = ["kind"]
    search_fields = ["version"]
    fieldsets = [
        (
            None,
            {
                "fields": ["kind", "version", "published_at", "text"],
                "description": LEGAL_DOCUMENT_NOTE,
            },
        ),
    ]

    def changelist_view(self, request, extra_context=None):
        subtitle = _("Angezeigt wird je Art die neueste veröffentlichte Version.")
        extra_context = {"subtitle": subtitle, **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra_context)
