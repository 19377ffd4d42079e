"""Bots and mail-bombers: a honeypot and submission limits per address and per e-mail."""

import re
import threading
import time
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django_scopes import scopes_disabled

from candidates.abuse import DAY, HOUR, client_ip
from candidates.models import Application, SubmissionCounter
from tests.factories import APPLY_URL, valid_data


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def stored():
    with scopes_disabled():
        return Application.objects.count()


@pytest.mark.django_db
def test_honeypot_is_hidden_from_people(client, election):
    html = client.get(APPLY_URL).content.decode()
    trap = re.search(
        r'<div\s+class="hp-field"\s+aria-hidden="true">(.*?)</div>\s*</div>', html, re.S
    )
    assert trap is not None
    assert 'name="contact_me_by_fax_only"' in trap.group(1)
    assert 'tabindex="-1"' in trap.group(1)


@pytest.mark.django_db
def test_filled_honeypot_stores_nothing_and_keeps_the_rest(client, election):
    response = client.post(APPLY_URL, valid_data(contact_me_by_fax_only="http://spam.example"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Dein Formular sah für uns wie eine automatische Eingabe aus. "
        "Bitte schick es noch einmal ab."
    ]
    html = response.content.decode()
    assert 'value="Breite Straße 12"' in html
    assert "spam.example" not in html  # the trap is emptied for a second try
    assert stored() == 0


@pytest.mark.django_db
def test_too_many_applications_from_one_address_get_429_with_input_kept(client, election, settings):
    settings.PORTAL_APPLICATIONS_PER_IP_PER_HOUR = 2
    for n in range(2):
        assert client.post(APPLY_URL, valid_data(email=f"p{n}@example.org")).status_code == 302

    response = client.post(APPLY_URL, valid_data(email="p3@example.org"))

    assert response.status_code == 429
    assert "sehr viele Bewerbungen" in response.content.decode()
    assert 'value="p3@example.org"' in response.content.decode()
    assert stored() == 2
    # Another client address is not affected.
    other = client.post(APPLY_URL, valid_data(email="p4@example.org"), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


@pytest.mark.django_db
def test_one_inbox_gets_no_more_form_mails_than_the_limit_and_the_form_says_nothing(
    client, election, settings, django_capture_on_commit_callbacks
):
    """Over the per-inbox limit nothing is stored or sent, and the answer is the usual
    thank-you page: a 429 here would tell a stranger that this address was used today.
    `+tags`, case and quotes are the same inbox."""
    settings.PORTAL_APPLICATIONS_PER_EMAIL_PER_DAY = 2
    with django_capture_on_commit_callbacks(execute=True):
        for n, (slug, email) in enumerate(
            [("wernigerode", "opfer@example.org"), ("halberstadt", "opfer+x@example.org")]
        ):
            response = client.post(
                f"/harz/{slug}/", valid_data(email=email), REMOTE_ADDR=f"192.0.2.{n}"
            )
            assert response.status_code == 302

        over = client.post(
            "/harz/quedlinburg/", valid_data(email='"Opfer"@Example.org'), REMOTE_ADDR="192.0.2.9"
        )

    assert over.status_code == 302
    assert over["Location"].startswith("/bewerbung/danke/")
    assert stored() == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_invalid_posts_count_toward_the_client_limit(client, election, settings):
    settings.PORTAL_APPLICATIONS_PER_IP_PER_HOUR = 3
    for _ in range(3):
        assert client.post(APPLY_URL, valid_data(postal_code="1")).status_code == 200

    response = client.post(APPLY_URL, valid_data())

    assert response.status_code == 429
    assert 'value="Breite Straße 12"' in response.content.decode()
    assert stored() == 0


@pytest.mark.django_db
def test_client_ip_honours_only_declared_proxies(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.1", REMOTE_ADDR="10.0.0.1")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "203.0.113.5"


@pytest.mark.django_db
def test_client_ip_falls_back_to_the_connection_when_proxies_are_missing(rf, settings):
    """allauth refuses an X-Forwarded-For shorter than the declared proxies; the public
    form then counts the connection's address instead of failing."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.5", REMOTE_ADDR="10.0.0.1")

    assert client_ip(request) == "10.0.0.1"


@pytest.mark.django_db
def test_a_forged_forwarded_header_does_not_escape_the_client_limit(client, election, settings):
    settings.PORTAL_APPLICATIONS_PER_IP_PER_HOUR = 1
    client.post(APPLY_URL, valid_data(email="a@example.org"), HTTP_X_FORWARDED_FOR="198.51.100.1")

    response = client.post(
        APPLY_URL, valid_data(email="b@example.org"), HTTP_X_FORWARDED_FOR="198.51.100.2"
    )

    assert response.status_code == 429


@pytest.mark.django_db
def test_one_ipv6_network_is_one_client(client, election, settings):
    """An IPv6 connection usually holds a whole /64: rotating addresses in it is no way
    around the limit."""
    settings.PORTAL_APPLICATIONS_PER_IP_PER_HOUR = 2
    for n in range(2):
        client.post(
            APPLY_URL, valid_data(email=f"v6-{n}@example.org"), REMOTE_ADDR=f"2001:db8::{n}"
        )

    same_network = client.post(
        APPLY_URL, valid_data(email="v6-x@example.org"), REMOTE_ADDR="2001:db8::ffff:1"
    )
    other_network = client.post(
        APPLY_URL, valid_data(email="v6-y@example.org"), REMOTE_ADDR="2001:db8:0:1::1"
    )

    assert (same_network.status_code, other_network.status_code) == (429, 302)


@pytest.mark.django_db
def test_the_shared_cache_cannot_be_culled_by_filling_it():
    """Django's DatabaseCache keeps 300 entries by default and then culls those whose keys
    sort first: allauth's login-failure counters and used TOTP codes. Flooding the form
    (every submission is counted) must not get there."""
    from portal import settings as production

    assert production.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    assert production.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] >= 1_000_000


# --- The counters: whole windows, atomic, purged ------------------------------------------


def at(moment):
    return mock.patch("candidates.abuse.time.time", return_value=moment)


@pytest.mark.django_db
def test_the_inbox_limit_holds_for_a_whole_day_not_only_minutes(client, election, settings):
    """With Django's database cache, incr() restarted the expiry at five minutes: one mail
    every six minutes was never over a daily limit. The counter's window is the day."""
    settings.PORTAL_APPLICATIONS_PER_EMAIL_PER_DAY = 2
    start = time.time()
    for n, slug in enumerate(["wernigerode", "halberstadt", "quedlinburg"]):
        with at(start + n * 6 * 60):  # every six minutes
            client.post(f"/harz/{slug}/", valid_data(email="opfer@example.org"))

    assert stored() == 2
    with at(start + DAY + 1):  # the next day, the inbox gets mail again
        client.post("/harz/quedlinburg/", valid_data(email="opfer@example.org"))
    assert stored() == 3


@pytest.mark.django_db
def test_the_client_window_starts_with_the_first_submission_and_lasts_an_hour(
    client, election, settings
):
    settings.PORTAL_APPLICATIONS_PER_IP_PER_HOUR = 1
    start = time.time()
    with at(start):
        assert client.post(APPLY_URL, valid_data(email="a@example.org")).status_code == 302
    with at(start + HOUR - 1):  # refused submissions count too, but do not move the window
        assert client.post(APPLY_URL, valid_data(email="b@example.org")).status_code == 429
    with at(start + HOUR):
        assert client.post(APPLY_URL, valid_data(email="c@example.org")).status_code == 302


@pytest.mark.django_db
def test_counters_hold_no_address_and_expired_ones_are_purged_daily(client, election):
    client.post(APPLY_URL, valid_data(email="erika@example.org"), REMOTE_ADDR="192.0.2.44")
    keys = list(SubmissionCounter.objects.values_list("counter_key", flat=True))

    assert len(keys) == 2  # the client's and the inbox's
    assert not any("192.0.2.44" in key or "erika" in key for key in keys)
    with at(time.time() + HOUR + 1):
        call_command("apply_retention", stdout=StringIO())
    assert list(SubmissionCounter.objects.values_list("counter_key", flat=True)) == [
        key for key in keys if key.startswith("apply-limit:mailbox:")
    ]
    with at(time.time() + DAY + 1):
        out = StringIO()
        call_command("apply_retention", stdout=out)
    assert not SubmissionCounter.objects.exists()
    assert "Deleted 1 expired limit counter(s)." in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_lose_no_count(settings):
    """Twenty threads, each with its own database connection, count the same key: every
    count is one of 1..100, each exactly once. PostgreSQL only (as in CI and production):
    the test database of SQLite is in memory and locks the table for other threads."""
    from candidates.abuse import _count

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")

    counts = []

    def count_five():
        try:
            counts.extend(_count("apply-limit:test:parallel", HOUR) for _ in range(5))
        finally:
            connection.close()

    threads = [threading.Thread(target=count_five) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == list(range(1, 101))
