"""The headers that let exactly a district's own websites frame its embeddable pages.

Every other response keeps the project-wide `X-Frame-Options: DENY` and
`Content-Security-Policy: frame-ancestors 'none'` (portal/settings.py)."""

from embed.origins import allowed_origins


def allow_framing_by(response, district):
    """Let the district's configured origins, and only those, frame this response."""
    origins = allowed_origins(district)
    if origins:
        # CSP frame-ancestors is what browsers obey; X-Frame-Options cannot list origins,
        # and a browser that knows neither header would also ignore DENY.
        response._csp_replace = {"frame-ancestors": origins}
        response.xframe_options_exempt = True
    return response


def is_same_origin_post(request):
    """The application form in a frame is sent without cookies (a third-party cookie
    would be blocked by Safari and Firefox, and by Chrome in many settings), so it cannot
    use Django's CSRF cookie. It is protected the way browsers make possible without
    one: the browser says where the form was sent from (`Origin`, on every POST of a
    current browser; `Sec-Fetch-Site` where a privacy setting drops it), and only a page
    of this portal itself may send it. A page elsewhere, even an allowed homepage, gets
    the refusal."""
    own = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == own
    return request.headers.get("Sec-Fetch-Site") == "same-origin"


def embed_snippet(district):
    """The HTML a district team pastes into its homepage (shown in the district's admin
    page). The script's address has no content hash, so a snippet keeps working after
    every deployment."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils.html import escape
    from django.utils.translation import gettext as _

    base = settings.PORTAL_BASE_URL.rstrip("/")
    static = settings.STATIC_URL if "://" in settings.STATIC_URL else base + settings.STATIC_URL
    title = _("Kandidieren im Kreisverband %(name)s") % {"name": district.name}
    return (
        f'<iframe src="{base}{reverse("embed:district", args=[district.slug])}" '
        f'title="{escape(title)}" style="width:100%;height:50rem;border:0" '
        f'loading="lazy"></iframe>\n'
        f'<script src="{static}embed/resize.js" async></script>'
    )
