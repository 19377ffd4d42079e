from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View
from django_scopes import scopes_disabled

from candidates import abuse, services
from candidates.forms import ApplicationForm
from candidates.models import Application, Election, LegalDocument
from candidates.tokens import (
    InvalidToken,
    application_id_from_confirmation_token,
    application_id_from_thanks_token,
    thanks_token,
)
from districts.models import Municipality


class ApplyView(FormView):
    """The municipality's page: what can be won here, and the application form."""

    form_class = ApplicationForm
    template_name = "candidates/apply.html"

    def dispatch(self, request, *args, **kwargs):
        self.municipality = get_object_or_404(
            Municipality.objects.with_district(),
            district__slug=kwargs["district"],
            slug=kwargs["municipality"],
        )
        self.election = Election.objects.current()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(municipality=self.municipality, election=self.election)
        return kwargs

    def get(self, request, *args, **kwargs):
        if self.election is None:
            return self.render_closed()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.election is None:
            return self.render_closed()
        return super().post(request, *args, **kwargs)

    def render_closed(self):
        return render(
            self.request,
            "candidates/closed.html",
            {"municipality": self.municipality, "district": self.municipality.district},
        )

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if abuse.is_rate_limited(self.request, email):
            form.add_error(
                None,
                _(
                    "Von deiner Verbindung oder für diese E-Mail-Adresse sind gerade sehr "
                    "viele Bewerbungen eingegangen. Bitte versuch es später noch einmal "
                    "oder schreib dem Kreisverband."
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        try:
            application = services.submit_application(form.save(commit=False))
        except services.DuplicateApplication:
            form.add_error("email", form.duplicate_message())
            return self.form_invalid(form)
        abuse.count_submission(self.request, email)
        return redirect("candidates:thanks", token=thanks_token(application))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            municipality=self.municipality,
            district=self.municipality.district,
            election=self.election,
        )
        return context


def _application_from_token(token, decode):
    try:
        pk = decode(token)
    except InvalidToken:
        return None
    # Public page: the signed token, not a district scope, grants access to this one row.
    with scopes_disabled():
        return (
            Application.objects.select_related("municipality__district", "election")
            .filter(pk=pk)
            .first()
        )


class ThanksView(TemplateView):
    template_name = "candidates/thanks.html"

    def get(self, request, *args, **kwargs):
        application = _application_from_token(kwargs["token"], application_id_from_thanks_token)
        if application is None:
            raise Http404
        context = {
            "application": application,
            "municipality": application.municipality,
            "district": application.municipality.district,
            "reasons": application.ineligibility_explanations,
            "incompatibility_note": application.incompatibility_note,
        }
        return self.render_to_response(context)


class ConfirmView(View):
    """Double opt-in. GET shows a button and changes nothing (mail scanners open links);
    POST confirms."""

    template_name = "candidates/confirm.html"

    def get(self, request, token):
        application = _application_from_token(token, application_id_from_confirmation_token)
        if application is None:
            return self._render_invalid(request)
        return render(
            request,
            self.template_name,
            {"application": application, "district": application.municipality.district},
        )

    def post(self, request, token):
        application = _application_from_token(token, application_id_from_confirmation_token)
        if application is None:
            return self._render_invalid(request)
        if services.confirm_application(application):
            messages.success(request, _("Danke! Deine E-Mail-Adresse ist bestätigt."))
        return redirect(reverse("candidates:confirm", kwargs={"token": token}))

    def _render_invalid(self, request):
        # The confirmation mail names the same number of days.
        context = {"max_age_days": settings.PORTAL_CONFIRMATION_MAX_AGE_DAYS}
        return render(request, "candidates/confirm_invalid.html", context, status=400)


class LegalDocumentView(TemplateView):
    template_name = "candidates/legal.html"
    kind = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["document"] = LegalDocument.current(self.kind)
        context["title"] = LegalDocument.Kind(self.kind).label
        return context
