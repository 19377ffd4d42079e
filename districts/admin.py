import datetime

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Count
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.utils.html import format_html
from django.utils.timezone import make_aware
from django.utils.translation import gettext_lazy as _

from accounts.roles import VIEW_ADMIN_HISTORY, VIEW_ALL_DISTRICTS
from districts.models import Council, District, DistrictEvent, DistrictMembership, Municipality
from districts.selectors import staff_working_for
from embed.framing import embed_snippet
from embed.origins import allowed_origins
from portal.scoping import districts_for, sees_all_districts


class ReadOnlyAdmin:
    """For admins of records nobody may add, change or delete by hand (the outbox, the
    export audit): the change page only shows, and there is no delete action."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ValidDateHierarchy:
    """For every ModelAdmin with a `date_hierarchy`. Django turns `<field>__year`,
    `__month` and `__day` from the query string into a date range, but catches only part
    of what can go wrong: `?created_at__year=99999999999999`, year 9999 (no year after
    it), year 1 (before the first UTC date) and a month without a year (a plain lookup
    with a number too large for the database) answered 500. Here the range is computed
    as Django computes it first; if that fails, or month or day come without a year (the
    hierarchy never links so), the list answers as for other wrong list parameters: a
    redirect to the unfiltered list with `?e=1`.

    The same numbers typed as a plain lookup on any other field
    (`?population_as_of__year=99999999999999`) reached the database unchecked and
    answered 500 too; no page links such lookups, so they are refused (400)."""

    def get_changelist_instance(self, request):
        if self.date_hierarchy:
            check_date_hierarchy(request.GET, self.date_hierarchy)
        return super().get_changelist_instance(request)

    def lookup_allowed(self, lookup, value, request=None):
        parts = lookup.split(LOOKUP_SEP)
        hierarchy = len(parts) == 2 and parts[0] == self.date_hierarchy
        if DATE_PART_TRANSFORMS & set(parts[1:]) and not hierarchy:
            return False
        return super().lookup_allowed(lookup, value, request)


# Transforms that take a date apart into numbers (`__year`, ...); allowed only as the
# date hierarchy's own parameters, which check_date_hierarchy has checked.
DATE_PART_TRANSFORMS = {
    "year",
    "iso_year",
    "quarter",
    "month",
    "week",
    "week_day",
    "iso_week_day",
    "day",
    "hour",
    "minute",
    "second",
}


def check_date_hierarchy(params, field):
    """Raise IncorrectLookupParameters unless the date-hierarchy values in `params` give a
    date range that Django can build and the database can compare with."""
    year, month, day = (params.get(f"{field}__{part}") for part in ["year", "month", "day"])
    if year is None:
        if month is not None or day is not None:
            raise IncorrectLookupParameters("month or day without a year")
        return
    try:
        from_date = datetime.datetime(
            int(year),
            int(month) if month is not None else 1,
            int(day) if day is not None else 1,
        )
        if day is not None:
            to_date = from_date + datetime.timedelta(days=1)
        elif month is not None:
            to_date = (from_date + datetime.timedelta(days=32)).replace(day=1)
        else:
            to_date = from_date.replace(year=from_date.year + 1)
        if settings.USE_TZ:
            for value in [from_date, to_date]:
                make_aware(value).astimezone(datetime.UTC)
    except (ValueError, OverflowError) as error:
        raise IncorrectLookupParameters(error) from error


class DistrictScopedAdmin(ValidDateHierarchy, admin.ModelAdmin):
    """Base of every ModelAdmin whose rows belong to a district (applications and their
    history). What a user sees comes from the model's `visible_to(user)`; everything the
    admin derives from `get_queryset` — changelist, search, date hierarchy, actions,
    related-only list filters, autocomplete — follows from that.

    On top of it:
    - change, delete and history views of an object outside the scope answer 404, the
      same as for a pk that does not exist, so nothing about its existence leaks;
    - object-level view/change/delete permissions check the scope again;
    - foreign-key choices (municipality, district, users) offer only what is in scope,
      which is also what validates a forged POST;
    - a system check refuses list filters that Django would fill from the unscoped
      default manager (plain fields across a relation, relations without
      RelatedOnlyFieldListFilter) and raw-id widgets (Django ticket #37213).
    Underneath, django-scopes fails closed (portal.scoping).
    """

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def in_scope(self, request, obj):
        cache = request.__dict__.setdefault("_district_scope_cache", {})
        key = (self.model._meta.label, obj.pk)
        if key not in cache:
            cache[key] = self.get_queryset(request).filter(pk=obj.pk).exists()
        return cache[key]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or self.in_scope(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self.in_scope(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.in_scope(request, obj)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related is Municipality:
            kwargs["queryset"] = Municipality.objects.filter(
                district__in=districts_for(request.user)
            ).select_related("district")
        elif related is District:
            kwargs["queryset"] = districts_for(request.user)
        elif related is get_user_model():
            kwargs["queryset"] = team_and_state_office(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_scoping()]

    def _check_scoping(self):
        errors = []
        if self.raw_id_fields:
            errors.append(
                checks.Error(
                    "raw_id_fields print the label of any object by id (Django #37213).",
                    obj=type(self),
                    id="districts.E001",
                )
            )
        for item in self.list_filter:
            if isinstance(item, str):
                path, filter_class = item, None
            elif isinstance(item, (list, tuple)):
                path, filter_class = item
            else:
                continue  # a SimpleListFilter: it filters what get_queryset gives it
            field = get_fields_from_path(self.model, path)[-1]
            crosses = "__" in path
            if (field.is_relation or crosses) and not (
                filter_class and issubclass(filter_class, admin.RelatedOnlyFieldListFilter)
            ):
                errors.append(
                    checks.Error(
                        f"list_filter {path!r} would list values from outside the scope; "
                        "use RelatedOnlyFieldListFilter or a SimpleListFilter.",
                        obj=type(self),
                        id="districts.E002",
                    )
                )
        return errors


def is_district_scoped(model):
    """Whether the model's rows belong to districts (a django-scopes default manager)."""
    return hasattr(model._default_manager, "with_scopes_disabled")


class NoLookupsIntoScopedRows:
    """For admins of unscoped models that district teams may read (districts,
    municipalities). Django accepts a lookup across one relation from the query string
    without it being a list filter: on the municipality list, `?applications__isnull=False`
    listed the municipalities of every district that have applicants, and
    `?applications=<pk>` told where an application is. Lookups that pass through a
    district-scoped model are refused (400)."""

    def lookup_allowed(self, lookup, value, request=None):
        model = self.model
        for part in lookup.split(LOOKUP_SEP):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                break
            if not field.is_relation or field.related_model is None:
                break
            model = field.related_model
            if is_district_scoped(model):
                return False
        return super().lookup_allowed(lookup, value, request)


class HistoryForStateOfficeOnly:
    """For admins whose history district teams must not read: districts, municipalities,
    accounts and groups. Django's history view shows every LogEntry of the object, and
    their change messages name team members by address (the state office adds them on
    the district's page), while teams may look at every district. The history view is
    for who may read the admin log, VIEW_ADMIN_HISTORY (the state office; 403 for everyone
    else), and its link is shown only to them
    (templates/admin/districts/change_form_object_tools.html)."""

    def history_view(self, request, object_id, extra_context=None):
        if not request.user.has_perm(VIEW_ADMIN_HISTORY):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        context["show_history_link"] = request.user.has_perm(VIEW_ADMIN_HISTORY)
        return super().render_change_form(request, context, *args, **kwargs)


def team_and_state_office(user):
    """Staff a user may pick as a colleague in a district-scoped admin form (a User
    foreign key): whoever works on the applications of any of the user's districts
    (districts.selectors.staff_working_for). For one application,
    candidates.workflow.assignable_users is the stricter rule the workflow applies."""
    return staff_working_for(districts_for(user))


# Both keys appear in public URLs and in the links district homepages carry; changing
# them later breaks those links.
EMBED_NOTE = _(
    "So zeigt die Homepage des Kreisverbands seine Gemeinden und die Bewerbungsformulare: "
    "1. Die Adresse der Homepage unten eintragen und speichern. 2. Den Code kopieren und "
    "auf der Homepage als HTML einfügen (in WordPress: Block „Individuelles HTML“). "
    "Bewerbungen über die Homepage zählen als eigene Quelle, wenn an die Adresse im Code "
    "?quelle= mit dem Kürzel einer Quelle angehängt wird."
)

URL_KEYS_NOTE = _(
    "Achtung: Das URL-Kürzel steht in den Adressen der Portalseiten, auf die die Homepages "
    "der Kreisverbände verlinken. Deshalb lässt es sich nach dem Anlegen nicht mehr ändern – "
    "sonst liefen diese Links ins Leere. Kreis- und Gemeindeschlüssel stammen aus dem "
    "amtlichen Gemeindeverzeichnis und werden ebenfalls nur beim Anlegen eingetragen."
)


class DistrictMembershipInline(admin.TabularInline):
    """The district's team, managed by the state office (district teams have no
    permission on memberships, so they do not see this)."""

    model = DistrictMembership
    fields = ["user", "receives_notifications"]
    extra = 0
    verbose_name = _("Teammitglied")
    verbose_name_plural = _("Team des Kreisverbands")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Who may join a team: any staff account. Inactive ones too, deliberately: a
        # deactivated member's row stays in the team, and the team must still save.
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True).order_by("email")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DistrictEventInline(admin.TabularInline):
    """The district's upcoming info stands and events, entered by its team. The district
    is the page's own (the formset sets it), so a forged POST cannot move an event to
    another district; the change page itself is only reachable for the user's districts
    (DistrictAdmin.get_queryset)."""

    model = DistrictEvent
    fields = ["starts_at", "place", "description"]
    extra = 1
    verbose_name = _("Termin")
    verbose_name_plural = _("Termine und Infostände (öffentlich, die nächsten zehn)")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


