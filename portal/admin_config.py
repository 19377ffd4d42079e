"""The app config that replaces "django.contrib.admin" in INSTALLED_APPS. Its own module:
an AppConfig imported into portal/apps.py would count as a second default there."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's admin site (portal.admin_site) as
    `admin.site`, so every `@admin.register` lands on it."""

    default_site = "portal.admin_site.PortalAdminSite"
