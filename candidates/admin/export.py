"""The application list's exports (issue 10), for ApplicationAdmin:

- the actions "Ausgewählte exportieren (Excel)" and "(CSV)": the selected rows, or every
  matching row when "select all" across pages is used (Django passes that queryset);
- the filtered view (`<admin>/candidates/application/export/?<the list's query
  string>&format=xlsx|csv|csv_comma`): the list exactly as the changelist builds it
  (scope, filters, search, ordering), linked by the buttons above the list.

Both go through reports.services.export_response, which checks the permission and writes
the audit row; the audit keeps the list's filters, never the search text or ids."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from reports.admin_export import ExportActionsMixin
from reports.exports import ApplicationExport
from reports.models import ExportRecord
from reports.services import export_response

FORMAT_PARAMETER = "format"
# Not part of what the filtered view exports: the page (every page is exported) and
# Django's error flag.
NOT_PASSED_ON = (FORMAT_PARAMETER, "p", "e")
SELECTED = "ausgewählt"


class ApplicationExportMixin(ExportActionsMixin):
    """For ApplicationAdmin: the export actions (listed in its `actions`), the filtered
    view's URL and the buttons' links in the changelist's context."""

    export_actions = ("export_xlsx_action", "export_csv_action")

    # --- the actions ----------------------------------------------------------------------

    def _export_selected(self, request, queryset, file_format):
        return self.export_selection(
            request,
            export=ApplicationExport(),
            queryset=queryset,
            path=ExportRecord.Path.ADMIN_ACTION,
            file_format=file_format,
            selection={SELECTED: queryset.count()},
        )

    @admin.action(description=_("Ausgewählte exportieren (Excel)"), permissions=["export"])
    def export_xlsx_action(self, request, queryset):
        return self._export_selected(request, queryset, ExportRecord.Format.XLSX)

    @admin.action(description=_("Ausgewählte exportieren (CSV)"), permissions=["export"])
    def export_csv_action(self, request, queryset):
        return self._export_selected(request, queryset, ExportRecord.Format.CSV)

    # --- the filtered view -------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_filtered_view),
                name="{}_{}_export".format(*info),
            ),
            *super().get_urls(),
        ]

    def export_filtered_view(self, request):
        if not (
            self.has_view_or_change_permission(request) and self.has_export_permission(request)
        ):
            raise PermissionDenied
        file_format = request.GET.get(FORMAT_PARAMETER)
        if file_format not in ExportRecord.Format.values:
            return HttpResponseBadRequest(
                _("Unbekanntes Format. Möglich sind: %(formats)s.")
                % {"formats": ", ".join(ExportRecord.Format.values)},
                content_type="text/plain; charset=utf-8",
            )
        # The changelist reads its parameters from request.GET.
        params = request.GET.copy()
        for name in NOT_PASSED_ON:
            params.pop(name, None)
        request.GET = params
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            self.message_user(
                request,
                _(
                    "Diese Filter passen nicht zur Bewerbungsliste; es wurde nichts "
                    "exportiert. Bitte die Liste neu filtern und dann exportieren."
                ),
                messages.ERROR,
            )
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return export_response(
            user=request.user,
            export=ApplicationExport(),
            queryset=changelist.queryset,
            path=ExportRecord.Path.ADMIN_FILTER,
            file_format=file_format,
            filters=self.audit_filters(request, changelist),
        )

    def export_links(self, request):
        """(label, URL) of the buttons above the list: the filtered view as it is shown,
        as Excel and as CSV, and the export page. None without the permission."""
        if not self.has_export_permission(request):
            return None
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_export")
        query = [
            (key, value)
            for key, values in request.GET.lists()
            if key not in NOT_PASSED_ON
            for value in values
        ]
        return [
            *(
                (label, f"{url}?{urlencode([*query, (FORMAT_PARAMETER, file_format)])}")
                for label, file_format in [
                    (_("Diese Auswahl als Excel"), ExportRecord.Format.XLSX),
                    (_("als CSV"), ExportRecord.Format.CSV),
                ]
            ),
            (_("Weitere Exporte …"), reverse("admin:export")),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "export_links": self.export_links(request)}
        return super().changelist_view(request, extra_context)
