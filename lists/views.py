"""The pages of one list in the admin (routed by lists.admin.CandidateListAdmin): the list
with its people in order, a person entered directly, the paperwork checklist, and the
printable pages. Each looks the list up through the admin's scoped queryset (another
district's list is a 404, as a missing one) and writes only through lists.services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.roles import VIEW_ADMIN_HISTORY, VIEW_STATISTICS
from candidates.models import Application, display_name
from lists import rules, selectors, services
from lists.forms import DirectEntryForm, ListForm, PlaceFormSet, person_choices
from lists.models import CandidateList, Document, ListPlace

LIST_FIELDSETS = [
    (None, {"fields": ["status"]}),
    (
        gettext_lazy("Aufstellungsversammlung und Frist"),
        {"fields": ["assembly_at", "assembly_place", "submission_deadline"]},
    ),
]


class ListPageView(View):
    """Base: the list from the admin's queryset, the permission the page needs, and the
    admin's context for the templates."""

    model_admin = None
    # "view" pages read, "change" pages write (POST always needs "change").
    needs = "view"

    def dispatch(self, request, *args, object_id, **kwargs):
        self.candidate_list = self.model_admin.get_object(request, str(object_id))
        needs = "change" if request.method == "POST" else self.needs
        allowed = (
            self.model_admin.has_change_permission(request, self.candidate_list)
            if needs == "change"
            else self.model_admin.has_view_permission(request, self.candidate_list)
        )
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def list_url(self):
        return reverse("admin:lists_candidatelist_change", args=[self.candidate_list.pk])

    def admin_context(self, **extra):
        return {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": CandidateList._meta,
            "original": self.candidate_list,
            "candidate_list": self.candidate_list,
            "council": self.candidate_list.council,
            "list_url": self.list_url(),
            "has_view_permission": True,
            **extra,
        }

    def place_or_404(self, place_id):
        place = (
            ListPlace.objects.visible_to(self.request.user)
            .filter(candidate_list=self.candidate_list, pk=place_id)
            .select_related("application__municipality__district", "application__election")
            .first()
        )
        if place is None:
            raise Http404
        return place


def limit_text(council, count):
    limit = council.max_list_length
    if limit is None:
        return _("%(count)s Namen; die Höchstzahl ist noch nicht bekannt.") % {"count": count}
    return _("%(count)s von höchstens %(limit)s Namen") % {"count": count, "limit": limit}


