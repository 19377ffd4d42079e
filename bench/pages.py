"""Issue 12, targets 1 and 3: the public pages side by side with a bare Django view and
with pretalx's call-for-papers form, in one run on this machine with the same server
settings for everyone (gunicorn, 2 sync workers, DEBUG off, PostgreSQL; wrk with 8
connections; rounds alternating between the targets, the median of the rounds printed).

    .venv/bin/python bench/pages.py                  # 3 rounds of 10 s per target
    .venv/bin/python bench/pages.py --seconds 3 --rounds 1   # a quick look
    .venv/bin/python bench/pages.py --cache-venv     # keep pretalx's virtualenv for next time
    .venv/bin/python bench/pages.py --clean          # remove that cached virtualenv

What it starts, all on 127.0.0.1, and stops and removes afterwards: a throwaway PostgreSQL
cluster (benchlib), redis-server if installed (for pretalx's recommended setup), the
portal twice (with its page cache, and with PORTAL_PAGE_CACHE_SECONDS=0), a minimal Django
project (bench/bare_settings.py), and pretalx from PyPI in a virtualenv under /tmp with
its demo event (`create_test_event --stage cfp`, the CfP deadline moved into the future).

Every answer is counted by status class (a wrk Lua script): a target whose answers are not
what it should answer (200, or a 3xx for the search that redirects) is marked and its
ratios FAIL. Needs Debian's wrk (`apt-get install wrk`); never part of `.ci/run`.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import benchlib  # noqa: E402

CACHED_VENV = Path("/tmp/portal-bench-pretalx-venv")  # noqa: S108 (only with --cache-venv)
PRETALX_EVENT = "democon"

# Counts the answers of every wrk thread by status class; done() adds them up.
STATUS_SCRIPT = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  counts = {0, 0, 0, 0, 0}
end
function response(status, headers, body)
  local class = math.floor(status / 100)
  if class >= 1 and class <= 5 then counts[class] = counts[class] + 1 end
end
function done(summary, latency, requests)
  local total = {0, 0, 0, 0, 0}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for i = 1, 5 do total[i] = total[i] + c[i] end
  end
  io.write(string.format("STATUS %d %d %d %d %d\\n", total[1], total[2], total[3], total[4],
    total[5]))
  local e = summary.errors
  io.write(string.format("SOCKET %d\\n", e.connect + e.read + e.write + e.timeout))
end
"""


# --- measuring -------------------------------------------------------------------------------


