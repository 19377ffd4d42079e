"""Pages in Leichte Sprache (German easy-to-read, Netzwerk Leichte Sprache rules).

They are German by design and live outside the language prefixes (portal.urls), so their
texts are not marked for translation. The facts they state come from where the portal
keeps them (candidates.eligibility, the confirmation period, the current election), so a
change there shows here too.
"""

from django.conf import settings
from django.views.generic import TemplateView

from candidates import eligibility
from candidates.models import Election

# The pages in reading order (URL name in easyread.urls, link text), for the list of
# pages at the end of each one.
PAGES = [
    ("overview", "Übersicht: Leichte Sprache"),
    ("council", "Was macht ein Gemeinde-Rat?"),
    ("candidacy", "Was heißt kandidieren?"),
    ("apply", "Wie bewirbst du dich?"),
    ("after_applying", "Was passiert nach der Bewerbung?"),
]


class EasyReadPage(TemplateView):
    page = ""  # its URL name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(easyread_page=self.page, easyread_pages=PAGES)
        return context


class OverviewView(EasyReadPage):
    page = "overview"
    template_name = "easyread/overview.html"


class CouncilView(EasyReadPage):
    page = "council"
    template_name = "easyread/council.html"


class CandidacyView(EasyReadPage):
    page = "candidacy"
    template_name = "easyread/candidacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            minimum_age=eligibility.MINIMUM_AGE,
            residence_months=eligibility.RESIDENCE_MONTHS,
        )
        return context


class AfterApplyingView(EasyReadPage):
    page = "after_applying"
    template_name = "easyread/after_applying.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            confirmation_days=settings.PORTAL_CONFIRMATION_MAX_AGE_DAYS,
            election=Election.objects.current(),
        )
        return context


class ApplyView(EasyReadPage):
    page = "apply"
    template_name = "easyread/apply.html"
