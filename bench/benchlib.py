"""What the server benches share: a throwaway PostgreSQL (and Redis), a portal database
with an open election, gunicorn started like production, and wrk's figures.

Nothing here is imported by the portal or its tests. Every server it starts listens on
127.0.0.1 only and is stopped (and its files removed) when the `with` block ends.
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent

# A complete, eligible application as the public form posts it (as tests.factories
# valid_data, without the bodies, which depend on the municipality, and with the empty
# honeypot field of candidates.abuse).
APPLICATION = {
    "first_names": "Erika Maria",
    "last_name": "Mustermann",
    "date_of_birth": "1990-05-17",
    "occupation": "Erzieherin",
    "citizenship": "de",
    "phone": "03943 123456",
    "street": "Breite Straße 12",
    "postal_code": "38855",
    "town": "Wernigerode",
    "ortsteil": "",
    "resident_since": "2015-03-01",
    "membership": "non_member",
    "motivation": "Ich will, dass der Bus wieder fährt.",
    "topics": "Nahverkehr",
    "support": ["mentoring", "youth_event"],
    "gender": "woman",
    "migration_history": "",
    "accepts_expectations": "on",
    "privacy_consent": "on",
    "contact_me_by_fax_only": "",
}
VENV_BIN = BASE_DIR / ".venv" / "bin"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- PostgreSQL ----------------------------------------------------------------------------


def pg_bin():
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not candidates:
        sys.exit("No DATABASE_URL and no PostgreSQL binaries: install postgresql or set it.")
    return candidates[-1]


@contextmanager
def throwaway_postgres(*, fsync=True, max_connections=100):
    """A PostgreSQL cluster in a temporary directory on 127.0.0.1, stopped and removed
    afterwards; yields the server URL (database `postgres`). As root, its tools run as
    the postgres account. `fsync=False` only for benches that measure reads: writes
    without fsync would flatter the submission figures."""
    binaries = pg_bin()
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    directory = Path(tempfile.mkdtemp(prefix="portal-bench-pg-"))
    if as_pg:
        shutil.chown(directory, "postgres", "postgres")
    data, port = directory / "data", free_port()

    def run(*command):
        subprocess.run(  # noqa: S603 (our own fixed command lines)
            [*as_pg, *command], check=True, cwd="/", stdout=subprocess.DEVNULL
        )

    run(str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {directory} "
        f"-c max_connections={max_connections}" + ("" if fsync else " -c fsync=off")
    )
    run(str(binaries / "pg_ctl"), "-D", str(data), "-l", str(directory / "log"), "-w",
        "-o", options, "start")  # fmt: skip
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(directory, ignore_errors=True)


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(server_url, name):
    import psycopg2

    connection = psycopg2.connect(with_database(server_url, "postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return with_database(server_url, name)


def drop_database(server_url, name):
    import psycopg2

    connection = psycopg2.connect(with_database(server_url, "postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


@contextmanager
def portal_database(server_url, name="portal_bench"):
    """A fresh database with the migrated reference data and one open election; dropped
    afterwards. Yields its URL."""
    url = recreate_database(server_url, name)
    try:
        manage(url, "migrate", "--verbosity", "0")
        manage(url, "createcachetable")
        subprocess.run(  # noqa: S603
            [str(VENV_BIN / "python"), "-c", OPEN_ELECTION],
            check=True,
            cwd=BASE_DIR,
            env=portal_env(url),
        )
        yield url
    finally:
        drop_database(server_url, name)


OPEN_ELECTION = """
import django
django.setup()
from tests.factories import make_election
make_election()
"""


def manage(database_url, *arguments, extra_env=None):
    subprocess.run(  # noqa: S603
        [str(VENV_BIN / "python"), "manage.py", *arguments],
        check=True,
        cwd=BASE_DIR,
        env=portal_env(database_url, extra_env),
        stdout=subprocess.DEVNULL,
    )


# --- Redis -----------------------------------------------------------------------------------


@contextmanager
def throwaway_redis():
    """redis-server on 127.0.0.1 without persistence; yields its URL."""
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(server).exists():
        sys.exit("redis-server not found: sudo apt-get install redis-server")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


# --- the portal under gunicorn ------------------------------------------------------------

# What the bench settings add to production settings: see bench/settings.py.
BENCH_SETTINGS = "bench.settings"


def portal_env(database_url, extra=None):
    """Production settings (DEBUG off) on loopback: no TLS redirect, mail to a sink."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": BENCH_SETTINGS,
        "DATABASE_URL": database_url,
        "PORTAL_SECRET_KEY": os.environ.get("PORTAL_SECRET_KEY") or secrets.token_urlsafe(40),
        "PORTAL_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_SSL_REDIRECT": "0",
        "PORTAL_DB_CONN_MAX_AGE": "600",
        "PORTAL_BASE_URL": "http://127.0.0.1",
        "PYTHONPATH": str(BASE_DIR),
    }
    env.setdefault("PORTAL_MFA_ENCRYPTION_KEY", "")
    env.update(extra or {})
    return env


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@contextmanager
def gunicorn(database_url, *, workers=2, port=None, extra_env=None, log=None):
    """`gunicorn portal.wsgi` with sync workers, like the production section of the
    README; yields its base URL. Static files: `collectstatic` into a temporary folder."""
    port = port or free_port()
    static_root = tempfile.mkdtemp(prefix="portal-bench-static-")
    env = portal_env(database_url, {"PORTAL_STATIC_ROOT": static_root, **(extra_env or {})})
    subprocess.run(  # noqa: S603
        [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        check=True,
        cwd=BASE_DIR,
        env=env,
    )
    process = subprocess.Popen(  # noqa: S603
        [
            str(VENV_BIN / "gunicorn"),
            "portal.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-" if log else "/dev/null",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        url = f"http://127.0.0.1:{port}"
        warm(url + "/")
        yield url
    finally:
        process.terminate()
        process.wait(20)
        shutil.rmtree(static_root, ignore_errors=True)


def warm(url, times=20):
    for _ in range(times):
        with urllib.request.urlopen(url) as response:  # noqa: S310 (loopback)
            response.read()


# --- wrk -------------------------------------------------------------------------------------


def wrk(url, *, seconds=10, connections=8, threads=2):
    """Requests per second and latency percentiles (ms) of a GET, measured by Debian's wrk;
    non-2xx/3xx answers are counted and reported, never hidden."""
    binary = shutil.which("wrk")
    if binary is None:
        sys.exit("wrk not found: sudo apt-get install wrk")
    output = subprocess.run(  # noqa: S603
        [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for percentile in ("50", "90", "99"):
        match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        figures[f"p{percentile}"] = value * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["errors"] = int(errors.group(1)) if errors else 0
    return figures


def machine():
    """One line on where the figures come from."""
    import platform

    return (
        f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}"
    )
