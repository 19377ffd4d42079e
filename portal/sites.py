"""The portal's address has one source: PORTAL_BASE_URL. Django's `Site` row, which
allauth's staff mails read (`current_site.domain`; `current_site.name` prefixes their
subjects), is set from it after every `migrate` — a row left at a development value would
put `localhost:8000` into production mail. The name is the portal's, not the campaign's
slogan (PORTAL_SITE_TITLE): these mails go to staff."""

from urllib.parse import urlsplit

from django.conf import settings

SITE_NAME = "Kandidat:innenportal"


def site_values():
    return {
        "domain": urlsplit(settings.PORTAL_BASE_URL).netloc or "localhost",
        "name": SITE_NAME,
    }


def sync_site(sender=None, using="default", **kwargs):
    """post_migrate receiver (sender: the sites app): make Site(SITE_ID) match the
    settings."""
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(pk=settings.SITE_ID, defaults=site_values())
    Site.objects.clear_cache()
