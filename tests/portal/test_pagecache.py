"""Public pages are kept a few seconds in each worker's memory (portal.pagecache), and
nothing gets wrong by it: every visitor gets a CSRF token of their own that works, the
language and the query parameters that matter are part of the key, signed-in staff and
visitors with a message see their own page, and a change shows once the seconds are
over."""

import re

import pytest
from django.test import Client

from candidates.models import Application
from districts.models import District
from portal import pagecache
from tests.factories import get_district, login_staff, make_election, valid_data

FORM = "/harz/wernigerode/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def clock(monkeypatch):
    """The cache's clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now[0])
    return now


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 5
    pagecache.forget_everything()
    yield
    pagecache.forget_everything()


def token_in(response):
    return TOKEN.search(response.content.decode()).group(1)


@pytest.mark.django_db
def test_a_cached_form_takes_no_query_and_gives_each_visitor_a_working_token(
    django_assert_num_queries, clock
):
    make_election()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(FORM)

    with django_assert_num_queries(0):
        page = second.get(FORM)

    assert page.status_code == 200
    assert pagecache.PLACEHOLDER not in page.content.decode()
    assert token_in(page) != token_in(first.get(FORM))
    assert "csrftoken" in page.cookies
    posted = second.post(FORM, {**valid_data(), "csrfmiddlewaretoken": token_in(page)})
    assert posted.status_code == 302
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_a_token_from_another_visitors_page_is_refused(clock):
    make_election()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = token_in(first.get(FORM))
    second.get(FORM)

    posted = second.post(FORM, {**valid_data(), "csrfmiddlewaretoken": first_token})

    assert posted.status_code == 403
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_a_change_in_the_admin_shows_once_the_seconds_are_over(client, clock):
    harz = get_district("harz")
    client.get("/harz/")
    District.objects.filter(pk=harz.pk).update(intro="Neu: Infoabend am Freitag")

    within = client.get("/harz/").content.decode()
    clock[0] += 5
    after = client.get("/harz/").content.decode()

    assert "Infoabend" not in within
    assert "Infoabend" in after


@pytest.mark.django_db
def test_the_open_election_is_no_older_than_the_seconds(client, clock):
    closed = client.get(FORM).content.decode()
    make_election()
    clock[0] += 5
    opened = client.get(FORM).content.decode()

    assert "Bewerbung absenden" not in closed
    assert "Bewerbung absenden" in opened


@pytest.mark.django_db
def test_the_language_is_part_of_the_key(client, clock):
    german = client.get("/")
    english = client.get("/en/")
    german_again = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert len(pagecache.PAGES) == 2
    assert (german["Content-Language"], english["Content-Language"]) == ("de", "en")
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    # Without a prefix the page is German, whatever the browser asks for.
    assert german_again.content == german.content


@pytest.mark.django_db
def test_query_parameters_that_do_not_change_the_page_make_no_new_entry(client, clock):
    from campaigns.models import Source

    # A code with both characters beyond letters and digits that codes may have.
    source = Source.objects.create(district=get_district("harz"), name="Infostand", code="a-b_cdef")
    for query in ["", "?utm_source=x", "?quelle=%20", "?quelle=%D9%A9", "?quelle=<b>", "?a=1&b=2"]:
        client.get("/harz/" + query)
    with_code = client.get(f"/harz/?quelle={source.code}").content.decode()

    assert len(pagecache.PAGES) == 2, list(pagecache.PAGES._pages)
    assert f"?quelle={source.code}" in with_code
    assert "?quelle=" not in client.get("/harz/?quelle=%20").content.decode()


@pytest.mark.django_db
def test_search_terms_are_kept_as_typed_and_long_ones_not_cached(client, clock):
    lower = client.get("/suche/?q=halber").content.decode()
    upper = client.get("/suche/?q=HALBER").content.decode()
    client.get("/suche/?q=" + "x" * 61)

    assert 'value="halber"' in lower
    assert 'value="HALBER"' in upper
    assert len(pagecache.PAGES) == 2


@pytest.mark.django_db
def test_where_a_search_goes_is_kept_too(client, clock, django_assert_num_queries):
    first = client.get("/suche/?q=Wernigerode")
    with django_assert_num_queries(0):
        second = client.get("/suche/?q=Wernigerode")

    assert (first.status_code, first["Location"]) == (302, FORM)
    assert (second.status_code, second["Location"]) == (302, FORM)
    assert client.get("/suche/?q=Wernigerode", follow=True).redirect_chain == [(FORM, 302)]


@pytest.mark.django_db
def test_signed_in_staff_and_visitors_with_a_message_are_not_served_from_the_cache(
    client, clock, django_assert_num_queries
):
    client.get("/")
    client.cookies["sessionid"] = "abc"
    client.get("/")
    del client.cookies["sessionid"]
    client.cookies["messages"] = "x"
    client.get("/")

    assert len(pagecache.PAGES) == 1


@pytest.mark.django_db
def test_errors_and_posts_are_never_cached(client, clock):
    make_election()
    client.get("/harz/keine-gemeinde/")
    client.post(FORM, valid_data(last_name=""))

    assert len(pagecache.PAGES) == 0


@pytest.mark.django_db
def test_the_embedded_page_keeps_its_framing_headers_when_served_from_the_cache(client, clock):
    harz = get_district("harz")
    harz.embed_origins = "https://www.dielinke-harz.de"
    harz.save()

    first = client.get("/einbetten/harz/")
    second = client.get("/einbetten/harz/")

    for response in (first, second):
        assert "frame-ancestors https://www.dielinke-harz.de" in response["Content-Security-Policy"]
        assert "X-Frame-Options" not in response
    assert client.get("/harz/")["X-Frame-Options"] == "DENY"


def test_memory_is_bounded_and_the_least_recently_used_page_goes_first():
    cache = pagecache.PageCache()

    class Response:
        status_code = 200

        def __init__(self, size):
            self.content = b"x" * size
            self.cookies = {}

        def __getitem__(self, name):
            return "text/html"

        def get(self, name):
            return None

    # Each page counts 1,500 bytes (1,000 of content and a fixed 500): room for three.
    for key in "abc":
        cache.put(key, pagecache.Page(Response(1000), expires=10, version="v"), max_bytes=4500)
    cache.get("a", now=1, version="v")
    cache.put("d", pagecache.Page(Response(1000), expires=10, version="v"), max_bytes=4500)

    assert [key for key in "abcd" if cache.get(key, now=1, version="v")] == ["a", "c", "d"]
    assert cache.get("a", now=10, version="v") is None
    assert cache.get("c", now=1, version="newer") is None


@pytest.mark.django_db
def test_a_source_created_a_moment_ago_is_never_taken_for_no_code(client, clock):
    from campaigns.models import Source

    make_election()
    client.get(f"{FORM}?quelle=vorher")  # the known codes are read now, before the source exists
    source = Source.objects.create(district=get_district("harz"), name="Neu", code="fresh-code")

    with_code = client.get(f"{FORM}?quelle={source.code}").content.decode()
    without = client.get(FORM).content.decode()
    made_up = client.get(f"{FORM}?quelle=madeupcode").content.decode()

    assert 'value="fresh-code"' in with_code
    assert "fresh-code" not in without
    assert "madeupcode" not in made_up
    assert len(pagecache.PAGES) == 1
    clock[0] += 5
    client.get(f"{FORM}?quelle={source.code}")
    assert len(pagecache.PAGES) == 2


# --- A change shows within a second: the content version -----------------------------------


@pytest.fixture
def fresh_version():
    pagecache.new_content_version()


@pytest.mark.django_db
def test_a_teams_edit_in_the_admin_shows_within_a_second_on_every_worker(
    client, harz_chair, clock, fresh_version, django_capture_on_commit_callbacks
):
    """Every worker reads the version from the shared cache: here the same process, with
    its page kept and its clock standing still but for one second."""
    from tests.districts.test_district_content import change_url, content_post

    harz = get_district("harz")
    assert "Willkommen im Harz!" not in client.get("/harz/").content.decode()
    login_staff(client, harz_chair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(harz), content_post())
    client.logout()

    clock[0] += pagecache.VERSION_CHECK_SECONDS
    assert "Willkommen im Harz!" in client.get("/harz/").content.decode()


@pytest.mark.django_db
def test_a_write_outside_the_admin_shows_within_a_second(
    client, clock, fresh_version, django_capture_on_commit_callbacks
):
    harz = get_district("harz")
    client.get("/harz/")
    with django_capture_on_commit_callbacks(execute=True):
        harz.intro = "Neu: Infoabend am Freitag"
        harz.save()  # a command or a shell, say

    clock[0] += pagecache.VERSION_CHECK_SECONDS
    assert "Infoabend" in client.get("/harz/").content.decode()


@pytest.mark.django_db
def test_staff_writes_without_signals_make_a_new_version_too(
    rf, harz_chair, fresh_version, django_capture_on_commit_callbacks
):
    """An admin action may update rows in one statement (no post_save): any successful
    write by staff counts. A failed one, a read, or a visitor's post does not."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    def answer(status):
        return pagecache.StaffWriteMiddleware(lambda request: HttpResponse(status=status))

    def version_after(method, user, status=302, path="/verwaltung/"):
        request = getattr(rf, method)(path)
        request.user = user
        with django_capture_on_commit_callbacks(execute=True):
            answer(status)(request)
        pagecache._version["until"] = 0.0
        return pagecache.content_version()

    before = pagecache.content_version()
    assert version_after("get", harz_chair) == before
    assert version_after("post", AnonymousUser()) == before
    assert version_after("post", harz_chair, status=400) == before
    assert version_after("post", harz_chair, path="/konto/login/") == before  # signing in
    assert version_after("post", harz_chair) != before


