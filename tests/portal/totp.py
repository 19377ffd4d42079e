"""TOTP codes in tests, computed from the secret as an authenticator app would."""

import time

from allauth.mfa import app_settings as mfa_settings

from portal.demo import current_totp_code, totp_secret

# allauth accepts only the current 30-second window (MFA_TOTP_TOLERANCE 0), so a code
# computed just before the window ends would fail when posted just after it.
MIN_SECONDS_LEFT = 2


def wait_for_fresh_totp_period(min_seconds_left=MIN_SECONDS_LEFT):
    """Sleep (at most a few seconds) until the current window has time left."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < min_seconds_left:
        time.sleep(left + 0.05)


def code_for(user):
    """The current code of `user`'s TOTP device, from a window with time left."""
    wait_for_fresh_totp_period()
    code, _seconds_left = current_totp_code(totp_secret(user))
    return code
