"""System checks for the second factor's encryption key (accounts.mfa)."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import checks


def check_mfa_encryption_key(app_configs=None, **kwargs):
    from accounts.mfa import configured_fernet_keys

    for key in configured_fernet_keys():
        try:
            Fernet(key)
        except ValueError:
            return [
                checks.Error(
                    "PORTAL_MFA_ENCRYPTION_KEY is not a list of Fernet keys.",
                    hint="Generate one with: python -c 'from cryptography.fernet import "
                    "Fernet; print(Fernet.generate_key().decode())'",
                    id="accounts.E001",
                )
            ]
    return []


def check_mfa_encryption_key_set(app_configs=None, **kwargs):
    if settings.PORTAL_MFA_ENCRYPTION_KEY:
        return []
    return [
        checks.Warning(
            "PORTAL_MFA_ENCRYPTION_KEY is not set: second-factor secrets are encrypted with "
            "a key derived from SECRET_KEY, so changing SECRET_KEY without keeping the old "
            "one in SECRET_KEY_FALLBACKS locks every staff member out.",
            id="accounts.W001",
        )
    ]
