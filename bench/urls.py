"""The portal's URLs plus one bare view: what the same Django, with the same middleware,
serves when a view does nothing."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


# Spread, not included: Django finds the language prefixes (i18n_patterns) only among
# the root URLconf's own patterns.
urlpatterns = [path("bench/bare/", bare), *portal_urlpatterns]
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
