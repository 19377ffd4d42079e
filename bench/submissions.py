"""Submissions under load: 20 concurrent applicants doing the full flow against gunicorn
with 2 workers on PostgreSQL (fsync on), then everything counted in the database.

Each client, in a loop for `--seconds`: GET a municipality's form page (municipalities of
every district, in turn), read the CSRF token and the bodies it offers, keep the cookie,
POST a complete valid application with an address of its own, and expect the 302 to the
thank-you page (not followed). Mail goes over SMTP to a sink in a subprocess that accepts
at once and counts. By default the portal runs as production with several nodes would:
the request stores the outbox row and the mail worker (`send_pending_mail --follow`, its
CPU counted) sends; `--mail commit` has each request send its own mail after commit.

Afterwards: applications, outbox rows, distinct addresses and mails the sink received —
every 302 must be one application, one outbox row and one mail (nothing lost, nothing
duplicated).

    .venv/bin/python bench/submissions.py              # database cache
    .venv/bin/python bench/submissions.py --redis      # then once more with Redis
    .venv/bin/python bench/submissions.py --mail commit  # each request sends its mail

All clients come from 127.0.0.1, so the bench raises the form's limit per client address
(and per inbox, though every address is used once): it says so in its output.
"""

import argparse
import asyncio
import functools
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import benchlib  # noqa: E402

LIMIT_FOR_THE_BENCH = "1000000000"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BODY_INPUT = re.compile(r'name="bodies" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")
THANKS = re.compile(r"/bewerbung/danke/[A-Za-z0-9_-]+/$")

APPLICATION = benchlib.APPLICATION


# --- the SMTP sink --------------------------------------------------------------------------


class SinkProtocol(asyncio.Protocol):
    """Just enough SMTP for Django's SMTP backend: greet, say yes, read DATA, count."""

    received = 0

    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        self.in_data = False
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data):
        self.buffer += data
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    return
                self.buffer = self.buffer[end + 5 :]
                self.in_data = False
                SinkProtocol.received += 1
                self.transport.write(b"250 OK queued\r\n")
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                return
            line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
            self.command(line.decode("ascii", "replace").upper())

    def command(self, line):
        verb = line[:4]
        if verb == "EHLO":
            self.transport.write(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
        elif verb == "DATA":
            self.in_data = True
            self.transport.write(b"354 go ahead\r\n")
        elif verb == "QUIT":
            self.transport.write(b"221 bye\r\n")
            self.transport.close()
        elif verb == "XCNT":  # the bench asks how many mails arrived
            self.transport.write(f"250 {SinkProtocol.received}\r\n".encode())
        else:  # HELO, MAIL, RCPT, RSET, NOOP
            self.transport.write(b"250 OK\r\n")


def run_sink(port):
    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(SinkProtocol, "127.0.0.1", port, backlog=256)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


@contextmanager
def smtp_sink():
    """The sink in a subprocess (its CPU is not the client's); yields (port, pid)."""
    port = benchlib.free_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, "--smtp-sink", str(port)]
    )
    try:
        benchlib.wait_for_port(port)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(10)


def mails_received(port):
    import socket

    with socket.create_connection(("127.0.0.1", port)) as sock:
        reader = sock.makefile("rb")
        reader.readline()
        sock.sendall(b"XCNT\r\n")
        answer = reader.readline().decode()
        sock.sendall(b"QUIT\r\n")
    return int(answer.split()[1])


