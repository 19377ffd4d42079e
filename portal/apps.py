from django.apps import AppConfig
from django.core import checks


class PortalConfig(AppConfig):
    """The project package as an app: its management commands (demo_totp), system checks
    and the signal receivers of portal.mfa. It has no models."""

    name = "portal"
    verbose_name = "Kandidat:innenportal"

    def ready(self):
        from allauth.mfa.signals import authenticator_added
        from django.apps import apps
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from portal import checks as portal_checks
        from portal import mfa, sites

        user_logged_in.connect(mfa.forget_abandoned_sign_ins, dispatch_uid="portal.mfa.login")
        authenticator_added.connect(
            mfa.count_activation_as_second_factor, dispatch_uid="portal.mfa.activation"
        )
        # After the sites app's own receiver, which creates the default row.
        post_migrate.connect(
            sites.sync_site, sender=apps.get_app_config("sites"), dispatch_uid="portal.sites"
        )
        checks.register(portal_checks.check_mfa_encryption_key)
        checks.register(portal_checks.check_mfa_encryption_key_set, deploy=True)
