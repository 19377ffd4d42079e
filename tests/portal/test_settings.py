"""Production settings: safe by default, and Django's deployment checks pass."""

import os
import subprocess
import sys
from pathlib import Path

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
