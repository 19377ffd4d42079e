"""The portal's URLs plus one bare view: what the same Django, with the same middleware,
serves when a view does nothing."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include("portal.urls"))]
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
