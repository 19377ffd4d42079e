"""One source for the portal's address: the Site row that allauth's mails read follows
PORTAL_BASE_URL."""

import pytest
from django.contrib.sites.models import Site
from django.core.management.sql import emit_post_migrate_signal

from portal.sites import sync_site


@pytest.mark.django_db
def test_site_row_follows_the_base_url_after_migrate():
    # The test settings say PORTAL_BASE_URL = "http://testserver"; the data migration
    # once wrote "localhost:8000".
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("testserver", "Kandidat:innenportal")


@pytest.mark.django_db
def test_changed_settings_reach_the_site_row_on_the_next_migrate(settings):
    settings.PORTAL_BASE_URL = "https://kandidieren.example.org"

    # What `migrate` sends at its end (running the command itself inside a test
    # transaction is not possible on SQLite).
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("kandidieren.example.org", "Kandidat:innenportal")
    sync_site()  # idempotent
    assert Site.objects.count() == 1
