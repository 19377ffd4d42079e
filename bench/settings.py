"""Production settings plus what only the benches need: a bare view (the stack's ceiling)
at /bench/bare/, and the static files collected into a temporary folder. Never used by
the portal itself."""

import os

from portal.settings import *  # noqa: F403

STATIC_ROOT = os.environ.get("PORTAL_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
ROOT_URLCONF = "bench.urls"
