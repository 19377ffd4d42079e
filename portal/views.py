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


def _rgb(hex_color):
    digits = hex_color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))


def relative_luminance(hex_color):
    """WCAG 2 relative luminance of a hex colour."""
    linear = [
        channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
        for channel in (value / 255 for value in _rgb(hex_color))
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first, second):
    """WCAG 2 contrast ratio of two hex colours (1 to 21)."""
    darker, lighter = sorted((relative_luminance(first), relative_luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)


# Checked radios and checkboxes are filled with the party's colour, with a white mark on
# it: 4.5:1 against white keeps both the box (WCAG 1.4.11, 3:1) and its mark visible,
# also on the light grey boxes (#f4f4f4) some pages put forms on.
CONTROL_CONTRAST = 4.5


def control_color(primary):
    """The party's colour, darkened just enough (towards black) to reach CONTROL_CONTRAST
    against white; a light configured colour must not make checked boxes invisible."""
    red, green, blue = _rgb(primary)
    for step in range(101):
        factor = 1 - step / 100
        candidate = "#{:02x}{:02x}{:02x}".format(
            *(round(channel * factor) for channel in (red, green, blue))
        )
        if contrast_ratio(candidate, "#ffffff") >= CONTROL_CONTRAST:
            return candidate
    return "#000000"


@require_GET
@cache_control(max_age=3600, public=True)
def theme_css(request):
    """The party's colours as CSS custom properties, so templates need no inline styles."""
    primary = safe_color(settings.PORTAL_PRIMARY_COLOR, "#e3000f")
    css = (
        ":root {\n"
        f"  --portal-primary: {primary};\n"
        f"  --portal-on-primary: {safe_color(settings.PORTAL_PRIMARY_TEXT_COLOR, '#ffffff')};\n"
        f"  --portal-control-checked: {control_color(primary)};\n"
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
