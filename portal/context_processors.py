import functools
from urllib.parse import urlencode

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The shipped German texts of PORTAL_SITE_TITLE and PORTAL_TAGLINE, marked for translation:
# a page in another language shows their translation. A party that sets its own text gets
# exactly that text in every language.
SHIPPED_TEXTS = {
    "Kandidier mit uns!": _("Kandidier mit uns!"),
    (
        "Bei der Kommunalwahl entscheidet sich, was vor deiner Haustür passiert. "
        "Mach mit – als Kandidat:in für deinen Gemeinderat, Stadtrat oder Kreistag."
    ): _(
        "Bei der Kommunalwahl entscheidet sich, was vor deiner Haustür passiert. "
        "Mach mit – als Kandidat:in für deinen Gemeinderat, Stadtrat oder Kreistag."
    ),
}


def setting_text(value):
    return SHIPPED_TEXTS.get(value, value)


def portal(request):
    return {
        "portal": {
            "party_name": settings.PORTAL_PARTY_NAME,
            "association_name": settings.PORTAL_ASSOCIATION_NAME,
            "site_title": setting_text(settings.PORTAL_SITE_TITLE),
            "tagline": setting_text(settings.PORTAL_TAGLINE),
            "state_office_email": settings.PORTAL_STATE_OFFICE_EMAIL,
        }
    }


class LanguageLinks:
    """The current page in every language of settings.LANGUAGES, for the language switch
    and the `hreflang` alternates; computed only when a template asks. Only on the public
    pages (districts.previews.PUBLIC_PAGES): never on a page whose address is a secret
    (Meine Bewerbung, thanks, confirmation) or on the staff pages."""

    def __init__(self, request):
        self.request = request

    @functools.cached_property
    def links(self):
        from districts.previews import PUBLIC_PAGES

        match = self.request.resolver_match
        if match is None or match.view_name not in PUBLIC_PAGES:
            return []
        current = get_language()
        # The page itself, and on the search its search term; nothing else of the query
        # (a campaign code is passed on only by the pages that checked it).
        path = self.request.path
        if match.view_name == "districts:search" and self.request.GET.get("q"):
            path += "?" + urlencode({"q": self.request.GET["q"]})
        links = [
            {
                "code": code,
                "name": name,
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ]
        return links

    def __iter__(self):
        return iter(self.links)

    def __bool__(self):
        return bool(self.links)


def languages(request):
    return {"language_links": LanguageLinks(request)}
