"""In-process figures: how long the public pages, the application POST and the admin list
take, and how many queries they run, with a growing number of applications.

Not a load test (see README.md here for wrk/locust against gunicorn); it needs nothing
beyond requirements-dev.txt and tells quickly whether a change made a page slower or
made a list's query count grow with its rows.

    .venv/bin/python bench/inprocess.py                 # throwaway SQLite file
    DATABASE_URL=postgres://... .venv/bin/python bench/inprocess.py

With DATABASE_URL it creates and drops its own database `<name>_bench`.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings_test"
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROUNDS = 30


def measure(label, action, rounds=ROUNDS):
    with CaptureQueriesContext(connection) as queries:
        action()
    query_count = len(queries)
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{label:<48} median {statistics.median(timings):7.1f} ms   "
        f"p95 {p95:7.1f} ms   {query_count:3d} queries"
    )


def main():
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases
    from django_scopes import scopes_disabled

    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False, aliases=["default"])
    try:
        with scopes_disabled():
            run(Client())
    finally:
        teardown_databases(old_config, verbosity=0)


def run(client):
    from django.db.models.functions import Coalesce, Now

    from candidates.models import Application
    from tests.factories import login_staff, make_election, make_staff_user

    print(f"database: {connection.vendor}, {ROUNDS} rounds each\n")
    election = make_election()
    measure("GET / (home)", lambda: client.get("/"))
    measure("GET /boerde/ (34 municipalities)", lambda: client.get("/boerde/"))
    measure("GET /harz/wernigerode/ (form)", lambda: client.get("/harz/wernigerode/"))
    measure("GET /suche/?q=Lutherstadt", lambda: client.get("/suche/?q=Lutherstadt"))

    counter = iter(range(10**6))

    def apply():
        n = next(counter)
        response = client.post(
            "/harz/wernigerode/",
            {
                "bodies": ["council"],
                "first_names": "Erika",
                "last_name": "Mustermann",
                "date_of_birth": "1990-05-17",
                "occupation": "Erzieherin",
                "citizenship": "de",
                "email": f"bench{n}@example.org",
                "street": "Breite Straße 12",
                "postal_code": "38855",
                "town": "Wernigerode",
                "resident_since": "2015-03-01",
                "membership": "non_member",
                "motivation": "Bench",
                "accepts_expectations": "on",
                "privacy_consent": "on",
            },
        )
        assert response.status_code == 302, response.status_code

    measure("POST /harz/wernigerode/ (apply, incl. mail)", apply)
    submitted = Application.objects.filter(email__startswith="bench").count()
    print(f"{'':<48} applications stored: {submitted} of {ROUNDS + 1} posted\n")

    state_office = make_staff_user("bench-lgs@example.org", state_office=True)
    chair = make_staff_user("bench-harz@example.org", districts=["harz"])
    # Every row confirmed, so that the district team sees them too (the database keeps
    # status and confirmed_at together: Application.Meta constraint).
    confirmed = {
        "status": Application.Status.NEW,
        "confirmed_at": Coalesce("confirmed_at", Now()),
    }
    Application.objects.update(**confirmed)
    for total in (100, 1000):
        call_command("seed_demo", applications=total, force=True, stdout=io.StringIO())
        Application.objects.update(**confirmed, election=election)
        count = Application.objects.count()
        for user, label in ((state_office, "state office"), (chair, "Harz chair")):
            staff = login_staff(client.__class__(), user)
            measure(
                f"admin changelist, {label}, {count} applications",
                lambda staff=staff: staff.get("/verwaltung/candidates/application/"),
                rounds=10,
            )


if __name__ == "__main__":
    main()
