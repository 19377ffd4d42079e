"""The export page in the admin (`/verwaltung/export/`, routed by reports.admin_urls):
a GET form of what to export (reports.forms.ExportForm); "Zeilen zählen" shows how many
rows the choice has, "Herunterladen" (`download=1`) returns the file through
reports.services.export_response, which writes the audit row. Needs the named
permission EXPORT_DATA; the rows are those `visible_to(user)`."""

from django.contrib.admin.helpers import AdminForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.roles import EXPORT_DATA
from lists.coverage import election_for_overview
from lists.overview import AdminPageMixin
from reports.exports import ApplicationExport, CandidateListExport
from reports.forms import ExportForm
from reports.models import ExportRecord
from reports.services import export_response

DOWNLOAD = "download"


class ExportView(AdminPageMixin, TemplateView):
    template_name = "reports/export.html"
    title = _("Export: Bewerbungen und beschlossene Listen")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(EXPORT_DATA):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        submitted = any(name in request.GET for name in [*ExportForm.FIELDS, "format", DOWNLOAD])
        if not submitted:
            election, _is_current = election_for_overview()
            form = ExportForm(user=request.user, initial={"wahl": election and str(election.pk)})
            return self.render_to_response(self.get_context_data(form=form))
        form = ExportForm(request.GET, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        export = form.export
        queryset = form.queryset()
        if request.GET.get(DOWNLOAD) == "1":
            return export_response(
                user=request.user,
                export=export,
                queryset=queryset,
                path=ExportRecord.Path.EXPORT_PAGE,
                file_format=form.cleaned_data["format"],
                filters=form.filters(export),
            )
        return self.render_to_response(self.get_context_data(form=form, row_count=queryset.count()))

    def get_context_data(self, *, form, **kwargs):
        context = super().get_context_data(**kwargs)
        fieldsets = [
            (None, {"fields": ["inhalt", "wahl", "kreisverband"]}),
            (_("Nur für Bewerbungen"), {"fields": ["status", "gremium", "spalte"]}),
            (_("Nur für beschlossene Listen"), {"fields": ["listenspalte"]}),
            (_("Datei"), {"fields": ["format"]}),
        ]
        context.update(
            form=form,
            adminform=AdminForm(form, fieldsets, prepopulated_fields={}),
            application_columns=ApplicationExport.columns,
            list_columns=CandidateListExport.columns,
            formats=ExportRecord.Format.choices,
        )
        return context
