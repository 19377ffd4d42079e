from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app: its management commands (demo_totp), the
    receiver that keeps the `Site` row in step with the settings, and the page cache's
    receivers (portal.pagecache). It has no models.
    (The second factor's receivers and checks are in accounts.apps.)"""

    name = "portal"
    verbose_name = "Kandidat:innenportal"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from portal import pagecache, sites

        # A write that can change a public page makes the cached pages stale.
        pagecache.connect_signals()

        # After the sites app's own receiver, which creates the default row.
        post_migrate.connect(
            sites.sync_site, sender=apps.get_app_config("sites"), dispatch_uid="portal.sites"
        )