@contextmanager
def mail_worker(database_url, extra):
    """`manage.py send_pending_mail --follow` with the portal's environment; yields its pid."""
    process = subprocess.Popen(  # noqa: S603
        [str(benchlib.VENV_BIN / "python"), "manage.py", "send_pending_mail", "--follow"],
        cwd=benchlib.BASE_DIR,
        env=benchlib.portal_env(database_url, {"DJANGO_SETTINGS_MODULE": "portal.settings",
                                               **extra}),
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield process.pid
    finally:
        process.terminate()
        process.wait(30)


def unsent_mail(database_url):
    import psycopg2

    connection = psycopg2.connect(database_url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM notifications_outgoingmail WHERE sent_at IS NULL")
        (unsent,) = cursor.fetchone()
    connection.close()
    return unsent


def cpu_seconds(pid):
    """User plus system CPU of a process (and its waited-for children), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


# --- the clients ----------------------------------------------------------------------------


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.get_ms, self.post_ms = [], []
        self.accepted = 0
        self.errors = {}

    def error(self, what):
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def client(number, base, pages, deadline, results, run):
    host = urlsplit(base)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    cookie = ""
    sent = 0
    index = number
    while time.monotonic() < deadline:
        path = pages[index % len(pages)]
        index += 20
        try:
            headers = {"Cookie": cookie} if cookie else {}
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            page = response.read().decode()
            get_ms = (time.perf_counter() - started) * 1000
            if response.status != 200:
                results.error(f"GET {response.status}")
                continue
            set_cookie = CSRF_COOKIE.search(response.getheader("Set-Cookie") or "")
            if set_cookie:
                cookie = f"csrftoken={set_cookie.group(1)}"
            token = CSRF_INPUT.search(page).group(1)
            offered = BODY_INPUT.findall(page)
            # Every body the municipality offers but the Ortschaftsrat (which needs a name).
            bodies = [body for body in offered if body != "local_council"]
            sent += 1
            fields = {
                **APPLICATION,
                "csrfmiddlewaretoken": token,
                "bodies": bodies,
                "email": f"bench-{run}-{number}-{sent}@example.org",
            }
            body = urlencode(fields, doseq=True)
            started = time.perf_counter()
            connection.request(
                "POST",
                path,
                body=body,
                headers={
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": base + path,
                },
            )
            response = connection.getresponse()
            response.read()
            post_ms = (time.perf_counter() - started) * 1000
            location = response.getheader("Location") or ""
            with results.lock:
                results.get_ms.append(get_ms)
                results.post_ms.append(post_ms)
                if response.status == 302 and THANKS.search(location):
                    results.accepted += 1
                    continue
            results.error(f"POST {response.status}")
        except (OSError, http.client.HTTPException, AttributeError) as error:
            results.error(type(error).__name__)
            connection.close()
            connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    connection.close()


WARM_PASSES = 6


def warm_pages(base, pages, passes=WARM_PASSES):
    """Every page `passes` times, three threads at a time: with two workers, one misses a
    page with a chance of 2 * 2**-passes (3 % for 6 passes)."""
    host = urlsplit(base)

    def one_pass(offset):
        for index in range(len(pages)):
            connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
            connection.request("GET", pages[(index + offset) % len(pages)])
            connection.getresponse().read()
            connection.close()

    started = time.monotonic()
    for done in range(0, passes, 3):
        threads = [
            threading.Thread(target=one_pass, args=(n * 37,)) for n in range(min(3, passes - done))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    print(f"warm-up: {len(pages)} form pages, each {passes} times, "
          f"{time.monotonic() - started:.1f} s")  # fmt: skip


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --- one round ------------------------------------------------------------------------------


def municipality_pages(database_url):
    import psycopg2

    connection = psycopg2.connect(database_url)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.slug, m.slug FROM districts_municipality m "
            "JOIN districts_district d ON d.id = m.district_id ORDER BY m.ags"
        )
        rows = cursor.fetchall()
    connection.close()
    # Interleave the districts, so that consecutive requests go to different ones.
    by_district = {}
    for district, municipality in rows:
        by_district.setdefault(district, []).append(f"/{district}/{municipality}/")
    pages = []
    while any(by_district.values()):
        for paths in by_district.values():
            if paths:
                pages.append(paths.pop(0))
    return pages, len(by_district)


def count_rows(database_url):
    import psycopg2

    connection = psycopg2.connect(database_url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT email) FROM candidates_application")
        applications, addresses = cursor.fetchone()
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE sent_at IS NOT NULL), "
            "count(DISTINCT application_id) FROM notifications_outgoingmail "
            "WHERE kind = 'applicant_confirmation'"
        )
        outbox, sent, outbox_applications = cursor.fetchone()
    connection.close()
    return {
        "applications": applications,
        "addresses": addresses,
        "outbox": outbox,
        "sent": sent,
        "outbox_applications": outbox_applications,
    }


def machine_busy():
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def postgres_cpu():
    """CPU seconds of every PostgreSQL process on the machine (the throwaway cluster's)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/comm"):
        try:
            if stat.read_text().strip() == "postgres":
                total += cpu_seconds(stat.parent.name)
        except OSError:
            continue
    return total


def gunicorn_cpu(port):
    """CPU seconds of the gunicorn master and workers listening on `port`."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = stat.read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"gunicorn" in part for part in command[:2]) and f"127.0.0.1:{port}".encode() in (
            command
        ):
            total += cpu_seconds(stat.parent.name)
    return total


def run_round(server_url, *, seconds, clients, redis_url, label, pages_wanted, mail):
    tag = "redis" if redis_url else "db"
    with ExitStack() as stack:
        database = stack.enter_context(benchlib.portal_database(server_url))
        sink_port, sink_pid = stack.enter_context(smtp_sink())
        extra = {
            "PORTAL_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "PORTAL_EMAIL_HOST": "127.0.0.1",
            "PORTAL_EMAIL_PORT": str(sink_port),
            "PORTAL_APPLICATIONS_PER_IP_PER_HOUR": LIMIT_FOR_THE_BENCH,
            "PORTAL_APPLICATIONS_PER_EMAIL_PER_DAY": LIMIT_FOR_THE_BENCH,
        }
        if redis_url:
            extra["PORTAL_REDIS_URL"] = redis_url
        worker_pid = None
        if mail == "worker":
            extra["PORTAL_SEND_MAIL_ON_COMMIT"] = "0"
            worker_pid = stack.enter_context(mail_worker(database, extra))
        port = benchlib.free_port()
        base = stack.enter_context(benchlib.gunicorn(database, port=port, extra_env=extra))
        pages, districts = municipality_pages(database)
        pages = pages[: pages_wanted or None]
        # Warm both workers: every form page several times (each request may go to either
        # worker), as pages are after a while in production; then a few applications.
        warm_pages(base, pages)
        warm = Results()
        client(0, base, pages[:40], time.monotonic() + 2, warm, f"warm{tag}")
        waited = time.monotonic()
        while unsent_mail(database) and time.monotonic() - waited < 30:
            time.sleep(0.1)  # the warm-up's mail out of the way before counting
        before = count_rows(database)
        mails_before = mails_received(sink_port)

        results = Results()
        cpu_client, cpu_server, cpu_sink, cpu_worker = (
            time.process_time(),
            gunicorn_cpu(port),
            cpu_seconds(sink_pid),
            cpu_seconds(worker_pid) if worker_pid else 0.0,
        )
        cpu_postgres, busy = postgres_cpu(), machine_busy()
        started = time.monotonic()
        deadline = started + seconds
        threads = [
            threading.Thread(
                target=client, args=(n, base, pages, deadline, results, tag), daemon=True
            )
            for n in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        cpu_client = time.process_time() - cpu_client
        cpu_server = gunicorn_cpu(port) - cpu_server
        cpu_sink = cpu_seconds(sink_pid) - cpu_sink
        cpu_worker = (cpu_seconds(worker_pid) - cpu_worker) if worker_pid else 0.0
        cpu_postgres = postgres_cpu() - cpu_postgres
        busy = [now - then for now, then in zip(machine_busy(), busy, strict=True)]
        # The mail still in the outbox when the clients stop, and how long it takes out.
        backlog, drained = unsent_mail(database), time.monotonic()
        while unsent_mail(database) and time.monotonic() - drained < 60:
            time.sleep(0.1)
        drained = time.monotonic() - drained
        time.sleep(1)  # let the last on-commit sends finish
        after = count_rows(database)
        mails = mails_received(sink_port) - mails_before
    counted = {key: after[key] - before[key] for key in after}
    report(
        label, results, elapsed, clients, len(pages), districts, counted, mails,
        (cpu_client, cpu_server, cpu_sink, cpu_postgres, busy[0] / busy[1], cpu_worker),
        (backlog, drained),
    )  # fmt: skip


def report(label, results, elapsed, clients, pages, districts, counted, mails, cpu, backlog):
    accepted = results.accepted
    print(f"\n== {label}: {clients} clients, {elapsed:.1f} s, {pages} municipalities "
          f"in {districts} districts ==")  # fmt: skip
    print(f"accepted applications/s      {accepted / elapsed:8.1f}   ({accepted} accepted)")
    print(
        f"POST ms   p50 {percentile(results.post_ms, 0.5):7.1f}   "
        f"p95 {percentile(results.post_ms, 0.95):7.1f}   "
        f"p99 {percentile(results.post_ms, 0.99):7.1f}   "
        f"mean {statistics.fmean(results.post_ms or [0]):7.1f}"
    )
    print(
        f"GET ms    p50 {percentile(results.get_ms, 0.5):7.1f}   "
        f"p95 {percentile(results.get_ms, 0.95):7.1f}"
    )
    errors = ", ".join(f"{key}: {value}" for key, value in sorted(results.errors.items()))
    print(f"errors                       {errors or 'none'}")
    print(
        f"CPU s     client {cpu[0]:.1f}   gunicorn {cpu[1]:.1f}   mail worker {cpu[5]:.1f}   "
        f"PostgreSQL {cpu[3]:.1f}   smtp sink {cpu[2]:.1f}   (of {elapsed * os.cpu_count():.0f}; "
        f"machine busy {cpu[4]:.0%}, other processes included)"
    )
    if accepted:
        print(
            f"CPU ms per accepted application: gunicorn {cpu[1] / accepted * 1000:.1f}, "
            f"mail worker {cpu[5] / accepted * 1000:.1f}, PostgreSQL "
            f"{cpu[3] / accepted * 1000:.1f}"
        )
    print(
        f"mail      {backlog[0]} unsent when the clients stopped, all sent {backlog[1]:.1f} s later"
    )
    print(
        f"counted   applications {counted['applications']}   outbox rows {counted['outbox']} "
        f"(sent {counted['sent']}, for {counted['outbox_applications']} applications)   "
        f"distinct addresses {counted['addresses']}   mails at the sink {mails}"
    )
    lost = accepted - min(counted["applications"], counted["outbox"], mails)
    duplicated = max(counted["applications"], counted["outbox"], mails) - accepted
    duplicated += counted["applications"] - counted["addresses"]
    ok = lost == 0 and duplicated == 0 and counted["outbox_applications"] == counted["outbox"]
    print(f"lost {lost}   duplicated {duplicated}   {'OK' if ok else 'MISMATCH'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--redis", action="store_true", help="after the database cache, once more with Redis"
    )
    parser.add_argument(
        "--pages",
        type=int,
        default=0,
        help="only the first N municipalities, taken in turn from every district (default: all)",
    )
    parser.add_argument(
        "--mail",
        choices=["worker", "commit"],
        default="worker",
        help="who sends: the mail worker (default) or each request after commit",
    )
    parser.add_argument("--smtp-sink", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.smtp_sink:
        run_sink(arguments.smtp_sink)
        return

    print(benchlib.machine())
    sender = "the mail worker" if arguments.mail == "worker" else "each request after commit"
    print(
        "gunicorn, 2 sync workers, production settings, PostgreSQL with fsync on; mail over "
        f"SMTP to a local sink, sent by {sender}.\nAll clients come from 127.0.0.1: the "
        "bench raises "
        f"PORTAL_APPLICATIONS_PER_IP_PER_HOUR and PORTAL_APPLICATIONS_PER_EMAIL_PER_DAY to "
        f"{LIMIT_FOR_THE_BENCH} (the limits are still counted on every request)."
    )
    with benchlib.throwaway_postgres(fsync=True) as server_url:
        run = functools.partial(
            run_round,
            server_url,
            seconds=arguments.seconds,
            clients=arguments.clients,
            pages_wanted=arguments.pages,
            mail=arguments.mail,
        )
        run(redis_url=None, label="database cache")
        if arguments.redis:
            with benchlib.throwaway_redis() as redis_url:
                run(redis_url=redis_url, label="Redis cache")
    print("\nTargets (issue 12): >= 100 accepted/s at 20 clients, POST p95 < 300 ms, "
          "nothing lost or duplicated.")  # fmt: skip


if __name__ == "__main__":
    main()
