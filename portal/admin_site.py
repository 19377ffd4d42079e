"""The admin site of the portal (`/verwaltung/`): Django's AdminSite with what the portal
changes about it in one place.

- Sign-in goes through allauth (rate limits; accounts.mfa.StaffMFAMiddleware then demands
  the second factor), never through the admin's own login form.
- The "view on site" shortcut (`r/<content type>/<object>/`) is replaced, not shadowed:
  Django's `contenttypes.views.shortcut` loads the object with `_base_manager`, past the
  admin's queryset and django-scopes, so it told for any id whether an application
  exists. A scoped view in front of it caught only ids that Django's `int` converter
  accepts; `+9`, `9%20` or Arabic-Indic `٩` fell through to the unscoped original
  (which `int()` reads as 9). Now there is one route, and it answers 404 for anything
  but plain ASCII digits before it looks anything up.
- The overview pages (`uebersicht/`, lists.overview): where candidates are still missing.
- The statistics and export pages (`auswertung/`, `export/`, reports.admin_urls).
- The index's "Recent actions" box lists only entries about objects the user may still
  see (`recent_actions`; templates/admin/index.html): a chair who left a district must
  not read its applicants' names in old log entries.
"""

import re

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import path

PLAIN_ID = re.compile(r"[1-9][0-9]{0,17}")


class PortalAdminSite(admin.AdminSite):
    site_header = "Kandidat:innenportal – Verwaltung"
    site_title = "Kandidat:innenportal"
    index_title = "Verwaltung"

    def login(self, request, extra_context=None):
        return secure_admin_login(super().login)(request, extra_context)

    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        scoped = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        # The overview pages (lists.overview): any staff member, scoped by districts_for.
        # Imported here: the site is built before the apps' models are loaded.
        from lists.overview import DistrictOverviewView, OverviewView

        overview = [
            path(
                "uebersicht/",
                self.admin_view(OverviewView.as_view(admin_site=self)),
                name="overview",
            ),
            path(
                "uebersicht/<str:district>/",
                self.admin_view(DistrictOverviewView.as_view(admin_site=self)),
                name="overview_district",
            ),
        ]
        # The statistics and export pages (reports.admin_urls).
        from reports.admin_urls import urls as reports_urls

        # Before the per-model routes and the catch-all, where Django's own one stood.
        return [scoped, *overview, *reports_urls(self), *urls]

    def index(self, request, extra_context=None):
        extra_context = {
            "recent_actions": self.recent_actions(request)[:10],
            **(extra_context or {}),
        }
        return super().index(request, extra_context)

    def recent_actions(self, request):
        """The user's own log entries (as Django shows them), without entries for objects
        of a district-scoped admin that the user cannot see now — another district's,
        ones the user lost access to, and deleted ones (their repr would be all that is
        left)."""
        from districts.admin import DistrictScopedAdmin

        entries = LogEntry.objects.filter(user_id=request.user.pk).select_related("content_type")
        for model, model_admin in self._registry.items():
            if not isinstance(model_admin, DistrictScopedAdmin):
                continue
            visible = (
                model_admin.get_queryset(request)
                .order_by()
                .annotate(pk_text=Cast("pk", output_field=CharField()))
                .values("pk_text")
            )
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            entries = entries.exclude(Q(content_type=content_type) & ~Q(object_id__in=visible))
        return entries

    def view_on_site(self, request, content_type_id, object_id):
        """Redirect to the object's public page if the user may see the object in the
        admin; 404 otherwise, the same as for an id that does not exist."""
        if not (PLAIN_ID.fullmatch(content_type_id) and PLAIN_ID.fullmatch(object_id)):
            raise Http404
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except ContentType.DoesNotExist as error:
            raise Http404 from error
        if model is None:
            raise Http404
        if self.is_registered(model):
            queryset = self.get_model_admin(model).get_queryset(request)
        else:
            # Models without an admin: the default manager, which the request's district
            # scope limits for district-bound models (portal.scoping).
            queryset = model._default_manager.all()
        if not queryset.filter(pk=int(object_id)).exists():
            raise Http404
        return shortcut(request, content_type_id, object_id)
