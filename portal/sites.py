"""The portal's address has one source: PORTAL_BASE_URL. Django's `Site` row, which
allauth's mails read (`current_site.domain`, `current_site.name`), is set from it and from
PORTAL_SITE_TITLE after every `migrate` — a row left at a development value would put
`localhost:8000` into production mail."""

from urllib.parse import urlsplit

from django.conf import settings


def site_values():
    return {
        "domain": urlsplit(settings.PORTAL_BASE_URL).netloc or "localhost",
        "name": settings.PORTAL_SITE_TITLE or "Kandidat:innenportal",
    }


def sync_site(sender=None, using="default", **kwargs):
    """post_migrate receiver (sender: the sites app): make Site(SITE_ID) match the
    settings."""
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(pk=settings.SITE_ID, defaults=site_values())
    Site.objects.clear_cache()