class ListChangeView(ListPageView):
    """The list: its fields, its people in order (a row per place: number, person,
    remove), the problems per place, the count against the maximum, and the history. No
    women's share: a single list is too small a group, and comparing its share before
    and after one change would tell that person's gender (the statistics page has the
    share on adopted lists per district, reports.statistics). Saving goes through
    services.save_list with the version the page was loaded with."""

    template_name = "admin/lists/candidatelist/edit_list.html"

    def choices(self, places):
        """The people that may be chosen: nominated for this list's election and district
        and visible to the user, and whoever is on the list already (their status may
        have changed since)."""
        allowed = {
            application.pk: application
            for application in selectors.nominated_for(self.candidate_list).visible_to(
                self.request.user
            )
        }
        for place in places:
            allowed.setdefault(place.application_id, place.application)
        people = sorted(allowed.values(), key=lambda a: (a.last_name, a.first_names, a.pk))
        return allowed, {"choices": person_choices(people)}

    def get(self, request):
        places = selectors.places_of(self.candidate_list)
        allowed, form_kwargs = self.choices(places)
        form = ListForm(instance=self.candidate_list)
        formset = PlaceFormSet(
            initial=[{"position": p.position, "application": p.application_id} for p in places],
            form_kwargs=form_kwargs,
            prefix="places",
        )
        applications = [place.application for place in places]
        return self.render(form, formset, applications, places=places)

    def post(self, request):
        places = selectors.places_of(self.candidate_list)
        allowed, form_kwargs = self.choices(places)
        form = ListForm(request.POST, instance=self.candidate_list)
        formset = PlaceFormSet(request.POST, form_kwargs=form_kwargs, prefix="places")
        if not (form.is_valid() and formset.is_valid()):
            return self.render(
                form, formset, [place.application for place in places], places=places
            )
        applications = [allowed[pk] for pk in formset.ordered_ids()]
        try:
            problems = services.save_list(
                self.candidate_list,
                applications=applications,
                by=request.user,
                seen_version=form.cleaned_data["version"],
            )
        except services.ListConflict:
            messages.error(request, services.ListConflict.message)
            return self.render(form, formset, applications, conflict=True)
        except services.ListRulesFailed:
            form.add_error(
                "status",
                _(
                    "„%(status)s“ geht erst, wenn die Liste alle Regeln erfüllt; die Punkte "
                    "stehen oben. Als Entwurf lässt sie sich speichern."
                )
                % {"status": self.candidate_list.get_status_display()},
            )
            return self.render(form, formset, applications)
        blocking = rules.blocking(problems)
        if blocking:
            messages.warning(
                request,
                _(
                    "Die Liste ist als Entwurf gespeichert. %(count)s Punkt(e) müssen noch "
                    "geklärt werden, bevor die Versammlung sie beschließen kann."
                )
                % {"count": len(blocking)},
            )
        else:
            messages.success(request, _("Die Liste ist gespeichert."))
        return HttpResponseRedirect(self.list_url())

    def render(self, form, formset, applications, *, places=None, conflict=False):
        """`applications`: the people as shown (as posted, when a POST is shown again)."""
        candidate_list = self.candidate_list
        problems = rules.list_problems(candidate_list, applications)
        problems_of = {}
        for problem in problems:
            if problem.position is not None:
                application = applications[problem.position - 1]
                problems_of.setdefault(application.pk, []).append(problem)
        # "2 / 3" papers per person, for the stored list (not for a re-rendered POST).
        papers_of = {}
        if places is not None and not formset.is_bound:
            by_place = selectors.paperwork(places)
            for place in places:
                documents = by_place[place.pk]
                received = sum(1 for _document, event in documents if event and event.received)
                papers_of[place.application_id] = (received, len(documents))
        rows = []
        for row in formset.forms:
            application_id = _row_application(row)
            rows.append((row, problems_of.get(application_id, []), papers_of.get(application_id)))
        adminform = helpers.AdminForm(form, LIST_FIELDSETS, {}, model_admin=self.model_admin)
        council = candidate_list.council
        context = self.admin_context(
            title=str(candidate_list),
            adminform=adminform,
            form=form,
            formset=formset,
            rows=rows,
            media=self.model_admin.media + adminform.media,
            errors=helpers.AdminErrorList(form, []),
            list_problems=[p for p in problems if p.position is None],
            place_problems=[p for p in problems if p.position is not None],
            blocking_count=len(rules.blocking(problems)),
            count_text=limit_text(council, len(applications)),
            limit=council.max_list_length,
            history=selectors.history(candidate_list),
            conflict=conflict,
            can_change=self.model_admin.has_change_permission(self.request, candidate_list),
            has_delete_permission=self.model_admin.has_delete_permission(
                self.request, candidate_list
            ),
            show_history_link=self.request.user.has_perm(VIEW_ADMIN_HISTORY),
            statistics_url=(
                reverse("admin:statistics") if self.request.user.has_perm(VIEW_STATISTICS) else None
            ),
        )
        return render(self.request, self.template_name, context)


def _row_application(row):
    """The application id a row shows: as loaded, or as posted."""
    try:
        return int(row["application"].value())
    except (TypeError, ValueError):
        return None


class DirectEntryView(ListPageView):
    """Someone who never applied through the portal, put at the end of the list
    (services.add_person_directly)."""

    needs = "change"
    template_name = "admin/lists/candidatelist/direct_entry.html"

    def form(self, data=None):
        return DirectEntryForm(data, candidate_list=self.candidate_list, user=self.request.user)

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                person = services.add_person_directly(
                    self.candidate_list,
                    person=form.instance,
                    by=request.user,
                    seen_version=form.cleaned_data["version"],
                )
            except services.ListConflict:
                form.add_error(None, services.ListConflict.message)
            except services.ListRulesFailed as error:
                form.add_error(
                    None,
                    _(
                        "Die Liste ist als „%(status)s“ markiert und würde mit dieser Person "
                        "eine Regel verletzen:"
                    )
                    % {"status": self.candidate_list.get_status_display()},
                )
                for problem in error.problems:
                    form.add_error(None, problem.message)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(name)s steht jetzt auf Platz %(position)s.")
                    % {
                        "name": person.full_name,
                        "position": person.list_places.get(
                            candidate_list=self.candidate_list
                        ).position,
                    },
                )
                return HttpResponseRedirect(self.list_url())
        return self.render(form)

    def render(self, form):
        fieldsets = [
            (
                _("Angaben für den Wahlvorschlag (§ 21 Abs. 6 KWG LSA)"),
                {
                    "fields": [
                        ("first_names", "last_name"),
                        "occupation",
                        "date_of_birth",
                        "street",
                        ("postal_code", "town"),
                        "ortsteil",
                        "municipality",
                    ]
                },
            ),
            (_("Kontakt"), {"fields": ["email", "phone"]}),
            (
                _("Wählbarkeit"),
                {
                    "fields": [
                        "citizenship",
                        "resident_since",
                        "membership",
                        "member_of_other_party",
                        "works_for_local_authority",
                    ]
                },
            ),
            (None, {"fields": ["gender", "consent", "version"]}),
        ]
        adminform = helpers.AdminForm(form, fieldsets, {}, model_admin=self.model_admin)
        context = self.admin_context(
            title=_("Person direkt eintragen"),
            adminform=adminform,
            form=form,
            media=self.model_admin.media + adminform.media,
            errors=helpers.AdminErrorList(form, []),
        )
        return render(self.request, self.template_name, context)


