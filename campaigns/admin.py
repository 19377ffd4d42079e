import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from campaigns.models import Source
from campaigns.qr import qr_svg
from candidates.models import visible_filter
from districts.admin import DistrictScopedAdmin

# The GET parameter of the QR page that picks one municipality of the source's district.
MUNICIPALITY_PARAMETER = "gemeinde"
SLUG = re.compile(r"[-a-z0-9]{1,100}")


@dataclass(frozen=True)
class PrintSize:
    key: str
    label: str
    # The stylesheet with this size's @page rule and proportions (static/campaigns/).
    stylesheet: str


# The GET parameter of the QR page that picks the printed size; any other value (or none)
# means the first, the A4 poster.
SIZE_PARAMETER = "format"
PRINT_SIZES = {
    size.key: size
    for size in (
        PrintSize("a4", _("Plakat (A4)"), "campaigns/qr-a4.css"),
        PrintSize("a5", _("Flyer (A5)"), "campaigns/qr-a5.css"),
    )
}
DEFAULT_SIZE = "a4"


def print_size(value):
    """The PrintSize that `?format=<value>` names; anything else is the default."""
    return PRINT_SIZES.get(value if isinstance(value, str) else "", PRINT_SIZES[DEFAULT_SIZE])


@admin.register(Source)
class SourceAdmin(DistrictScopedAdmin):
    """A district's campaign sources with their links, QR codes and the number of
    applications each brought (for the state office: every district's)."""

    list_display = ["name", "district", "code", "link", "application_count", "qr_page"]
    list_filter = [("district", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["district"]
    search_fields = ["name", "code"]
    fields = ["district", "name", "code", "link", "qr_page", "created_at"]
    ordering = ["district__name", "name"]

    def get_queryset(self, request):
        # Counts only the applications this user may see (district teams: no unconfirmed
        # ones), in the same query as the rows.
        return (
            super()
            .get_queryset(request)
            .annotate(
                application_count=Count(
                    "applications", filter=visible_filter(request.user, prefix="applications__")
                )
            )
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["code", "link", "qr_page", "created_at"]
        return ["district", "code", "link", "qr_page", "created_at"]

    @admin.display(description=_("Link"))
    def link(self, obj):
        if obj.pk is None:
            return _("wird beim Speichern erzeugt")
        return obj.link()

    @admin.display(description=_("Bewerbungen"), ordering="application_count")
    def application_count(self, obj):
        return obj.application_count

    @admin.display(description=_("QR-Code"))
    def qr_page(self, obj):
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:campaigns_source_qr", args=[obj.pk]),
            _("QR-Code und Link zum Ausdrucken"),
        )

    # --- the printable QR page ----------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/qr/",
                self.admin_site.admin_view(self.qr_view),
                name="campaigns_source_qr",
            ),
            path(
                "<path:object_id>/qr.svg",
                self.admin_site.admin_view(self.qr_svg_view),
                name="campaigns_source_qr_svg",
            ),
            *super().get_urls(),
        ]

    def _source_and_target(self, request, object_id):
        """The source (404 outside the user's districts, as for an unknown id) and the
        municipality of its district that `?gemeinde=<slug>` names, if any (anything else
        means the district page)."""
        source = self.get_object(request, object_id)
        if not self.has_view_permission(request, source):
            raise PermissionDenied
        slug = request.GET.get(MUNICIPALITY_PARAMETER, "")
        municipality = None
        if SLUG.fullmatch(slug):
            municipality = (
                source.district.municipalities.select_related("district").filter(slug=slug).first()
            )
        return source, municipality

    def qr_view(self, request, object_id):
        source, municipality = self._source_and_target(request, object_id)
        link = source.link(municipality)
        size = print_size(request.GET.get(SIZE_PARAMETER))
        context = {
            "source": source,
            "district": source.district,
            "municipality": municipality,
            "municipalities": source.district.municipalities.order_by("name"),
            "parameter": MUNICIPALITY_PARAMETER,
            "size": size,
            "sizes": PRINT_SIZES.values(),
            "size_parameter": SIZE_PARAMETER,
            "link": link,
            "qr": qr_svg(link),
            "svg_url": reverse("admin:campaigns_source_qr_svg", args=[source.pk])
            + (f"?{MUNICIPALITY_PARAMETER}={municipality.slug}" if municipality else ""),
            "changelist_url": reverse("admin:campaigns_source_changelist"),
            "site_title": settings.PORTAL_SITE_TITLE,
            "association_name": settings.PORTAL_ASSOCIATION_NAME,
        }
        return render(request, "campaigns/qr.html", context)

    def qr_svg_view(self, request, object_id):
        source, municipality = self._source_and_target(request, object_id)
        response = HttpResponse(
            '<?xml version="1.0" encoding="UTF-8"?>\n' + qr_svg(source.link(municipality)),
            content_type="image/svg+xml",
        )
        name = f"qr-{source.district.slug}-{municipality.slug if municipality else 'kv'}"
        response["Content-Disposition"] = f'attachment; filename="{name}-{source.code}.svg"'
        return response
