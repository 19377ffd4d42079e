from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts.views import MFASetupGuideView
from portal import views

urlpatterns = [
    # portal.admin_site.PortalAdminSite: allauth sign-in, scoped "view on site".
    path("verwaltung/", admin.site.urls),
    path(
        "konto/zwei-faktor/",
        MFASetupGuideView.as_view(),
        name="portal_mfa_setup",
    ),
    path("konto/", include("allauth.urls")),
    path("theme.css", views.theme_css, name="theme_css"),
    # Leichte Sprache: German by design, so outside the language prefixes (easyread.views).
    path("leichte-sprache/", include("easyread.urls")),
    # Browsers ask for /favicon.ico on every page, the admin's included.
    path("favicon.ico", views.favicon),
] + i18n_patterns(
    # The public pages in every language of settings.LANGUAGES: German at today's
    # addresses, the others under their prefix (/en/harz/wernigerode/). Staff pages
    # above stay German. Slugs never take a language code (districts.slugs).
    # Fixed pages first: `<district>/` below would match any single segment.
    path("meine-bewerbung/", include("selfservice.urls")),
    # Chrome-less pages for a frame on a district's own homepage (embed.framing).
    path("einbetten/", include("embed.urls")),
    path("", include("candidates.urls")),
    path("", include("districts.urls")),
    prefix_default_language=False,
)

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
