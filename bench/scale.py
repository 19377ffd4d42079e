"""The state office's numbers at scale: 100,000 applications on PostgreSQL.

Creates the applications (spread over all municipalities of Sachsen-Anhalt, with a
realistic mix of statuses, ages, answers and adopted lists), then prints for the state
office and a district chair: the admin changelist's time and query count (against the
same at 1,000 rows), the statistics page's time and query count, and the exports of all
rows as CSV and XLSX: time, size, and the peak memory of a fresh worker process doing
only that export. Targets (issue 10) are printed beside each figure; nothing is asserted.

    .venv/bin/python bench/scale.py                 # starts a throwaway PostgreSQL itself
    DATABASE_URL=postgres://user@host:port/db .venv/bin/python bench/scale.py
    .venv/bin/python bench/scale.py --rows 20000    # a quicker run

Without DATABASE_URL it needs the PostgreSQL server binaries (Debian: postgresql) and,
when run as root, the `postgres` account (initdb refuses root). It creates and drops its
own database `portal_scale_bench` on that server, and stops the cluster it started.
"""

import argparse
import datetime
import importlib.util
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import benchlib  # noqa: E402

BENCH_DATABASE = "portal_scale_bench"
STATE_OFFICE = "scale-lgs@example.org"
CHAIR = "scale-harz@example.org"


# --- a throwaway PostgreSQL (bench/benchlib.py) -------------------------------------------

# Reads only: fsync off is fine here (the submission bench keeps it on).
throwaway_postgres = partial(benchlib.throwaway_postgres, fsync=False)
with_database = benchlib.with_database


