"""Production settings: safe by default, and Django's deployment checks pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import env_bool

BASE_DIR = Path(__file__).resolve().parents[2]
FERNET_KEY = "4yJmY5b0lq8P0qTq4wq7Yk0f0dIYQ6P5mQkq2Xx2cWk="  # test only


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "DJANGO_"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_secret_key_and_debug_the_portal_refuses_to_start():
    result = manage("check", env={})
    assert result.returncode != 0
    # One clear line, not a traceback.
    assert result.stderr == (
        "manage.py: PORTAL_SECRET_KEY must be set when PORTAL_DEBUG is off "
        "(for local use: PORTAL_DEBUG=1, see README.md).\n"
    )


def test_deployment_checks_pass_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "PORTAL_SECRET_KEY": "k3y-" + "x7Q!pz9" * 8,
            "PORTAL_ALLOWED_HOSTS": "kandidieren.example.org",
            "PORTAL_MFA_ENCRYPTION_KEY": FERNET_KEY,
            "PORTAL_HSTS_PRELOAD": "1",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


# --- On/off variables ---------------------------------------------------------------

PRODUCTION_ENV = {
    "PORTAL_SECRET_KEY": "k3y-" + "x7Q!pz9" * 8,
    "PORTAL_ALLOWED_HOSTS": "kandidieren.example.org",
    "PORTAL_MFA_ENCRYPTION_KEY": FERNET_KEY,
}


def production_setting(name, env):
    """A setting as portal.settings computes it in a fresh process with `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "DJANGO_"))}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import portal.settings as s; print(repr(s.{name}))"],
        env={**clean, **PRODUCTION_ENV, **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_ssl_redirect_keeps_the_redirect_on(value):
    """`PORTAL_SSL_REDIRECT=` (a template left half-filled) used to turn the redirect off
    silently; empty means "the default", which is on."""
    assert production_setting("SECURE_SSL_REDIRECT", {"PORTAL_SSL_REDIRECT": value}) == "True"


@pytest.mark.parametrize(("value", "expected"), [("0", "False"), ("off", "False"), ("1", "True")])
def test_ssl_redirect_can_still_be_switched(value, expected):
    assert production_setting("SECURE_SSL_REDIRECT", {"PORTAL_SSL_REDIRECT": value}) == expected


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [
        (None, True, True),
        (None, False, False),
        ("", True, True),
        ("", False, False),
        (" \t", True, True),
        ("1", False, True),
        ("true", False, True),
        (" Yes ", False, True),
        ("ON", False, True),
        ("0", True, False),
        ("false", True, False),
        ("No", True, False),
        ("off", True, False),
    ],
)
def test_env_bool_reads_on_off_and_empty_as_default(value, default, expected, monkeypatch):
    if value is None:
        monkeypatch.delenv("PORTAL_TEST_SWITCH", raising=False)
    else:
        monkeypatch.setenv("PORTAL_TEST_SWITCH", value)

    assert env_bool("PORTAL_TEST_SWITCH", default) is expected


@pytest.mark.parametrize("value", ["maybe", "2", "enabled", "tru"])
def test_env_bool_refuses_unclear_values_naming_the_variable(value, monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_SWITCH", value)

    with pytest.raises(ImproperlyConfigured) as error:
        env_bool("PORTAL_TEST_SWITCH", True)

    assert "PORTAL_TEST_SWITCH" in str(error.value)
    assert repr(value) in str(error.value)


def test_unclear_switch_stops_the_portal_with_one_clear_line():
    result = manage("check", env={**PRODUCTION_ENV, "PORTAL_SSL_REDIRECT": "maybe"})

    assert result.returncode != 0
    assert result.stderr.startswith("manage.py: PORTAL_SSL_REDIRECT ")
    assert "'maybe'" in result.stderr
    assert result.stderr.count("\n") == 1
