import re

from django.conf import settings

_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$")


def safe_color(value, fallback):
    """Only hex colours reach the stylesheet, so a setting cannot inject CSS."""
    return value if _HEX_COLOR.match(value or "") else fallback


def portal(request):
    return {
        "portal": {
            "party_name": settings.PORTAL_PARTY_NAME,
            "association_name": settings.PORTAL_ASSOCIATION_NAME,
            "site_title": settings.PORTAL_SITE_TITLE,
            "tagline": settings.PORTAL_TAGLINE,
            "state_office_email": settings.PORTAL_STATE_OFFICE_EMAIL,
        }
    }