@pytest.mark.django_db
def test_submissions_and_their_mail_leave_the_cached_pages_alone(
    client, clock, fresh_version, django_capture_on_commit_callbacks
):
    """Writes that never change a public page (NEVER_PUBLIC) set no new version: else
    every application would empty every worker's cache."""
    make_election()
    client.get(FORM)
    before = pagecache.content_version()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(FORM, valid_data()).status_code == 302

    pagecache._version["until"] = 0.0
    assert pagecache.content_version() == before


@pytest.mark.django_db
def test_a_page_rendered_while_a_change_commits_is_not_kept_as_new(client, clock, fresh_version):
    """The version is read before the page is rendered: a page rendered from the old
    rows and stored after the change committed carries the old version."""
    harz = get_district("harz")
    original = pagecache.PAGES.put

    def change_commits_meanwhile(key, page, max_bytes):
        District.objects.filter(pk=harz.pk).update(intro="Neu")
        pagecache.new_content_version()
        original(key, page, max_bytes)

    pagecache.PAGES.put = change_commits_meanwhile
    try:
        old = client.get("/harz/").content.decode()
    finally:
        pagecache.PAGES.put = original
    clock[0] += pagecache.VERSION_CHECK_SECONDS

    assert "Neu" not in old
    assert "<p>Neu</p>" in client.get("/harz/").content.decode()


