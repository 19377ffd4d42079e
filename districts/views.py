from itertools import groupby
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.views import View
from django.views.generic import TemplateView
from django_scopes import scopes_disabled

from districts import previews
from districts.models import District, DistrictEvent
from districts.search import search
from lists.public import municipalities_without_anyone


class HomeView(TemplateView):
    template_name = "districts/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["districts"] = District.objects.order_by("slug")
        return context


class SearchView(TemplateView):
    """Search by postal code or town; only an exact, unique match goes straight to its
    application page (districts.search decides), everything else is a choice."""

    template_name = "districts/search.html"

    def get(self, request, *args, **kwargs):
        result = search(request.GET.get("q", ""))
        if result.redirect_to is not None:
            return redirect(result.redirect_to.get_absolute_url())
        return self.render_to_response(
            {
                "query": result.query,
                "results": result.matches,
                "search": result,
                "districts": District.objects.order_by("slug") if not result.matches else [],
            }
        )


class DistrictView(TemplateView):
    """A Kreisverband's page: its municipalities, grouped by Verbandsgemeinde."""

    template_name = "districts/district.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        district = get_object_or_404(District, slug=kwargs["district"])
        municipalities = district.municipalities.order_by("verbandsgemeinde", "slug")
        groups = [
            (verbandsgemeinde, list(members))
            for verbandsgemeinde, members in groupby(
                municipalities, key=lambda m: m.verbandsgemeinde
            )
        ]
        context.update(
            district=district,
            groups=groups,
            count=len(municipalities),
            # Where the district shows open places: municipalities whose council has
            # nobody nominated or on a list yet (staff decisions only, never applications).
            without_anyone=municipalities_without_anyone(district),
            # Public: every visitor sees them, whatever district scope the request has.
            events=upcoming_events(district),
            # A campaign source from a QR code or link (campaigns.models.Source) travels on
            # to the municipality's form; an unknown or foreign code is dropped.
            source_query=source_query(self.request, district),
        )
        return context


def source_query(request, district):
    """`?quelle=<code>` for the links to the municipalities' forms, if the request came
    with a code of this district's sources; else ""."""
    from campaigns.models import QUERY_PARAMETER, source_for

    source = source_for(request.GET.get(QUERY_PARAMETER), district=district)
    return f"?{urlencode({QUERY_PARAMETER: source.code})}" if source else ""


# How many upcoming events the district page lists.
MAX_EVENTS_SHOWN = 10


def upcoming_events(district):
    """The district's next events for its public page, in one query."""
    with scopes_disabled():
        return list(DistrictEvent.objects.filter(district=district).upcoming()[:MAX_EVENTS_SHOWN])


class AboutDataView(TemplateView):
    template_name = "districts/about_data.html"


class PreviewImageView(View):
    """The 1200x630 link-preview image of a district (or, without one, of the state),
    fetched by messengers' crawlers from the og:image tag (districts.previews)."""

    def get(self, request, district=None):
        from candidates.models import Election

        if district is None:
            headline = previews.state_headline()
        else:
            headline = previews.district_headline(get_object_or_404(District, slug=district))
        png = previews.card_png(headline=headline, election=Election.objects.current())
        response = HttpResponse(png, content_type="image/png")
        patch_cache_control(response, public=True, max_age=PREVIEW_MAX_AGE)
        return response


# A day: a changed colour or election reaches the messengers' caches by the next day.
PREVIEW_MAX_AGE = 86400
