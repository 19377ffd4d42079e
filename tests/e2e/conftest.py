"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
`live_server`.

- A browser is never downloaded (`playwright install` must not run): the tests use
  /usr/bin/chromium from Debian. Without it, e2e tests are skipped locally with a
  message, and fail when the `CI` environment variable is set.
- Every test in this directory is marked `e2e` (`pytest -m e2e`, `pytest -m "not e2e"`).
- Playwright's sync API runs an event loop in the main thread, so Django would refuse
  ORM calls (including pytest-django's own flush) with `SynchronousOnlyOperation`.
  `DJANGO_ALLOW_ASYNC_UNSAFE` lifts that; it is set here, i.e. only when e2e tests are
  collected.

Reference data and the `live_server` flush
------------------------------------------
`live_server` gives each test a *transactional* database (Django's
`TransactionTestCase`), which empties every table after the test. That would delete the
14 districts and all municipalities that the data migration loaded, for every later
test in the same process: other e2e tests and any test that runs afterwards (pytest-django
runs `db` tests before transactional ones, but transactional tests, tests without a
`django_db` mark that unblock the database, `-p no:randomly`-style orderings and
explicit argument orders still come later).

`serialized_rollback=True` does not solve it: Django restores the snapshot at the
*start* of the marked test and still flushes at its end, so whatever runs next sees empty
tables.

So this conftest restores the reference data itself, through the same loader the data
migration uses (`districts.data_files.load_initial_data`):
- before each e2e test that uses the database, if the district table is empty (an earlier
  transactional test flushed it), and
- after each such test, once pytest-django's flush has run (a `pytest_runtest_teardown`
  wrapper), so the next test in this process starts from the migrated state again. Not
  after the last test: the test database is already destroyed then, and the connection
  points at the real database.

Districts, municipalities, their councils and the draft legal texts are restored. Content
types, permissions and the default `Site` are recreated by Django itself (the flush emits
`post_migrate`). If another data migration adds reference rows (e.g. staff groups),
restore them in `restore_reference_data()` too.
"""

import contextlib
import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
E2E_DIR = Path(__file__).resolve().parent
MISSING_CHROMIUM = (
    f"{CHROMIUM} not found: the browser tests use Debian's Chromium "
    "(sudo apt-get install chromium); Playwright never downloads a browser here."
)

_restore_key = pytest.StashKey[tuple]()


def _scopes_disabled():
    # The project scopes querysets by district with django-scopes; this runs outside any
    # scope. Without the library (or before it is installed) there is nothing to disable.
    try:
        from django_scopes import scopes_disabled
    except ImportError:
        return contextlib.nullcontext()
    return scopes_disabled()


def restore_reference_data():
    """Load the districts, municipalities and their councils, the legal drafts and the role
    groups again if a flush removed them (the migrations created them; later tests in the
    same worker, seed_demo's among them, expect them)."""
    from django.db import transaction

    from accounts.roles import sync_role_groups
    from candidates.legal_drafts import create_drafts
    from candidates.models import LegalDocument
    from districts.councils import sync_councils
    from districts.data_files import load_initial_data
    from districts.models import Council, District, Municipality

    with _scopes_disabled(), transaction.atomic():
        if not District.objects.exists():
            Municipality.objects.all().delete()
            load_initial_data(District, Municipality)
        if not Council.objects.exists():
            # The councils the data migration derived (districts/0007_load_councils).
            sync_councils(District, Municipality, Council)
        if not LegalDocument.objects.exists():
            create_drafts(LegalDocument)
        # A flush leaves the permissions (post_migrate recreates them) but not the groups.
        sync_role_groups()


def _is_e2e(item):
    return item.path.resolve().is_relative_to(E2E_DIR)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Called with every collected item, not only this directory's: filter by path.
    # tryfirst, so that `-m e2e` / `-m "not e2e"` see the marker.
    skip = pytest.mark.skip(reason=MISSING_CHROMIUM)
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists() and not os.environ.get("CI"):
                item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium():
    # Session-scoped and autouse, so it runs before pytest-playwright launches a browser.
    # Locally the tests are already skipped (see above); on CI a missing browser is an error.
    if not CHROMIUM.exists() and os.environ.get("CI"):
        pytest.fail(f"CI is set and {MISSING_CHROMIUM}", pytrace=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    if not {"live_server", "transactional_db"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    restore_reference_data()

    from django.db import connection

    # Remember which database this is, so the teardown hook never writes elsewhere.
    request.node.stash[_restore_key] = (django_db_blocker, connection.settings_dict["NAME"])
    yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # Runs after all of the test's fixtures are torn down, i.e. after the flush. After the
    # last test (nextitem is None) the test database is gone: the connection points at the
    # real database again, which must never be touched.
    try:
        return (yield)
    finally:
        stashed = item.stash.get(_restore_key, None)
        if stashed is not None and nextitem is not None:
            blocker, test_database = stashed
            from django.db import connection

            if connection.settings_dict["NAME"] == test_database:
                with blocker.unblock():
                    restore_reference_data()
                    # Leave no connection open, as Django's own teardown does: an open one
                    # would keep the test database from being dropped at the end.
                    connection.close()


@pytest.fixture
def no_third_party_requests(page, live_server):
    """Fail the test if the page requested anything but our own server.

    Records every request URL; requests elsewhere are also aborted, so nothing leaves the
    machine and the test does not wait for a network that isn't there. Yields the list of
    recorded URLs.
    """
    origin = live_server.url

    def is_own(url):
        return url == origin or url.startswith((origin + "/", "data:", "blob:"))

    urls = []
    page.on("request", lambda request: urls.append(request.url))
    page.route(lambda url: not is_own(url), lambda route: route.abort())
    yield urls
    assert [url for url in urls if not is_own(url)] == []


def fill_valid_application(page):
    """Fill the application form at /harz/wernigerode/ completely and validly, as a
    first-time applicant would (used by the apply flow and the accessibility checks)."""
    page.get_by_label("Stadtrat").check()
    page.get_by_label("Vornamen").fill("Leyla")
    page.get_by_label("Familienname").fill("Yılmaz-Schneider")
    page.get_by_label("Geburtsdatum").fill("2001-09-14")
    page.get_by_label("Beruf oder Stand").fill("Studentin")
    page.get_by_label("deutsch", exact=True).check()
    page.get_by_label("E-Mail-Adresse").fill("leyla@example.org")
    page.get_by_label("Straße und Hausnummer").fill("Marktstraße 3")
    page.get_by_label("Postleitzahl").fill("38855")
    page.get_by_label("Seit wann hast du deine Hauptwohnung in dieser Gemeinde?").fill("2019-10-01")
    page.get_by_label("auf einer offenen Liste kandidieren", exact=False).check()
    page.get_by_label("Warum möchtest du kandidieren?").fill(
        "Junge Leute brauchen einen Treffpunkt in der Stadt."
    )
    page.get_by_label("Mentoring durch erfahrene Kommunalpolitiker:innen").check()
    page.get_by_label("Ich unterstütze das Programm der Partei", exact=False).check()
    page.get_by_label("Ich willige ausdrücklich ein", exact=False).check()
