"""'Meine Bewerbung': the applicant's own pages, opened by the personal link from every
mail (selfservice.tokens). Any token that does not open an application — malformed,
unknown, rotated away, expired — gets the portal's ordinary 404 page, the same for all."""

import copy
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View
from django_scopes import scopes_disabled

from candidates import abuse, services
from candidates.models import Application, display_name
from candidates.views import NoStoreMixin
from portal.views import page_not_found
from selfservice.forms import CorrectionForm, NewLinkForm
from selfservice.selectors import stored_data, stored_data_json
from selfservice.services import request_new_link
from selfservice.tokens import application_for_token

Status = Application.Status

# Where the application stands, and what happens next, in the applicant's words.
STATUS_TEXTS = {
    Status.UNCONFIRMED: (
        _("Deine Bewerbung ist bei uns, aber deine E-Mail-Adresse ist noch nicht bestätigt."),
        _(
            "Bitte bestätige sie mit dem Link aus unserer ersten E-Mail. Ist die E-Mail weg, "
            "fordere unten einen neuen Link an: Du bekommst dann auch den Bestätigungslink "
            "noch einmal. Erst nach der Bestätigung sieht der Kreisverband deine Bewerbung."
        ),
    ),
    Status.NEW: (
        _("Deine Bewerbung ist angekommen. Das Team des Kreisverbands schaut sie sich an."),
        _("Das Team meldet sich bei dir, meist per E-Mail oder Telefon."),
    ),
    Status.CONTACTED: (
        _("Das Team des Kreisverbands ist mit dir in Kontakt."),
        _("Ihr besprecht, wie es weitergeht – zum Beispiel ein erstes Gespräch."),
    ),
    Status.INTERVIEW: (
        _("Ein Gespräch mit dem Kreisverband ist vereinbart."),
        _("Danach entscheidet die Partei vor Ort, wer auf die Liste kommt."),
    ),
    Status.NOMINATED: (
        _("Du bist nominiert: Der Kreisverband möchte dich auf die Liste setzen."),
        _(
            "Der Kreisverband meldet sich wegen der Aufstellungsversammlung und der "
            "Unterlagen, die du unterschreiben musst."
        ),
    ),
    Status.NOT_CONSIDERED: (
        _("Diesmal hat es mit einem Listenplatz nicht geklappt."),
        _(
            "Danke für dein Interesse! Engagieren kannst du dich trotzdem – frag den "
            "Kreisverband, wo du mitmachen kannst."
        ),
    ),
    Status.WITHDRAWN: (
        _("Du hast deine Bewerbung zurückgezogen."),
        _(
            "Der Kreisverband plant nicht mehr mit dir. Wenn du es dir anders überlegst, "
            "schreib ihm. Löschen kannst du deine Daten hier jederzeit."
        ),
    ),
}


class _ApplicationFromToken:
    """Looks up the application the link's token opens; anything else is the 404 page."""

    def dispatch(self, request, *args, **kwargs):
        self.token = kwargs["token"]
        self.application = application_for_token(self.token)
        if self.application is None:
            return page_not_found(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            application=self.application,
            district=self.application.municipality.district,
            token=self.token,
        )
        return context


class ApplicantPage(NoStoreMixin, _ApplicationFromToken):
    """No-store, no-referrer and noindex for the page and its 404 alike."""


class OverviewView(ApplicantPage, TemplateView):
    template_name = "selfservice/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        where, next_step = STATUS_TEXTS[self.application.status]
        assignee = self.application.assignee
        context.update(
            where=where,
            next_step=next_step,
            contact_person=display_name(assignee) if assignee else "",
            state_office_email=settings.PORTAL_STATE_OFFICE_EMAIL,
            may_withdraw=self.application.status != Status.WITHDRAWN,
            missing_details=self.application.missing_details,
        )
        return context


class CorrectView(ApplicantPage, FormView):
    template_name = "selfservice/correct.html"
    form_class = CorrectionForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The form works on a copy: the stored values are compared with it afterwards.
        kwargs["instance"] = copy.copy(self.application)
        return kwargs

    def form_valid(self, form):
        changes = form.changed_values(self.application)
        if not changes:
            messages.info(self.request, _("Du hast nichts geändert."))
            return redirect("selfservice:overview", token=self.token)
        try:
            services.update_application(self.application, by=None, changes=changes)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Danke! Deine Angaben sind gespeichert."))
        return redirect("selfservice:overview", token=self.token)


class WithdrawView(ApplicantPage, TemplateView):
    """GET asks; POST withdraws (candidates.services.withdraw_application)."""

    template_name = "selfservice/withdraw.html"

    def post(self, request, *args, **kwargs):
        try:
            withdrawn = services.withdraw_application(self.application)
        except ValidationError as error:
            messages.info(request, error.messages[0])
            return redirect("selfservice:overview", token=self.token)
        if withdrawn is None:  # unconfirmed: erased instead
            return redirect("selfservice:deleted")
        messages.success(
            request, _("Deine Bewerbung ist zurückgezogen. Der Kreisverband weiß Bescheid.")
        )
        return redirect("selfservice:overview", token=self.token)


class MyDataView(ApplicantPage, TemplateView):
    template_name = "selfservice/my_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["data"] = stored_data(self.application)
        return context


class MyDataJSONView(ApplicantPage, View):
    def get(self, request, *args, **kwargs):
        body = json.dumps(stored_data_json(self.application), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="meine-bewerbung.json"'
        return response


class DeleteView(ApplicantPage, TemplateView):
    """GET asks; POST erases everything (candidates.services.erase_applications)."""

    template_name = "selfservice/delete.html"

    def post(self, request, *args, **kwargs):
        # The link, not a district scope, grants this (the request's scope has no district).
        with scopes_disabled():
            erasing = Application.objects.filter(pk=self.application.pk)
            services.erase_applications(erasing, by=None)
        return redirect("selfservice:deleted")


class DeletedView(NoStoreMixin, TemplateView):
    template_name = "selfservice/deleted.html"


class NewLinkView(NoStoreMixin, FormView):
    """Ask for a new personal link. The answer is the same whatever address is typed:
    only the address's owner learns, by mail, whether there is an application."""

    template_name = "selfservice/new_link.html"
    form_class = NewLinkForm

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not abuse.client_submission_allowed(request):
            return abuse.over_client_limit_response(
                self,
                form,
                _(
                    "Von deiner Verbindung sind gerade sehr viele Anfragen gekommen. Bitte "
                    "versuch es in einer Stunde noch einmal oder schreib dem Kreisverband."
                ),
            )
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_valid(self, form):
        request_new_link(form.cleaned_data["email"])
        return redirect("selfservice:new_link_sent")


class NewLinkSentView(NoStoreMixin, TemplateView):
    template_name = "selfservice/new_link_sent.html"
