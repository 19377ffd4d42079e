from itertools import groupby

from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from districts.models import District
from districts.search import MAX_QUERY_LENGTH, find_municipalities
from lists.public import municipalities_without_anyone


class HomeView(TemplateView):
    template_name = "districts/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["districts"] = District.objects.order_by("slug")
        return context


class SearchView(TemplateView):
    """Search by postal code or town; one hit goes straight to its application page."""

    template_name = "districts/search.html"

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        results = find_municipalities(query)
        if len(results) == 1:
            return redirect(results[0].get_absolute_url())
        return self.render_to_response(
            {
                "query": query,
                "results": results,
                "districts": District.objects.order_by("slug") if not results else [],
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
        )
        return context


class AboutDataView(TemplateView):
    template_name = "districts/about_data.html"
