"""Test settings: the real settings with fast hashing and in-memory mail."""

import os

os.environ.setdefault("PORTAL_SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")

from portal.settings import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tests change the database and look at the page at once; tests/portal/test_pagecache.py
# switches the page cache on where it is the subject.
PORTAL_PAGE_CACHE_SECONDS = 0
PORTAL_BASE_URL = "http://testserver"
# The database cache outlives transactional (e2e) tests; tests that check the limits set
# them low themselves (tests/candidates/test_abuse.py).
PORTAL_APPLICATIONS_PER_IP_PER_HOUR = 1000
PORTAL_APPLICATIONS_PER_EMAIL_PER_DAY = 1000