# What a district team may change on its district's page: the public content. Name, keys,
# kind and what the page reveals (show_open_places) are the state office's.
DISTRICT_CONTENT_FIELDS = [
    "contact_person",
    "contact_email",
    "contact_phone",
    "office_hours",
    "homepage",
    "intro",
    "embed_origins",
]


def edits_district_reference_data(user):
    """Who changes a district's name, keys and settings: whoever sees every district
    (accounts.roles: the state office). District teams change only the public content
    of their own districts."""
    return user.has_perm(VIEW_ALL_DISTRICTS)


@admin.register(District)
class DistrictAdmin(HistoryForStateOfficeOnly, NoLookupsIntoScopedRows, admin.ModelAdmin):
    """Every district for the state office; for a district team only its own districts
    (others answer 404, as DistrictScopedAdmin does), where it changes the public
    content and the events, and sees the rest read-only."""

    inlines = [DistrictMembershipInline, DistrictEventInline]
    list_display = ["name", "kind", "kreis_key", "seat", "municipality_count", "contact_email"]
    list_filter = ["kind"]
    search_fields = ["name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "official_name", "kind", "seat"]}),
        (_("Adresse im Portal"), {"fields": ["slug", "kreis_key"], "description": URL_KEYS_NOTE}),
        (
            _("Kontakt"),
            {
                "fields": [
                    "contact_person",
                    "contact_email",
                    "contact_phone",
                    "office_hours",
                    "homepage",
                ]
            },
        ),
        (_("Seite des Kreisverbands"), {"fields": ["intro", "show_open_places"]}),
        (
            _("Auf der eigenen Homepage einbetten"),
            {"fields": ["embed_origins", "embed_snippet"], "description": EMBED_NOTE},
        ),
    ]

    # Explicit: Meta.ordering does not apply to the aggregated (GROUP BY) queryset.
    ordering = ["slug"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not sees_all_districts(request.user):
            queryset = queryset.filter(pk__in=districts_for(request.user))
        return queryset.annotate(municipality_count=Count("municipalities"))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["embed_snippet"]
        if not edits_district_reference_data(request.user):
            return [
                field
                for _name, options in self.get_fieldsets(request, obj)
                for field in options["fields"]
                if field not in DISTRICT_CONTENT_FIELDS
            ]
        return ["slug", "kreis_key", "embed_snippet"]

    @admin.display(description=_("Code für die Homepage"))
    def embed_snippet(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        ready = (
            _("Die Seite lässt sich auf diesen Websites einbetten: %(origins)s.")
            % {"origins": ", ".join(allowed_origins(obj))}
            if allowed_origins(obj)
            else _("Noch keine Website eingetragen: bis dahin zeigt der Browser den Rahmen leer.")
        )
        return format_html(
            '<textarea readonly rows="4" cols="80" class="vLargeTextField" '
            'aria-label="{}">{}</textarea><div class="help">{}</div>',
            _("Code für die Homepage"),
            embed_snippet(obj),
            ready,
        )

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
class MunicipalityAdmin(HistoryForStateOfficeOnly, NoLookupsIntoScopedRows, admin.ModelAdmin):
    list_display = [
        "name",
        "district",
        "verbandsgemeinde",
        "population",
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
    ordering = ["district__slug", "slug"]
    fieldsets = [
        (None, {"fields": ["name", "official_name", "district", "verbandsgemeinde", "is_city"]}),
        (_("Adresse im Portal"), {"fields": ["slug", "ags"], "description": URL_KEYS_NOTE}),
        (_("Einwohner:innen"), {"fields": ["population"]}),
        (_("Postleitzahlen"), {"fields": ["postal_codes"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["slug", "ags"]


# --- Councils (Vertretungen) -------------------------------------------------------------

SEATS_NOTE = _(
    "„Voraussichtlich“ heißt: berechnet nach § 37 KVG LSA aus der Einwohnerzahl des "
    "angegebenen Stichtags. Die amtliche Zahl der Sitze gibt die Wahlleitung spätestens am "
    "90. Tag vor der Wahl bekannt (§ 15 KWG LSA). Erst dann tragen Sie sie hier ein; ab da "
    "zeigt das Portal sie als amtlich. Beim Ortschaftsrat steht die Zahl in der "
    "Hauptsatzung der Gemeinde."
)
AREAS_NOTE = _(
    "Wie viele Namen eine Liste höchstens tragen darf, folgt aus Sitzen und Wahlbereichen "
    "(§ 21 Abs. 4 KWG LSA): bei einem Wahlbereich Sitze + 5, bei mehreren je Wahlbereich "
    "Sitze geteilt durch Wahlbereiche, aufgerundet, + 3. Solange die Wahlbereiche nicht "
    "eingetragen sind, nennt das Portal keine Listenlänge. Kreistage und die Stadträte "
    "kreisfreier Städte werden in mehreren Wahlbereichen gewählt (§ 7 Abs. 2 KWG LSA), "
    "Gemeinden mit höchstens 3.000 Einwohner:innen in einem (§ 7 Abs. 1 KWG LSA)."
)


def edits_every_council(user):
    """The state office enters the official seats and the Wahlbereiche of every council;
    district teams only work on their Ortschaftsräte (accounts.roles: the state office
    is who sees every district)."""
    return user.has_perm(VIEW_ALL_DISTRICTS)


class CouncilFiguresForm(forms.ModelForm):
    """A council from the reference data: only the figures people enter."""

    class Meta:
        model = Council
        fields = ["official_seats", "electoral_areas"]

    def clean_official_seats(self):
        seats = self.cleaned_data["official_seats"]
        if seats == 0:
            raise forms.ValidationError(_("Mindestens ein Sitz."), code="no_seats")
        return seats


class LocalCouncilForm(CouncilFiguresForm):
    """An Ortschaftsrat, entered by the team: kind, district and name follow from what is
    typed, so that Council.clean and the uniqueness of (kind, district, Ortschaft) are
    checked before saving (neither field is on the form, so Django would skip them)."""

    class Meta:
        model = Council
        fields = ["municipality", "area_name", "official_seats", "electoral_areas"]
        labels = {"area_name": _("Ortschaft"), "official_seats": _("Sitze laut Hauptsatzung")}
        help_texts = {
            "municipality": _(
                "Die Einheitsgemeinde, zu der die Ortschaft gehört. Mitgliedsgemeinden von "
                "Verbandsgemeinden haben keine Ortschaftsräte (§ 81 Abs. 1 KVG LSA)."
            ),
            "area_name": _("Der Name der Ortschaft, wie ihn die Hauptsatzung nennt."),
            "official_seats": _("Die Zahl der Mitglieder des Ortschaftsrats (§ 83 KVG LSA)."),
        }

    def clean(self):
        cleaned_data = super().clean()
        council = self.instance
        council.kind = Council.Kind.LOCAL_COUNCIL
        municipality = cleaned_data.get("municipality")
        area_name = (cleaned_data.get("area_name") or "").strip()
        if municipality is not None:
            council.district_id = municipality.district_id
        if area_name:
            council.name = str(_("Ortschaftsrat %(name)s") % {"name": area_name})
        if municipality is not None and area_name:
            taken = (
                Council.objects.filter(
                    kind=Council.Kind.LOCAL_COUNCIL,
                    district_id=municipality.district_id,
                    area_name=area_name,
                )
                .exclude(pk=council.pk)
                .exists()
            )
            if taken:
                self.add_error(
                    "area_name",
                    forms.ValidationError(
                        _(
                            "Im Kreisverband gibt es schon einen Ortschaftsrat „%(name)s“. "
                            "Heißen zwei Ortschaften gleich, ergänz die Gemeinde, z. B. "
                            "„%(name)s (%(municipality)s)“."
                        ),
                        code="local_council_exists",
                        params={"name": area_name, "municipality": municipality.name},
                    ),
                )
        return cleaned_data


@admin.register(Council)
class CouncilAdmin(HistoryForStateOfficeOnly, DistrictScopedAdmin):
    """The councils of the user's districts. Those from the reference data
    (districts.councils.sync_councils) keep what comes from the data; the state office
    enters their official seats and Wahlbereiche. District teams add, change and delete
    the Ortschaftsräte of their districts and see the other councils read-only."""

    list_display = [
        "name",
        "kind",
        "district",
        "seats_label",
        "electoral_areas_label",
        "max_list_length_label",
        "population",
        "population_as_of",
    ]
    list_filter = ["kind", ("district", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    list_select_related = ["district"]
    # The figures (seats, Wahlbereiche) of synced councils are the state office's.
    synced_readonly_fields = [
        "name",
        "kind",
        "district",
        "municipality",
        "area_name",
        "population",
        "population_as_of",
        "expected_seats_label",
        "max_list_length_label",
    ]

    def is_local_council(self, obj):
        return obj is None or obj.kind == Council.Kind.LOCAL_COUNCIL

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self.is_local_council(obj) or edits_every_council(request.user)
        )

    def has_delete_permission(self, request, obj=None):
        # Councils from the reference data go with their municipality (refresh_municipalities).
        return super().has_delete_permission(request, obj) and self.is_local_council(obj)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["municipality", "area_name"]}),
                (_("Sitze"), {"fields": ["official_seats"], "description": SEATS_NOTE}),
                (_("Wahlbereiche"), {"fields": ["electoral_areas"], "description": AREAS_NOTE}),
            ]
        place = ["name", "kind", "district"]
        if obj.municipality_id is not None:
            place.append("municipality")
        place.append("area_name")
        seats = ["official_seats"]
        if not self.is_local_council(obj):
            seats = ["population", "population_as_of", "expected_seats_label", *seats]
        return [
            (None, {"fields": place}),
            (_("Sitze"), {"fields": seats, "description": SEATS_NOTE}),
            (
                _("Wahlbereiche und Listen"),
                {
                    "fields": ["electoral_areas", "max_list_length_label"],
                    "description": AREAS_NOTE,
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if self.is_local_council(obj):
            return ["name", "kind", "district", "max_list_length_label"]
        return self.synced_readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = LocalCouncilForm if self.is_local_council(obj) else CouncilFiguresForm
        return super().get_form(request, obj, change, **kwargs)

    def get_changeform_initial_data(self, request):
        return {"electoral_areas": 1, **super().get_changeform_initial_data(request)}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "municipality":
            # Ortschaften exist only outside Verbandsgemeinden (§ 81 Abs. 1 KVG LSA).
            field.queryset = field.queryset.filter(verbandsgemeinde="").order_by(
                "district__slug", "slug"
            )
        return field

    @admin.display(description=_("Sitze"))
    def seats_label(self, obj):
        if obj.seats is None:
            return "–"
        if obj.kind == Council.Kind.LOCAL_COUNCIL:
            return _("%(seats)s (Hauptsatzung)") % {"seats": obj.seats}
        if obj.seats_are_official:
            return _("%(seats)s (amtlich)") % {"seats": obj.seats}
        return _("%(seats)s (voraussichtlich)") % {"seats": obj.seats}

    @admin.display(description=_("voraussichtliche Sitze (§ 37 KVG LSA)"))
    def expected_seats_label(self, obj):
        return obj.expected_seats if obj.expected_seats is not None else "–"

    @admin.display(description=_("Wahlbereiche"), ordering="electoral_areas")
    def electoral_areas_label(self, obj):
        return obj.electoral_areas or _("noch offen")

    @admin.display(description=_("höchstens Namen je Liste"))
    def max_list_length_label(self, obj):
        length = obj.max_list_length
        if length is None:
            return "–"
        if not obj.seats_are_official:
            return _("%(length)s (voraussichtlich)") % {"length": length}
        return length
