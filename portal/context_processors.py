from django.conf import settings


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
