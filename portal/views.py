import re

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$")


def safe_color(value, fallback):
    """Only hex colours reach the stylesheet, so a setting cannot inject CSS."""
    return value if _HEX_COLOR.match(value or "") else fallback


@require_GET
@cache_control(max_age=3600, public=True)
def theme_css(request):
    """The party's colours as CSS custom properties, so templates need no inline styles."""
    css = (
        ":root {\n"
        f"  --portal-primary: {safe_color(settings.PORTAL_PRIMARY_COLOR, '#e3000f')};\n"
        f"  --portal-on-primary: {safe_color(settings.PORTAL_PRIMARY_TEXT_COLOR, '#ffffff')};\n"
        "}\n"
    )
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@require_GET
def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)


def page_not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def server_error(request):
    # Rendered without context processors or a request: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
