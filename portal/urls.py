from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from districts.admin import view_on_site
from portal import accounts, views

admin.site.site_header = "Kandidat:innenportal – Verwaltung"
admin.site.site_title = "Kandidat:innenportal"
admin.site.index_title = "Verwaltung"
# Staff sign in through allauth (rate limits, second factor), never through the admin's
# own login form. portal.mfa.StaffMFAMiddleware makes the second factor mandatory.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    # Before the admin's own `r/…` (Django's shortcut reads past the district scope).
    path(
        "verwaltung/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="scoped_view_on_site",
    ),
    path("verwaltung/", admin.site.urls),
    path(
        "konto/zwei-faktor/",
        accounts.MFASetupGuideView.as_view(),
        name="portal_mfa_setup",
    ),
    path("konto/", include("allauth.urls")),
    path("theme.css", views.theme_css, name="theme_css"),
    # Browsers ask for /favicon.ico on every page, the admin's included.
    path("favicon.ico", views.favicon),
    # Fixed pages first: `<district>/` below would match any single segment.
    path("", include("candidates.urls")),
    path("", include("districts.urls")),
]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