def wrk_counted(url, *, seconds, script, connections=8, threads=2):
    """benchlib.wrk's figures plus the answers counted by status class."""
    binary = shutil.which("wrk")
    if binary is None:
        sys.exit("wrk not found: sudo apt-get install wrk")
    output = subprocess.run(  # noqa: S603 (our own command line)
        [
            binary,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            script,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for percentile in ("50", "99"):
        match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        figures[f"p{percentile}"] = value * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    classes = [int(n) for n in re.search(r"^STATUS ([\d ]+)$", output, re.M).group(1).split()]
    figures["by_class"] = dict(zip(("1xx", "2xx", "3xx", "4xx", "5xx"), classes, strict=True))
    figures["socket_errors"] = int(re.search(r"^SOCKET (\d+)$", output, re.M).group(1))
    return figures


def probe(url):
    """One GET without following redirects: (status, Location, body length)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        body = response.read()
        return response.status, response.getheader("Location"), len(body)
    finally:
        connection.close()


class Target:
    def __init__(self, key, label, url, expect):
        self.key, self.label, self.url, self.expect = key, label, url, expect  # "2xx" / "3xx"
        self.rounds = []

    def check(self):
        status, location, length = probe(self.url)
        if f"{status // 100}xx" != self.expect:
            sys.exit(f"{self.label}: GET {self.url} answered {status}, expected {self.expect}")
        return status, location, length

    def warm(self, times=20):
        for _ in range(times):
            probe(self.url)

    def median(self, figure):
        return statistics.median(r[figure] for r in self.rounds)

    @property
    def answers(self):
        return sum(sum(r["by_class"].values()) for r in self.rounds)

    @property
    def unexpected(self):
        """Answers of another status class than expected, plus socket errors."""
        return sum(
            sum(n for cls, n in r["by_class"].items() if cls != self.expect) + r["socket_errors"]
            for r in self.rounds
        )


# --- servers ---------------------------------------------------------------------------------


@contextmanager
def serve(gunicorn_bin, app, *, env, cwd, log_dir, port=None):
    """gunicorn with the same options as benchlib.gunicorn (2 sync workers, no access log)."""
    port = port or benchlib.free_port()
    log = open(Path(log_dir) / f"gunicorn-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        [
            str(gunicorn_bin),
            app,
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        try:
            benchlib.wait_for_port(port, timeout=60)
        except RuntimeError:
            log.flush()
            sys.exit(f"{app} did not start:\n{Path(log.name).read_text()[-3000:]}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(20)
        log.close()


@contextmanager
def bare_django(log_dir):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.bare_settings",
        "BARE_SECRET_KEY": secrets.token_urlsafe(40),
        "PYTHONPATH": str(BASE_DIR),
    }
    app = "django.core.wsgi:get_wsgi_application()"
    with serve(benchlib.VENV_BIN / "gunicorn", app, env=env, cwd=BASE_DIR, log_dir=log_dir) as u:
        yield u


def run_quietly(command, *, env=None, cwd=None, what):
    result = subprocess.run(  # noqa: S603
        command, env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"{what} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result.stdout


@contextmanager
def pretalx_venv(*, cached, pin):
    """pretalx from PyPI in a virtualenv under /tmp, with the portal's own versions of
    gunicorn, the PostgreSQL driver and redis-py (so the servers differ only in the app),
    plus Faker and freezegun, which its `create_test_event` command imports."""
    path = CACHED_VENV if cached else Path(tempfile.mkdtemp(prefix="portal-bench-pretalx-"))
    try:
        python = path / "bin" / "python"
        if not python.exists():
            print(f"Installing pretalx into {path} (PyPI) ...", flush=True)
            run_quietly([sys.executable, "-m", "venv", str(path)], what="python -m venv")
            run_quietly(
                [
                    str(python),
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--disable-pip-version-check",
                    f"pretalx=={pin}" if pin else "pretalx",
                    f"gunicorn=={version('gunicorn')}",
                    f"psycopg2-binary=={version('psycopg2-binary')}",
                    f"redis=={version('redis')}",
                    "Faker",
                    "freezegun",
                ],
                what="pip install pretalx",
            )
        yield path
    finally:
        if not cached:
            shutil.rmtree(path, ignore_errors=True)


OPEN_CFP = f"""
import datetime as dt
import django
django.setup()
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretalx.event.models import Event
with scopes_disabled():
    event = Event.objects.get(slug="{PRETALX_EVENT}")
    # create_test_event --stage cfp puts the deadline 60 days before an event 35 days
    # ahead, so its CfP is closed: open it until next month.
    event.cfp.opening = None
    event.cfp.deadline = now() + dt.timedelta(days=30)
    event.cfp.save()
    event.submission_types.update(deadline=None)
    assert event.cfp.is_open
"""


@contextmanager
def pretalx_site(venv, pg_server, work_dir):
    """pretalx's database on the throwaway cluster, its static files collected (its
    `rebuild` also builds the schedule editor with npm, which the CfP does not use), an
    administrator, and the demo event with an open CfP. Yields the environment."""
    parts = urlsplit(pg_server)
    database = "pretalx_bench"
    benchlib.recreate_database(pg_server, database)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))},
        "DJANGO_SETTINGS_MODULE": "pretalx.settings",
        "PRETALX_DATA_DIR": str(Path(work_dir) / "pretalx-data"),
        "PRETALX_FILESYSTEM_STATIC": str(Path(work_dir) / "pretalx-static"),
        "PRETALX_DEBUG": "False",
        "PRETALX_DB_TYPE": "postgresql",
        "PRETALX_DB_NAME": database,
        "PRETALX_DB_USER": parts.username,
        "PRETALX_DB_HOST": parts.hostname,
        "PRETALX_DB_PORT": str(parts.port),
        "PRETALX_SITE_URL": "http://127.0.0.1",
        "PRETALX_MAIL_HOST": "127.0.0.1",
        "PRETALX_MAIL_PORT": "9",
    }
    python = str(venv / "bin" / "python")
    try:
        print("Setting up pretalx (migrate, collectstatic, demo event) ...", flush=True)
        static = subprocess.Popen(  # noqa: S603 (alongside migrate: it needs no database)
            [python, "-m", "pretalx", "collectstatic", "--noinput", "-v0"],
            env=env,
            cwd=work_dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        run_quietly(
            [python, "-m", "pretalx", "migrate", "-v0"],
            env=env,
            cwd=work_dir,
            what="pretalx migrate",
        )
        if static.wait():
            sys.exit(f"pretalx collectstatic failed:\n{static.stderr.read()[-3000:]}")
        init_env = {
            **env,
            "DJANGO_SUPERUSER_EMAIL": "admin@example.org",
            "DJANGO_SUPERUSER_PASSWORD": secrets.token_urlsafe(16),
            "PRETALX_INIT_ORGANISER_NAME": "Bench",
            "PRETALX_INIT_ORGANISER_SLUG": "bench",
        }
        run_quietly(
            [python, "-m", "pretalx", "init", "--noinput"],
            env=init_env,
            cwd=work_dir,
            what="pretalx init",
        )
        run_quietly(
            [
                python,
                "-m",
                "pretalx",
                "create_test_event",
                "--stage",
                "cfp",
                "--slug",
                PRETALX_EVENT,
                "--seed",
                "1",
            ],
            env=env,
            cwd=work_dir,
            what="pretalx create_test_event",
        )
        run_quietly([python, "-c", OPEN_CFP], env=env, cwd=work_dir, what="opening the CfP")
        yield env
    finally:
        benchlib.drop_database(pg_server, database)


@contextmanager
def pretalx_server(venv, env, work_dir, redis_url=None):
    port = benchlib.free_port()
    env = {**env, "PRETALX_SITE_URL": f"http://127.0.0.1:{port}"}
    if redis_url:
        env["PRETALX_REDIS"] = redis_url
    with serve(
        venv / "bin" / "gunicorn",
        "pretalx.wsgi",
        env=env,
        cwd=work_dir,
        log_dir=work_dir,
        port=port,
    ) as url:
        yield url


def cfp_form_url(base):
    """/<event>/submit/ redirects to a fresh wizard URL (/<event>/submit/<tmpid>/info/);
    follow it once and check that a GET without cookies answers 200 there."""
    status, location, _ = probe(f"{base}/{PRETALX_EVENT}/submit/")
    if status // 100 != 3 or not location:
        sys.exit(f"pretalx /{PRETALX_EVENT}/submit/ answered {status}, not a redirect")
    path = urlsplit(location).path
    status, _, length = probe(base + path)
    if status != 200:
        sys.exit(f"pretalx {path} answered {status}, not 200")
    return path, length


# --- the run ---------------------------------------------------------------------------------


def wait_for_other_benches(wait):
    mine = {str(os.getpid())}
    deadline, waited = time.monotonic() + wait, False
    while True:
        found = subprocess.run(
            ["pgrep", "-f", "wrk|gunicorn"],  # noqa: S607 (Debian procps)
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        others = [pid for pid in found if pid not in mine]
        if not others:
            return
        if time.monotonic() > deadline:
            sys.exit(f"Another bench is running (wrk/gunicorn: {', '.join(others)}); try later.")
        if not waited:
            print(f"Another bench is running (wrk/gunicorn: {', '.join(others)}); waiting ...")
            waited = True
        time.sleep(20)


def ratio_line(label, numerator, denominator, target, shown_target):
    value = numerator.median("rps") / denominator.median("rps")
    honest = not numerator.unexpected and not denominator.unexpected
    verdict = "PASS" if honest and value >= target else "FAIL"
    note = "" if honest else "  (unexpected answers: see the table)"
    return f"  {label:<58} {value:7.2f}   target >= {shown_target:<5} {verdict}{note}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="per round and target")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pretalx-version", help="default: the newest that installs here")
    parser.add_argument(
        "--cache-venv",
        action="store_true",
        help=f"keep pretalx's virtualenv in {CACHED_VENV} for the next run",
    )
    parser.add_argument("--clean", action="store_true", help=f"remove {CACHED_VENV} and exit")
    parser.add_argument(
        "--wait", type=int, default=900, help="seconds to wait for another bench to finish"
    )
    args = parser.parse_args()
    if args.clean:
        shutil.rmtree(CACHED_VENV, ignore_errors=True)
        print(f"Removed {CACHED_VENV}.")
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: sudo apt-get install wrk")
    wait_for_other_benches(args.wait)
    load_before = os.getloadavg()[0]

    with ExitStack() as stack:
        work_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="portal-bench-pages-"))
        script = Path(work_dir) / "status.lua"
        script.write_text(STATUS_SCRIPT)
        venv = stack.enter_context(pretalx_venv(cached=args.cache_venv, pin=args.pretalx_version))
        pretalx_version = run_quietly(
            [str(venv / "bin" / "python"), "-c", "import pretalx; print(pretalx.__version__)"],
            what="pretalx --version",
        ).strip()
        pg = stack.enter_context(benchlib.throwaway_postgres())
        print("Migrating the portal's database ...", flush=True)
        portal_db = stack.enter_context(benchlib.portal_database(pg))
        pretalx_env = stack.enter_context(pretalx_site(venv, pg, work_dir))
        has_redis = bool(shutil.which("redis-server") or Path("/usr/bin/redis-server").exists())
        redis_url = stack.enter_context(benchlib.throwaway_redis()) if has_redis else None

        print("Starting the servers ...", flush=True)
        bare = stack.enter_context(bare_django(work_dir))
        portal = stack.enter_context(benchlib.gunicorn(portal_db))
        portal_uncached = stack.enter_context(
            benchlib.gunicorn(portal_db, extra_env={"PORTAL_PAGE_CACHE_SECONDS": "0"})
        )
        pretalx = stack.enter_context(pretalx_server(venv, pretalx_env, work_dir))
        cfp_path, cfp_length = cfp_form_url(pretalx)
        targets = [
            Target("bare", "bare Django view (bench/bare_settings.py)", bare + "/", "2xx"),
            Target(
                "stack",
                "bare view in the portal's stack /bench/bare/",
                portal + "/bench/bare/",
                "2xx",
            ),
            Target("home", "home /", portal + "/", "2xx"),
            Target("district", "district /harz/", portal + "/harz/", "2xx"),
            Target(
                "redirect",
                "search /suche/?q=Wernigerode (redirect)",
                portal + "/suche/?q=Wernigerode",
                "3xx",
            ),
            Target(
                "results", "search /suche/?q=Wernig (results)", portal + "/suche/?q=Wernig", "2xx"
            ),
            Target("form", "form /harz/wernigerode/", portal + "/harz/wernigerode/", "2xx"),
            Target(
                "uncached",
                "form /harz/wernigerode/ without page cache",
                portal_uncached + "/harz/wernigerode/",
                "2xx",
            ),
            Target(
                "pretalx",
                f"pretalx {pretalx_version} CfP form (PostgreSQL only)",
                pretalx + cfp_path,
                "2xx",
            ),
        ]
        if redis_url:
            pretalx_redis = stack.enter_context(
                pretalx_server(venv, pretalx_env, work_dir, redis_url=redis_url)
            )
            targets.append(
                Target(
                    "pretalx_redis",
                    f"pretalx {pretalx_version} CfP form (+ Redis)",
                    pretalx_redis + cfp_path,
                    "2xx",
                )
            )
        print("\nWhat is measured (one GET each, redirects not followed):")
        for target in targets:
            status, location, length = target.check()
            target.warm()
            where = f" -> {urlsplit(location).path}?{urlsplit(location).query}" if location else ""
            print(f"  {target.label:<52} {status} {length:>6} bytes{where.rstrip('?')}")
        print(
            f"  pretalx: GET /{PRETALX_EVENT}/submit/ redirects to a new wizard URL; measured is"
            f" {cfp_path} ({cfp_length} bytes, 200 without cookies)"
        )

        total = len(targets) * args.rounds * args.seconds
        print(
            f"\n{args.rounds} rounds x {len(targets)} targets x {args.seconds} s "
            f"(about {total // 60} min {total % 60} s), alternating ...",
            flush=True,
        )
        for number in range(args.rounds):
            for target in targets:
                target.rounds.append(
                    wrk_counted(target.url, seconds=args.seconds, script=str(script))
                )
            print(f"  round {number + 1} done", flush=True)

    by_key = {t.key: t for t in targets}
    print(
        f"\n{benchlib.machine()}; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after (above 2: something else ran on these cores)"
    )
    print(
        f"gunicorn {version('gunicorn')} (2 sync workers, DEBUG off), Django "
        f"{version('Django')}, PostgreSQL (throwaway cluster, fsync on), pretalx "
        f"{pretalx_version}; wrk 2 threads, 8 connections, {args.rounds} x {args.seconds} s "
        f"per target, median of the rounds\n"
    )
    print(f"  {'':<58} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'answers':>9} {'unexpected':>10}")
    for t in targets:
        print(
            f"  {t.label:<58} {t.median('rps'):8.0f} {t.median('p50'):8.1f} "
            f"{t.median('p99'):8.1f} {t.answers:9d} {t.unexpected:10d}"
        )
    pretalx_best = max(
        (t for t in targets if t.key.startswith("pretalx")), key=lambda t: t.median("rps")
    )
    bare_view = by_key["bare"]
    print("\nTargets (issue 12; ratios of requests/s):")
    print(
        ratio_line(
            f"form / pretalx CfP form ({pretalx_best.label.split('(')[-1][:-1]})",
            by_key["form"],
            pretalx_best,
            5,
            "5",
        )
    )
    print(ratio_line("form / bare Django view", by_key["form"], bare_view, 0.1, "1/10"))
    for key in ("home", "district", "redirect", "results"):
        t = by_key[key]
        print(ratio_line(f"{t.label} / bare Django view", t, bare_view, 1 / 3, "1/3"))
    print("Without page cache (not a target, for honesty):")
    print(
        ratio_line(
            "form without page cache / pretalx CfP form", by_key["uncached"], pretalx_best, 5, "5"
        )
    )
    print(
        ratio_line(
            "form without page cache / bare Django view", by_key["uncached"], bare_view, 0.1, "1/10"
        )
    )
    stack_ratio = by_key["form"].median("rps") / by_key["stack"].median("rps")
    print(f"  {'form / bare view in the portal stack (information)':<58} {stack_ratio:7.2f}")


if __name__ == "__main__":
    main()