# --- Reference rows kept per content version (elections, legal texts) ----------------------


@pytest.mark.django_db
def test_an_election_opened_in_the_admin_takes_applications_within_a_second(
    clock, fresh_version, django_capture_on_commit_callbacks
):
    from candidates.models import Election

    assert Election.objects.current() is None
    with django_capture_on_commit_callbacks(execute=True):
        election = make_election()

    clock[0] += pagecache.VERSION_CHECK_SECONDS  # when every other worker has looked
    assert Election.objects.current() == election


@pytest.mark.django_db
def test_the_open_election_changes_at_midnight_without_any_write(clock, fresh_version, monkeypatch):
    import datetime

    from django.utils import timezone

    from candidates.models import Election

    today = timezone.localdate()
    election = make_election(applications_open_until=today)
    assert Election.objects.current() == election

    monkeypatch.setattr(timezone, "localdate", lambda: today + datetime.timedelta(days=1))
    assert Election.objects.current() is None  # the same kept rows, the next day


@pytest.mark.django_db
def test_a_legal_text_published_for_later_takes_over_at_that_moment(
    clock, fresh_version, monkeypatch, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from candidates.models import LegalDocument

    kind = LegalDocument.Kind.PRIVACY
    before = LegalDocument.current(kind)
    moment = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        later = LegalDocument.objects.create(
            kind=kind, version="2099-1", text="Neu", published_at=moment
        )
    clock[0] += pagecache.VERSION_CHECK_SECONDS

    assert LegalDocument.current(kind) == before
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert LegalDocument.current(kind) == later


@pytest.mark.django_db
def test_the_form_finds_its_municipality_among_the_kept_ones_and_odd_spellings_are_404(
    client, clock, fresh_version
):
    make_election()
    assert client.get(FORM).status_code == 200
    for odd in [
        "/harz/Wernigerode/",
        "/harz/wernigerode%20/",
        "/harz/wernigerode+/",
        "/harz/%D9%A9/",
        "/magdeburg/wernigerode/",  # another district's slug
    ]:
        assert client.get(odd).status_code == 404, odd


@pytest.mark.django_db
def test_a_renamed_municipality_shows_its_new_name_within_a_second(
    client, clock, fresh_version, django_capture_on_commit_callbacks
):
    from tests.factories import get_municipality

    make_election()
    client.get(FORM)
    with django_capture_on_commit_callbacks(execute=True):
        wernigerode = get_municipality("harz", "wernigerode")
        wernigerode.name = "Wernigerode (Harz)"
        wernigerode.save()
    clock[0] += pagecache.VERSION_CHECK_SECONDS

    assert "Wernigerode (Harz)" in client.get(FORM).content.decode()


@pytest.mark.django_db
def test_bulk_deletes_of_what_never_shows_keep_djangos_fast_delete():
    """The receivers are connected model by model: a receiver for every sender would make
    every bulk delete (sessions, sent mail, counters, retention) load its rows first."""
    from django.contrib.sessions.models import Session
    from django.db.models.deletion import Collector

    from candidates.models import SubmissionCounter
    from notifications.models import OutgoingMail

    collector = Collector(using="default")
    for model in (OutgoingMail, Session, SubmissionCounter):
        assert collector.can_fast_delete(model.objects.all()), model
    from districts.models import DistrictEvent

    # Nothing refers to an event: only the receiver makes Django load it before deleting.
    assert not collector.can_fast_delete(DistrictEvent.objects.all())
