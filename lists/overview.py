"""The overview pages in the admin (`/verwaltung/uebersicht/`): where are candidates still
missing? Installed by portal.admin_site.PortalAdminSite.get_urls (behind `admin_view`);
the figures come from lists.coverage.

- `/uebersicht/`: the districts the user works for, each with a summary, and their totals
  (the state office: all 14 and the state totals). A team member with exactly one
  district goes straight on to its page.
- `/uebersicht/<district>/`: every council of that district with its figures, sortable
  and filterable by GET parameters, and what needs doing. A district outside
  `districts_for(user)` is a 404, the same as a slug that does not exist.
"""

import re
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from districts.models import Council
from lists import coverage
from portal.scoping import districts_for, sees_all_districts

# District slugs are plain ASCII (districts.models.District.slug): anything else is no
# district, and never reaches the database (NUL, 5000 characters, upper case).
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG_LENGTH = 60

# ?art=<key>: filter by kind of council.
KIND_PARAMETER = "art"
KINDS = {
    "gemeinderat": Council.Kind.COUNCIL,
    "verbandsgemeinderat": Council.Kind.VERBANDSGEMEINDE_COUNCIL,
    "kreistag": Council.Kind.DISTRICT_COUNCIL,
    "ortschaftsrat": Council.Kind.LOCAL_COUNCIL,
}
# ?luecken=1: only councils nobody stands for.
GAPS_PARAMETER = "luecken"
# ?sortierung=<key>: the order of the rows; the first is the default.
SORT_PARAMETER = "sortierung"
NO_DATE = (9999, 12, 31)


def _next_date_key(row):
    return row.next_date[0].timetuple()[:3] if row.next_date else NO_DATE


SORTINGS = {
    "art": (_("Art"), coverage.sort_key_by_kind),
    "name": (_("Ort"), lambda row: (row.council.area_name.casefold(), row.council.name)),
    "sitze": (_("Sitze"), lambda row: (-(row.council.seats or 0), row.council.name.casefold())),
    "bewerber": (
        _("Bewerber:innen aktiv"),
        lambda row: (row.active, row.council.name.casefold()),
    ),
    "offen": (
        _("offene Plätze"),
        lambda row: (
            row.open_places is None,
            -(row.open_places or 0),
            row.council.name.casefold(),
        ),
    ),
    "termin": (_("nächster Termin"), lambda row: (_next_date_key(row), row.council.name)),
}
DEFAULT_SORTING = "art"


def admin_url(name, *args, query=None):
    """The URL of an admin page, or None where that page is not installed (the list admin
    is a separate piece)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


class AdminPageMixin:
    """A page of the admin site: its context (header, sidebar) and title."""

    admin_site = None
    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.admin_site.each_context(self.request), title=self.title)
        return context


class OverviewView(AdminPageMixin, TemplateView):
    """The user's districts with a summary each, and their totals."""

    template_name = "lists/overview.html"
    title = _("Übersicht: wo fehlen noch Kandidat:innen?")

    def get(self, request, *args, **kwargs):
        if not sees_all_districts(request.user):
            slugs = list(districts_for(request.user).values_list("slug", flat=True)[:2])
            if len(slugs) == 1:
                return redirect("admin:overview_district", district=slugs[0])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        election, is_current = coverage.election_for_overview()
        figures = coverage.coverage(
            self.request.user, election=election, election_is_current=is_current
        )
        context.update(
            coverage=figures,
            sees_all_districts=sees_all_districts(self.request.user),
        )
        return context


class DistrictOverviewView(AdminPageMixin, TemplateView):
    """Every council of one district with its figures, and what needs doing."""

    template_name = "lists/overview_district.html"

    def get(self, request, *args, **kwargs):
        slug = kwargs["district"]
        if len(slug) > MAX_SLUG_LENGTH or not SLUG.fullmatch(slug):
            raise Http404
        self.district = districts_for(request.user).filter(slug=slug).first()
        if self.district is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        election, is_current = coverage.election_for_overview()
        figures = coverage.coverage(
            user,
            election=election,
            election_is_current=is_current,
            districts=[self.district],
        )
        (district_figures,) = figures.districts
        kind, gaps_only, sorting = self.choices()
        rows = [
            row
            for row in district_figures.councils
            if (kind is None or row.council.kind == kind) and (not gaps_only or row.has_nobody)
        ]
        rows.sort(key=SORTINGS[sorting][1])
        context.update(
            title=_("Übersicht %(district)s") % {"district": self.district.name},
            district=self.district,
            coverage=figures,
            figures=district_figures,
            rows=[self.row_context(row) for row in rows],
            filters=self.filter_links(kind, gaps_only, sorting),
            sortings=[
                {
                    "key": key,
                    "label": label,
                    "url": self.query(kind, gaps_only, key),
                    "active": key == sorting,
                }
                for key, (label, _key) in SORTINGS.items()
            ],
            unanswered_url=self.unanswered_url(election, figures.unanswered_since),
            lists_without_assembly=[
                (candidate_list, admin_url("admin:lists_candidatelist_change", candidate_list.pk))
                for candidate_list in district_figures.lists_without_assembly
            ],
            # A member of one district only would be sent straight back here.
            has_overview_index=sees_all_districts(user)
            or districts_for(user).exclude(pk=self.district.pk).exists(),
        )
        return context

    def choices(self):
        """The filters and sorting from the query string; unknown values are ignored."""
        params = self.request.GET
        kind = KINDS.get(params.get(KIND_PARAMETER, ""))
        gaps_only = params.get(GAPS_PARAMETER) == "1"
        sorting = params.get(SORT_PARAMETER, "")
        if sorting not in SORTINGS:
            sorting = DEFAULT_SORTING
        return kind, gaps_only, sorting

    def query(self, kind, gaps_only, sorting):
        params = {}
        if kind is not None:
            params[KIND_PARAMETER] = next(key for key, value in KINDS.items() if value == kind)
        if gaps_only:
            params[GAPS_PARAMETER] = "1"
        if sorting != DEFAULT_SORTING:
            params[SORT_PARAMETER] = sorting
        return f"?{urlencode(params)}" if params else "?"

    def filter_links(self, kind, gaps_only, sorting):
        kinds = [
            {
                "label": _("alle"),
                "url": self.query(None, gaps_only, sorting),
                "active": kind is None,
            }
        ] + [
            {
                "label": Council.Kind(value).label,
                "url": self.query(value, gaps_only, sorting),
                "active": kind == value,
            }
            for value in KINDS.values()
        ]
        gaps = [
            {"label": _("alle"), "url": self.query(kind, False, sorting), "active": not gaps_only},
            {
                "label": _("nur Vertretungen ohne Kandidat:innen"),
                "url": self.query(kind, True, sorting),
                "active": gaps_only,
            },
        ]
        return [(_("Art der Vertretung"), kinds), (_("Kandidat:innen"), gaps)]

    def row_context(self, row):
        return {
            "figures": row,
            "lists_url": admin_url(
                "admin:lists_candidatelist_changelist",
                query={"council__id__exact": row.council.pk},
            ),
            "add_list_url": admin_url(
                "admin:lists_candidatelist_add", query={"council": row.council.pk}
            ),
        }

    def unanswered_url(self, election, since):
        if election is None or since is None:
            return None
        return admin_url(
            "admin:candidates_application_changelist",
            query={
                "election__id__exact": election.pk,
                "municipality__district__id__exact": self.district.pk,
                "status": "new",
                "confirmed_at__date__lt": since.isoformat(),
            },
        )
