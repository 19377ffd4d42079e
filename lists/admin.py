"""The list admin: the lists of the user's districts, a new list, and the list's own pages
(lists.views): its people in order with the problems, a person entered directly, the
paperwork checklist and the printable pages. Every write goes through lists.services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from candidates.models import Election
from districts.admin import DistrictScopedAdmin, HistoryForStateOfficeOnly
from districts.models import Council
from lists import rules, services, views
from lists.forms import ListAddForm
from lists.models import CandidateList, ListPlace
from reports.admin_export import ExportActionsMixin
from reports.exports import ADOPTED, CandidateListExport
from reports.models import ExportRecord


class CouncilKindFilter(admin.SimpleListFilter):
    title = _("Art der Vertretung")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return Council.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(council__kind=self.value())
        return queryset


@admin.register(CandidateList)
class CandidateListAdmin(ExportActionsMixin, HistoryForStateOfficeOnly, DistrictScopedAdmin):
    form = ListAddForm
    list_display = [
        "council_name",
        "area",
        "status",
        "names",
        "assembly_at",
        "problem_count",
    ]
    list_display_links = ["council_name"]
    list_filter = [
        "status",
        CouncilKindFilter,
        ("council__district", admin.RelatedOnlyFieldListFilter),
        ("election", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["council__name"]
    list_select_related = ["council__district", "election"]
    actions = ["export_xlsx_action", "export_csv_action"]
    export_actions = ("export_xlsx_action", "export_csv_action")
    fieldsets = [
        (None, {"fields": ["election", "council", "electoral_area"]}),
        (
            _("Aufstellungsversammlung und Frist"),
            {"fields": ["assembly_at", "assembly_place", "submission_deadline"]},
        ),
    ]

    class Media:
        css = {"all": ["lists/lists.css"]}
        js = ["lists/list_editor.js"]

    def get_queryset(self, request):
        places = ListPlace.objects.select_related(
            "application__municipality__district", "application__election"
        ).order_by("position")
        return super().get_queryset(request).prefetch_related(Prefetch("places", queryset=places))

    # --- deleting -------------------------------------------------------------------

    def has_delete_permission(self, request, obj=None):
        """Only drafts can be deleted: an adopted or submitted list keeps its history
        (the delete would take every ListChange and paperwork tick along)."""
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        """The delete pages (one list, or the bulk action) refuse adopted and submitted
        lists the way Django refuses protected objects: listed, nothing deleted."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        kept = [
            _("%(list)s (Stand: %(status)s)")
            % {"list": candidate_list, "status": candidate_list.get_status_display()}
            for candidate_list in objs
            if not candidate_list.is_draft
        ]
        return deleted, counts, perms_needed, [*protected, *kept]

    def delete_queryset(self, request, queryset):
        if queryset.exclude(status=CandidateList.Status.DRAFT).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    # --- export (reports) -----------------------------------------------------------------

    def _export_lists(self, request, queryset, file_format):
        """The places of the selected lists that are adopted or submitted, through
        reports.services (permission, audit row); drafts are skipped with a message."""
        lists = queryset.prefetch_related(None).order_by()
        selected = lists.count()
        adopted = lists.filter(status__in=ADOPTED)
        skipped = selected - adopted.count()
        if skipped == selected:
            self.message_user(
                request,
                _(
                    "Nichts exportiert: Nur beschlossene oder eingereichte Listen werden "
                    "exportiert, Entwürfe nicht."
                ),
                messages.WARNING,
            )
            return None
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d Entwurf wurde übersprungen: Nur beschlossene oder eingereichte "
                    "Listen werden exportiert.",
                    "%(count)d Entwürfe wurden übersprungen: Nur beschlossene oder "
                    "eingereichte Listen werden exportiert.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
        places = CandidateListExport.adopted_places(request.user).filter(
            candidate_list__in=adopted.values("pk")
        )
        return self.export_selection(
            request,
            export=CandidateListExport(),
            queryset=places,
            path=ExportRecord.Path.LIST_ACTION,
            file_format=file_format,
            selection={"ausgewählt": selected, "Entwürfe übersprungen": skipped},
        )

    @admin.action(description=_("Beschlossene Listen exportieren (Excel)"), permissions=["export"])
    def export_xlsx_action(self, request, queryset):
        return self._export_lists(request, queryset, ExportRecord.Format.XLSX)

    @admin.action(description=_("Beschlossene Listen exportieren (CSV)"), permissions=["export"])
    def export_csv_action(self, request, queryset):
        return self._export_lists(request, queryset, ExportRecord.Format.CSV)

    # --- a new list -----------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def get_changeform_initial_data(self, request):
        # Only ?council=<id> from the overview (and ?electoral_area=): Django would take
        # any field from the query string, and a widget given text where it expects a
        # date answered 500 (?assembly_at=x). A council outside the user's districts is
        # not among the choices, so it is simply not preselected.
        given = super().get_changeform_initial_data(request)
        initial = {
            name: given[name]
            for name in ("council", "electoral_area")
            if isinstance(given.get(name), str) and given[name].isascii() and given[name].isdigit()
        }
        election = Election.objects.current()
        if election is not None:
            initial.setdefault("election", election.pk)
        return initial

    def save_model(self, request, obj, form, change):
        created = services.create_list(
            election=obj.election,
            council=obj.council,
            electoral_area=obj.electoral_area,
            by=request.user,
            assembly_at=obj.assembly_at,
            assembly_place=obj.assembly_place,
            submission_deadline=obj.submission_deadline,
        )
        # The admin goes on with `obj` (log entry, message, redirect).
        obj.pk = created.pk
        obj.version = created.version
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        # Straight on to the people: a list is made to be filled.
        self.message_user(
            request,
            _("Die Liste „%(list)s“ ist angelegt. Jetzt kannst du die Personen eintragen.")
            % {"list": obj},
        )
        return HttpResponseRedirect(reverse("admin:lists_candidatelist_change", args=[obj.pk]))

    # --- the list's own pages (lists.views) -------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return views.ListChangeView.as_view(model_admin=self)(request, object_id=object_id)

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view.as_view(model_admin=self))

        return [
            path("<int:object_id>/person/", wrap(views.DirectEntryView), name="lists_direct_entry"),
            path(
                "<int:object_id>/unterlagen/",
                wrap(views.PaperworkView),
                name="lists_paperwork",
            ),
            path(
                "<int:object_id>/unterlagen/<int:place_id>/",
                wrap(views.PaperworkTickView),
                name="lists_paperwork_tick",
            ),
            path("<int:object_id>/druck/", wrap(views.PrintListView), name="lists_print_list"),
            path(
                "<int:object_id>/druck/erklaerungen/",
                wrap(views.PrintCandidatesView),
                name="lists_print_candidates",
            ),
            path(
                "<int:object_id>/druck/erklaerungen/<int:place_id>/",
                wrap(views.PrintCandidatesView),
                name="lists_print_candidate",
            ),
            *super().get_urls(),
        ]

    # --- the list of lists --------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl")
        if cl is not None:
            # The rows the page shows, evaluated once (the template reuses them): their
            # problems, with the other lists of their councils in one query.
            lists = list(cl.result_list)
            elsewhere = rules.elsewhere_for(lists)
            for candidate_list in lists:
                applications = [place.application for place in candidate_list.places.all()]
                candidate_list.problems = rules.list_problems(
                    candidate_list, applications, elsewhere=elsewhere[candidate_list.pk]
                )
        return response

    @admin.display(description=_("Vertretung"), ordering="council__name")
    def council_name(self, obj):
        return obj.council.name

    @admin.display(description=_("Wahlbereich"), ordering="electoral_area")
    def area(self, obj):
        return obj.electoral_area

    @admin.display(description=_("Namen / höchstens"))
    def names(self, obj):
        limit = obj.council.max_list_length
        return f"{len(obj.places.all())} / {limit if limit is not None else '?'}"

    @admin.display(description=_("Probleme"))
    def problem_count(self, obj):
        problems = getattr(obj, "problems", None)
        if problems is None:
            return "–"
        blocking = len(rules.blocking(problems))
        if not problems:
            return _("keine")
        return _("%(count)s (davon %(blocking)s gegen den Beschluss)") % {
            "count": len(problems),
            "blocking": blocking,
        }
