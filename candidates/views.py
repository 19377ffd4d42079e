from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View
from django_scopes import scopes_disabled

from campaigns.models import QUERY_PARAMETER, source_for
from candidates import abuse, eligibility, services
from candidates.forms import ApplicationForm, rendered_empty_form
from candidates.models import Application, Election, LegalDocument
from candidates.tokens import (
    InvalidToken,
    application_id_from_confirmation_token,
    load_thanks_page,
    store_thanks_page,
)
from districts.models import Council, Municipality
from districts.selectors import public_municipality
from lists.public import open_places_for


def page_language():
    """The active language as one of settings.LANGUAGES (German if it is none of them)."""
    try:
        return get_supported_language_variant(get_language())
    except LookupError:
        return settings.LANGUAGE_CODE


class ApplyView(FormView):
    """The municipality's page: what can be won here, and the application form."""

    form_class = ApplicationForm
    template_name = "candidates/apply.html"

    def dispatch(self, request, *args, **kwargs):
        self.municipality = public_municipality(kwargs["district"], kwargs["municipality"])
        if self.municipality is None:
            raise Http404
        self.election = Election.objects.current()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(municipality=self.municipality, election=self.election)
        return kwargs

    def get_initial(self):
        # The campaign source of the link (`?quelle=<code>`) rides along in a hidden field,
        # if it is one of this district's; anything else is ignored silently.
        source = source_for(
            self.request.GET.get(QUERY_PARAMETER), district=self.municipality.district
        )
        return {QUERY_PARAMETER: source.code} if source else {}

    def get(self, request, *args, **kwargs):
        if self.election is None:
            return self.render_closed()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.election is None:
            return self.render_closed()
        form = self.get_form()
        # Every submission counts, with errors or without, before anything is checked:
        # the form is no free probe. The answer over the limit is the same for any input.
        if not abuse.client_submission_allowed(request):
            return abuse.over_client_limit_response(
                self,
                form,
                _(
                    "Von deiner Verbindung sind gerade sehr viele Bewerbungen gekommen. "
                    "Bitte versuch es in einer Stunde noch einmal oder schreib dem "
                    "Kreisverband."
                ),
            )
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def render_closed(self):
        return render(
            self.request,
            "candidates/closed.html",
            {"municipality": self.municipality, "district": self.municipality.district},
        )

    def form_valid(self, form):
        # Whether this stored an application, told the address it had applied already,
        # or did nothing (mail limit), the answer is the same: see submit_application.
        application = form.save(commit=False)
        # The page's language (its prefix): later mails to this person are written in it.
        application.language = page_language()
        application.source = source_for(
            form.cleaned_data.get(QUERY_PARAMETER), district=self.municipality.district
        )
        services.submit_application(application)
        return self.thanks_redirect(store_thanks_page(application))

    def thanks_redirect(self, token):
        return redirect("candidates:thanks", token=token)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            municipality=self.municipality,
            district=self.municipality.district,
            election=self.election,
            # Its Gemeinderat/Stadtrat: seats and list length, expected or official.
            council=Council.objects.filter(
                kind=Council.Kind.COUNCIL, municipality=self.municipality
            ).first(),
        )
        # Open places on our list, where the district shows them (staff decisions only).
        context["open_places"] = open_places_for(self.municipality, self.election)
        # What standing means, expects and offers: before the form (the state office's text).
        context["expectations"] = LegalDocument.current(LegalDocument.Kind.EXPECTATIONS)
        # The live hint (static/js/eligibility-hint.js) reads the election day and the
        # reasons' texts from the page: one source of text, candidates.eligibility.
        context["eligibility_reasons"] = eligibility.REASONS
        form = context.get("form")
        if form is not None and not form.is_bound:
            # The empty form, rendered once per municipality and language (forms.py).
            context["form_html"] = rendered_empty_form(form)
        if self.election is not None:
            context["hint_dates"] = eligibility.live_hint_dates(self.election.election_day)
        return context


class NoStoreMixin:
    """Pages for one applicant's eyes: not cached by browsers or proxies, not indexed,
    and their URL never sent on as a referrer."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, " + response["Cache-Control"]
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response


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


class ThanksView(NoStoreMixin, TemplateView):
    """What happens next, from what the form was sent with — never from the database, so
    that it reads the same whether or not the address had applied before. No name and no
    e-mail address on it: its link is a random key (candidates.tokens.store_thanks_page)
    that lives an hour."""

    template_name = "candidates/thanks.html"

    def get(self, request, *args, **kwargs):
        page = load_thanks_page(kwargs["token"])
        if page is None:
            raise Http404
        municipality = get_object_or_404(
            Municipality.objects.with_district(), pk=page["municipality"]
        )
        context = {
            "municipality": municipality,
            "district": municipality.district,
            "reasons": eligibility.explain(page["reasons"]),
            "incompatibility_note": eligibility.INCOMPATIBILITY_NOTE
            if page["works_for_local_authority"]
            else None,
        }
        return self.render_to_response(context)


class ConfirmView(View):
    """Double opt-in. GET shows a button and changes nothing (mail scanners open links);
    POST confirms."""

    template_name = "candidates/confirm.html"

    def get(self, request, token):
        application = _application_from_token(token, application_id_from_confirmation_token)
        if application is None or application.confirmation_expired():
            return self._render_invalid(request)
        return render(
            request,
            self.template_name,
            {"application": application, "district": application.municipality.district},
        )

    def post(self, request, token):
        application = _application_from_token(token, application_id_from_confirmation_token)
        if application is None or application.confirmation_expired():
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
