from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from districts.models import District, Municipality

# Both keys appear in public URLs and in the links district homepages carry; changing
# them later breaks those links.
URL_KEYS_NOTE = _(
    "Achtung: Das URL-Kürzel steht in den Adressen der Portalseiten, auf die die Homepages "
    "der Kreisverbände verlinken. Deshalb lässt es sich nach dem Anlegen nicht mehr ändern – "
    "sonst liefen diese Links ins Leere. Kreis- und Gemeindeschlüssel stammen aus dem "
    "amtlichen Gemeindeverzeichnis und werden ebenfalls nur beim Anlegen eingetragen."
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "kreis_key", "seat", "municipality_count", "contact_email"]
    list_filter = ["kind"]
    search_fields = ["name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "official_name", "kind", "seat"]}),
        (_("Adresse im Portal"), {"fields": ["slug", "kreis_key"], "description": URL_KEYS_NOTE}),
        (_("Kontakt"), {"fields": ["contact_email", "contact_phone", "homepage"]}),
        (_("Seite des Kreisverbands"), {"fields": ["intro"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(municipality_count=Count("municipalities"))

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["slug", "kreis_key"]

    @admin.display(description=_("Gemeinden"), ordering="municipality_count")
    def municipality_count(self, obj):
        return obj.municipality_count


class HasVerbandsgemeindeFilter(admin.SimpleListFilter):
    title = _("Verbandsgemeinde")
    parameter_name = "has_verbandsgemeinde"

    def lookups(self, request, model_admin):
        return [("yes", _("ja")), ("no", _("nein"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(verbandsgemeinde="")
        if self.value() == "no":
            return queryset.filter(verbandsgemeinde="")
        return queryset


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "district",
        "verbandsgemeinde",
        "population",
        "council_seats",
        "max_list_length",
        "is_city",
        "ags",
    ]
    list_filter = [
        ("district", admin.RelatedOnlyFieldListFilter),
        "is_city",
        HasVerbandsgemeindeFilter,
    ]
    search_fields = ["name", "ags", "postal_codes", "verbandsgemeinde"]
    list_select_related = ["district"]
    ordering = ["district__name", "name"]
    fieldsets = [
        (None, {"fields": ["name", "official_name", "district", "verbandsgemeinde", "is_city"]}),
        (_("Adresse im Portal"), {"fields": ["slug", "ags"], "description": URL_KEYS_NOTE}),
        (_("Einwohner:innen und Wahl"), {"fields": ["population", "electoral_areas"]}),
        (_("Postleitzahlen"), {"fields": ["postal_codes"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["slug", "ags"]

    # Seats grow with population, so sorting by population sorts by seats too.
    @admin.display(description=_("Sitze im Rat (§ 37 KVG LSA)"), ordering="population")
    def council_seats(self, obj):
        return obj.council_seats

    @admin.display(description=_("max. Listenlänge (§ 21 KWG LSA)"))
    def max_list_length(self, obj):
        return obj.max_list_length