class PaperworkView(ListPageView):
    """The paperwork checklist: per person the papers a Wahlvorschlag needs, each with
    who ticked it and when."""

    template_name = "admin/lists/candidatelist/paperwork.html"

    def get(self, request):
        places = selectors.places_of(self.candidate_list)
        paperwork = selectors.paperwork(places)
        rows = [
            (
                place,
                [
                    (document, event, display_name(event.recorded_by) if event else "")
                    for document, event in paperwork[place.pk]
                ],
            )
            for place in places
        ]
        context = self.admin_context(
            title=_("Unterlagen: %(list)s") % {"list": self.candidate_list},
            rows=rows,
            can_tick=self.model_admin.has_change_permission(request, self.candidate_list)
            and request.user.has_perm("lists.add_paperworkevent"),
        )
        return render(request, self.template_name, context)


class PaperworkTickView(ListPageView):
    """POST only: tick or untick one paper of one person (services.record_paperwork)."""

    needs = "change"
    http_method_names = ["post"]

    def post(self, request, place_id):
        if not request.user.has_perm("lists.add_paperworkevent"):
            raise PermissionDenied
        place = self.place_or_404(place_id)
        document = request.POST.get("document")
        if document not in rules.required_documents(place.application):
            raise Http404
        received = request.POST.get("received") == "1"
        services.record_paperwork(place, document=document, received=received, by=request.user)
        url = reverse("admin:lists_paperwork", args=[self.candidate_list.pk])
        return HttpResponseRedirect(f"{url}#platz-{place.position}")


class PrintView(ListPageView):
    """A plain page for the printer (static/lists/print.css), with a "Drucken" button."""

    def print_context(self, **extra):
        candidate_list = self.candidate_list
        return {
            "candidate_list": candidate_list,
            "council": candidate_list.council,
            "election": candidate_list.election,
            "party_name": settings.PORTAL_PARTY_NAME,
            "association_name": settings.PORTAL_ASSOCIATION_NAME,
            "several_areas": (candidate_list.council.electoral_areas or 1) > 1,
            "list_url": self.list_url(),
            **extra,
        }


class PrintListView(PrintView):
    """The list in order with exactly the particulars a Wahlvorschlag names (§ 21 Abs. 4
    and 6 KWG LSA), for the assembly."""

    template_name = "lists/print_list.html"

    def get(self, request):
        council = self.candidate_list.council
        context = self.print_context(
            places=selectors.places_of(self.candidate_list),
            show_ortsteil=council.kind == council.Kind.COUNCIL,
        )
        return render(request, self.template_name, context)


class PrintCandidatesView(PrintView):
    """Per person, the declarations to sign, prefilled with what the portal knows: the
    Zustimmungserklärung, the membership certificate or the declaration of being
    parteilos, and where needed the § 21 Abs. 12 and the EU declaration. One person, or
    everybody on the list."""

    template_name = "lists/print_candidates.html"

    def get(self, request, place_id=None):
        if place_id is None:
            places = selectors.places_of(self.candidate_list)
        else:
            places = [self.place_or_404(place_id)]
        sheets = []
        for place in places:
            person = place.application
            documents = rules.required_documents(person)
            sheets.append(
                {
                    "place": place,
                    "person": person,
                    "documents": documents,
                    "is_member": person.membership == Application.Membership.MEMBER,
                    "wants_to_join": person.membership == Application.Membership.WANTS_TO_JOIN,
                    "incompatibility": Document.INCOMPATIBILITY in documents,
                    "eu": Document.EU_DECLARATION in documents,
                }
            )
        context = self.print_context(sheets=sheets)
        return render(request, self.template_name, context)