def recreate_database(server_url):
    import psycopg2

    connection = psycopg2.connect(with_database(server_url, "postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')
        cursor.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    connection.close()


def drop_database(server_url):
    import psycopg2

    connection = psycopg2.connect(with_database(server_url, "postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
    connection.close()


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings_test"
    import django

    django.setup()


# --- data -----------------------------------------------------------------------------------


def create_applications(start, total, election, rng):
    """Confirmed applications number `start` to `total` - 1 over all municipalities
    (more where more people live), bulk-created in batches; some nominated, some ended."""
    from django.utils import timezone

    from candidates.models import Application
    from districts.models import Municipality

    municipalities = list(Municipality.objects.select_related("district"))
    weights = [max(m.population, 500) ** 0.5 for m in municipalities]
    statuses = [
        (Application.Status.NEW, 30),
        (Application.Status.CONTACTED, 25),
        (Application.Status.INTERVIEW, 15),
        (Application.Status.NOMINATED, 15),
        (Application.Status.NOT_CONSIDERED, 8),
        (Application.Status.WITHDRAWN, 7),
    ]
    genders = [("woman", 40), ("man", 50), ("diverse", 2), ("", 8)]
    memberships = [("member", 45), ("non_member", 40), ("wants_to_join", 15)]
    now = timezone.now()

    def pick(choices):
        return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]

    batch = []
    for n in range(start, total):
        municipality = rng.choices(municipalities, weights=weights)[0]
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 66))
        status = pick(statuses)
        batch.append(
            Application(
                election=election,
                municipality=municipality,
                first_names=rng.choice(["Erika", "Max", "Aylin", "Jonas", "Marie", "Olga"]),
                last_name=f"Muster{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}",
                occupation=rng.choice(["Erzieherin", "Tischler", "Studentin", "Rentner"]),
                date_of_birth=born,
                email=f"scale{n}@example.org",
                street="Breite Straße 12",
                postal_code=(municipality.postal_codes.split() or ["06108"])[0],
                town=municipality.name,
                citizenship="de",
                resident_since=datetime.date(2015, 3, 1),
                membership=pick(memberships),
                stands_for_council=True,
                stands_for_district_council=rng.random() < 0.3,
                motivation="Für eine soziale Gemeinde.",
                gender=pick(genders),
                migration_history=rng.choices(["yes", "no", ""], weights=[8, 80, 12])[0],
                accepts_expectations=True,
                consent_version="bench",
                consent_given_at=now,
                status=status,
                confirmed_at=now,
            )
        )
        if len(batch) == 5000:
            Application.objects.bulk_create(batch)
            batch = []
    Application.objects.bulk_create(batch)


def create_adopted_lists(election):
    """An adopted list per Gemeinderat/Stadtrat with nominated applicants, in order."""
    from candidates.models import Application
    from districts.models import Council
    from lists.models import CandidateList, ListPlace

    councils = Council.objects.filter(kind=Council.Kind.COUNCIL).select_related("municipality")
    nominated = {}
    for pk, municipality_id in Application.objects.filter(
        status=Application.Status.NOMINATED
    ).values_list("pk", "municipality_id"):
        nominated.setdefault(municipality_id, []).append(pk)
    places = []
    for council in councils:
        people = nominated.get(council.municipality_id, [])[: council.max_list_length or 20]
        if not people:
            continue
        candidate_list = CandidateList.objects.create(
            election=election, council=council, status=CandidateList.Status.ADOPTED
        )
        places += [
            ListPlace(candidate_list=candidate_list, position=i, application_id=pk)
            for i, pk in enumerate(people, start=1)
        ]
    ListPlace.objects.bulk_create(places, batch_size=5000)
    return len(places)


def staff_accounts():
    from tests.factories import make_staff_user

    return (
        make_staff_user(STATE_OFFICE, state_office=True),
        make_staff_user(CHAIR, districts=["harz"]),
    )


# --- measuring --------------------------------------------------------------------------------


def timed(action, rounds):
    """Median time of `rounds` runs after a first one, and the first one's query count
    (counted with an execute wrapper, which outlives the test client's reconnects)."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = action()
    assert response.status_code == 200, response.status_code
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(queries)


def line(label, value, target=""):
    print(f"  {label:<58} {value:<28} {target}")


def pages_in_this_process(rounds):
    """Child side: the changelist and the statistics page for the state office and the
    Harz chair, timed in a fresh process as a server worker would serve them (the parent
    holds the objects it created, and its garbage collector would slow it down)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from tests.factories import login_staff

    with scopes_disabled():
        users = {
            "state office": get_user_model().objects.get(email=STATE_OFFICE),
            "Harz chair": get_user_model().objects.get(email=CHAIR),
        }
        clients = {who: login_staff(Client(), user) for who, user in users.items()}
    pages = {"changelist": reverse("admin:candidates_application_changelist")}
    if importlib.util.find_spec("reports.statistics_views") is not None:
        pages["statistics page"] = reverse("admin:statistics")
    figures = []
    for who, client in clients.items():
        for page, url in pages.items():
            median, queries = timed(lambda client=client, url=url: client.get(url), rounds)
            figures.append({"who": who, "page": page, "ms": median, "queries": queries})
    print(json.dumps(figures))


PAGE_TARGETS = {"changelist": "target < 300 ms", "statistics page": "target < 500 ms"}


def measure_pages(database_url, rows, rounds):
    """The figures of pages_in_this_process, printed; {(page, who): query count}."""
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(  # noqa: S603 (this script, run again)
        [sys.executable, __file__, "--pages", str(rounds)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    counts = {}
    for figure in json.loads(result.stdout.strip().splitlines()[-1]):
        counts[(figure["page"], figure["who"])] = figure["queries"]
        line(
            f"{figure['page']}, {figure['who']}, {rows:,} applications",
            f"{figure['ms']:7.1f} ms  {figure['queries']:3d} queries",
            PAGE_TARGETS[figure["page"]] if rows >= 100_000 else "",
        )
    return counts


def run_export_child(file_format, database_url):
    """One export of everything the state office sees, in a fresh process: its peak RSS
    is what a worker needs for it."""
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(  # noqa: S603 (this script, run again)
        [sys.executable, __file__, "--export", file_format],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def export_in_this_process(file_format):
    """Child side: the state office's export of all applications through the same
    service the admin and the export page use, consumed as a client would."""
    from django.contrib.auth import get_user_model

    from portal.scoping import district_scope_for
    from reports.exports import ApplicationExport, applications_for_export
    from reports.models import ExportRecord
    from reports.services import export_response

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    user = get_user_model().objects.get(email=STATE_OFFICE)
    started = time.perf_counter()
    size = 0
    with district_scope_for(user):
        response = export_response(
            user=user,
            export=ApplicationExport(),
            queryset=applications_for_export(user),
            path=ExportRecord.Path.EXPORT_PAGE,
            file_format=file_format,
            filters={"bench": True},
        )
        for chunk in response.streaming_content:
            size += len(chunk)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows = ExportRecord.objects.order_by("-pk").values_list("row_count", flat=True).first()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "bytes": size,
                "rows": rows,
                "peak_mib": peak / 1024,
                "before_mib": baseline / 1024,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--export", choices=["csv", "xlsx"], help=argparse.SUPPRESS)
    parser.add_argument("--pages", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.pages:  # the child process of measure_pages
        setup_django(os.environ["DATABASE_URL"])
        pages_in_this_process(options.pages)
        return
    if options.export:  # the child process of run_export_child
        setup_django(os.environ["DATABASE_URL"])
        export_in_this_process(options.export)
        return

    server = os.environ.get("DATABASE_URL", "")
    if server.startswith(("postgres://", "postgresql://")):
        run_bench(server, options)
    else:
        with throwaway_postgres() as server:
            run_bench(server, options)


def run_bench(server, options):
    recreate_database(server)
    database_url = with_database(server, BENCH_DATABASE)
    try:
        setup_django(database_url)
        bench(database_url, options)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(server)


def bench(database_url, options):
    import io

    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from candidates.models import Application
    from tests.factories import make_election

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    print(f"PostgreSQL {connection.pg_version // 10000}, database {BENCH_DATABASE}\n")
    rng = random.Random(2029)  # noqa: S311 (made-up data, reproducible)
    with scopes_disabled():
        election = make_election()
        staff_accounts()
        steps = [1_000, options.rows] if options.rows > 1_000 else [options.rows]
        created = 0
        query_counts = {}
        for rows in steps:
            started = time.perf_counter()
            create_applications(created, rows, election, rng)
            created = rows
            places = create_adopted_lists(election) if rows == steps[-1] else 0
            with connection.cursor() as cursor:
                # As autovacuum does soon after a bulk load: statistics for the planner
                # and the visibility map that index-only scans need.
                cursor.execute("VACUUM ANALYZE")
            count = Application.objects.count()
            print(
                f"{count:,} applications"
                + (f", {places:,} places on adopted lists" if places else "")
                + f" (created in {time.perf_counter() - started:.1f} s)"
            )
            query_counts[rows] = measure_pages(database_url, count, options.rounds)
            print()
        if len(steps) == 2:
            same = query_counts[steps[0]] == query_counts[steps[1]]
            print(f"  query counts equal at {steps[0]:,} and {steps[1]:,}: {same}\n")

    for file_format, target in (("csv", "target < 10 s, < 200 MB"), ("xlsx", "target < 60 s")):
        result = run_export_child(file_format, database_url)
        line(
            f"{file_format.upper()} export, all {result['rows']:,} rows (state office)",
            f"{result['seconds']:6.1f} s  {result['bytes'] / 1e6:6.1f} MB",
            target,
        )
        line(
            "  peak memory of the worker process",
            f"{result['peak_mib']:6.0f} MiB",
            f"(after start-up: {result['before_mib']:.0f} MiB)",
        )


if __name__ == "__main__":
    main()
