"""The statistics page "Auswertung" in the admin (`/verwaltung/auswertung/`) and each of
its tables as a CSV file (`/verwaltung/auswertung/csv/<table>/`), installed by
reports.admin_urls behind `admin_view`. Both need the named permission VIEW_STATISTICS
and show what the user may see (reports.statistics).

The election is chosen with `?wahl=<id>`; without it, the overview's election. On the
page, a value that names no election shows the default with a message; a CSV link always
names a real election, so there such a value is a 404. The CSV files hold aggregates
only (every count of people through reports.suppression), so they are no export of
personal data and write no ExportRecord.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from accounts.roles import VIEW_STATISTICS
from lists.overview import AdminPageMixin
from reports import baseline, charts, statistics, suppression, writer


class StatisticsPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_STATISTICS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def women_charts(stats):
    """The women's share per stage and, among active applicants, per district, each
    against the baseline; and the four shares per stage."""
    baseline_text = _("heute in den Räten: %(percent)s %%") % {
        "percent": statistics.percent_text(baseline.WOMEN_BASELINE_PERCENT)
    }
    total = stats.total
    per_stage = charts.bar_chart(
        "frauen-stufen",
        _("Frauenanteil je Stufe"),
        _(
            "Anteil der Frauen bei aktiven Bewerber:innen, Nominierten und auf beschlossenen "
            "Listen, verglichen mit %(baseline)s"
        )
        % {"baseline": baseline.WOMEN_BASELINE_LABEL},
        [
            charts.Group(
                None,
                [
                    charts.Bar(stage.label, total.stages[stage.key].women)
                    for stage in statistics.STAGES
                ],
            )
        ],
        baseline=baseline.WOMEN_BASELINE_PERCENT,
        baseline_text=baseline_text,
    )
    per_district = charts.bar_chart(
        "frauen-kreisverbaende",
        _("Frauenanteil der aktiven Bewerber:innen je Kreisverband"),
        _(
            "Anteil der Frauen unter den aktiven Bewerber:innen je Kreisverband und "
            "insgesamt, verglichen mit %(baseline)s"
        )
        % {"baseline": baseline.WOMEN_BASELINE_LABEL},
        [
            charts.Group(
                None,
                [
                    *[
                        charts.Bar(row.district.name, row.stages["active"].women)
                        for row in stats.rows
                    ],
                    charts.Bar(str(stats.total_label), total.stages["active"].women, True),
                ],
            )
        ],
        baseline=baseline.WOMEN_BASELINE_PERCENT,
        baseline_text=baseline_text,
    )
    shares = charts.bar_chart(
        "anteile-stufen",
        _("Vier Anteile je Stufe"),
        _(
            "Anteile der Frauen, der unter 35-Jährigen, der Personen mit "
            "Migrationsgeschichte und der Nichtmitglieder je Stufe"
        ),
        [
            charts.Group(
                stage.label,
                [
                    charts.Bar(_("Frauen"), total.stages[stage.key].women),
                    charts.Bar(_("unter 35"), total.stages[stage.key].under_35),
                    charts.Bar(_("Migrationsgeschichte"), total.stages[stage.key].migration),
                    charts.Bar(_("Nichtmitglieder"), total.stages[stage.key].non_members),
                ],
            )
            for stage in statistics.STAGES
        ],
    )
    return per_stage, per_district, shares


class StatisticsView(StatisticsPermissionMixin, AdminPageMixin, TemplateView):
    """Where we stand, district by district, and how diverse our candidates are."""

    template_name = "reports/statistics.html"
    title = _("Auswertung")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        choice = statistics.choose_election(self.request.GET.get(statistics.ELECTION_PARAMETER, ""))
        stats = statistics.statistics(
            user, election=choice.election, election_is_current=choice.is_current
        )
        context.update(
            choice=choice,
            stats=stats,
            elections=statistics.elections_to_choose(),
            election_parameter=statistics.ELECTION_PARAMETER,
            explanation=suppression.EXPLANATION,
            baseline_label=baseline.WOMEN_BASELINE_LABEL,
            baseline_source=baseline.WOMEN_BASELINE_SOURCE,
        )
        if stats.total is not None:
            per_stage, per_district, shares = women_charts(stats)
            context.update(
                women_per_stage_chart=per_stage,
                women_per_district_chart=per_district,
                shares_chart=shares,
                tables={key: statistics.table(stats, key) for key in statistics.TABLES},
                stage_tables=[
                    statistics.table(stats, stage.table_key) for stage in statistics.STAGES
                ],
            )
        return context


class StatisticsCSVView(StatisticsPermissionMixin, View):
    """One table of the statistics page as CSV for German Excel."""

    admin_site = None

    def get(self, request, table):
        if table not in statistics.TABLES:
            raise Http404
        choice = statistics.choose_election(request.GET.get(statistics.ELECTION_PARAMETER, ""))
        if choice.unknown or choice.election is None:
            raise Http404
        stats = statistics.statistics(
            request.user, election=choice.election, election_is_current=choice.is_current
        )
        if stats.total is None:  # no district to show
            raise Http404
        result = statistics.table(stats, table)
        # Computed before the response: streaming runs outside the request's district scope.
        rows = result.csv_rows()
        filename = f"auswertung-{table}-wahl-{choice.election.pk}.csv"
        response = StreamingHttpResponse(
            writer.csv_chunks(result.headers, rows, writer.CSV_GERMAN),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
        response["Cache-Control"] = "no-store"
        return response
