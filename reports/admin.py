"""The export log in the admin (`/verwaltung/reports/exportrecord/`): read-only, for whoever
has `reports.view_exportrecord` (the state office, superusers). Not district-scoped: a row
names the staff member and the choices, no applicant."""

import json

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from districts.admin import ReadOnlyAdmin, ValidDateHierarchy
from reports.models import ExportRecord


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin, ValidDateHierarchy, admin.ModelAdmin):
    # Append-only: nobody adds, changes or deletes a row here (ReadOnlyAdmin).
    list_display = [
        "created_at",
        "username",
        "path",
        "kind",
        "file_format",
        "row_count",
        "filter_summary",
    ]
    list_filter = ["path", "kind", "file_format", "created_at"]
    search_fields = ["username"]
    date_hierarchy = "created_at"
    fields = list_display
    readonly_fields = list_display

    @admin.display(description=_("Auswahl"))
    def filter_summary(self, obj):
        return json.dumps(obj.filters, ensure_ascii=False, sort_keys=True) if obj.filters else "–"
