from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    """Staff accounts and roles: the role groups (accounts.roles), the user and group
    admins, the second factor (accounts.mfa) and allauth's adapter. It has no models of
    its own; its migrations keep the role groups in step with accounts.roles."""

    name = "accounts"
    verbose_name = "Konten und Rollen"

    def ready(self):
        from allauth.mfa.signals import authenticator_added
        from django.contrib.auth.signals import user_logged_in

        from accounts import checks as account_checks
        from accounts import mfa

        user_logged_in.connect(mfa.forget_abandoned_sign_ins, dispatch_uid="accounts.mfa.login")
        authenticator_added.connect(
            mfa.count_activation_as_second_factor, dispatch_uid="accounts.mfa.activation"
        )
        checks.register(account_checks.check_mfa_encryption_key)
        checks.register(account_checks.check_mfa_encryption_key_set, deploy=True)
