"""The reports' pages in the admin site (`/verwaltung/…`), installed by
portal.admin_site.PortalAdminSite.get_urls behind `admin_view` (staff, second factor):

- `auswertung/`: the statistics page (reports.statistics_views.StatisticsView), and each
  of its tables as CSV at `auswertung/csv/<table>/` (StatisticsCSVView);
- `export/`: the export page (reports.views.ExportView).

Each view checks its named permission (accounts.roles VIEW_STATISTICS, EXPORT_DATA)."""

from django.urls import path
from django.utils.module_loading import import_string


def _view(site, dotted_path):
    """The class-based view at `dotted_path` for this admin site, imported on first use
    (the site's URLs are built before the apps' models are loaded)."""
    views = {}

    def view(request, *args, **kwargs):
        if "view" not in views:
            views["view"] = import_string(dotted_path).as_view(admin_site=site)
        return views["view"](request, *args, **kwargs)

    return site.admin_view(view)


def urls(site):
    return [
        path(
            "auswertung/",
            _view(site, "reports.statistics_views.StatisticsView"),
            name="statistics",
        ),
        path(
            "auswertung/csv/<str:table>/",
            _view(site, "reports.statistics_views.StatisticsCSVView"),
            name="statistics_csv",
        ),
        path("export/", _view(site, "reports.views.ExportView"), name="export"),
    ]
