import pytest
from django.conf import settings
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_memory_cache():
    """Rate-limit counters and used TOTP codes live in the cache. The test settings use
    the database cache, rolled back with each test; a LocMemCache (PORTAL_DEBUG=1 in the
    environment) would carry them from one test into the next."""
    in_memory = settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    if in_memory:
        cache.clear()
    yield
    if in_memory:
        cache.clear()
