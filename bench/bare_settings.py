"""A minimal Django project in one module, for bench/pages.py: the "bare Django view" of
issue 12 (the stack's ceiling without the portal). No apps, no middleware, no database,
DEBUG off; one view that answers "ok". Served by gunicorn as
`django.core.wsgi:get_wsgi_application()` with DJANGO_SETTINGS_MODULE=bench.bare_settings.
Never used by the portal itself."""

import os

from django.http import HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = os.environ.get("BARE_SECRET_KEY", "bench-only-not-a-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
ROOT_URLCONF = __name__


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare)]
