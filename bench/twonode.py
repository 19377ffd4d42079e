"""Two app nodes behind nginx, sharing one PostgreSQL and one Redis: the check that the
portal runs on several nodes (issue 12, "Scale-out").

Starts, all on 127.0.0.1 and all thrown away afterwards: a PostgreSQL cluster, a Redis,
two gunicorn instances (node A and node B, 2 sync workers each, the same DATABASE_URL,
PORTAL_REDIS_URL, PORTAL_SECRET_KEY and PORTAL_MFA_ENCRYPTION_KEY, PORTAL_TRUSTED_PROXY_COUNT=1)
and nginx with the configuration from deploy/nginx.conf (the node addresses and the
listening port filled in, TLS left out). Then it checks, talking to node A and node B
directly and through nginx:

- the form's limit per client address, its limit per e-mail address and allauth's login
  limits count across both nodes, and behind nginx the counted address is the client's;
- a TOTP code used on node A is refused on node B;
- a session started on node A works on node B;
- submissions through nginx with one node and with two (accepted/s, POST p95);
- stopping node B mid-run (SIGTERM to its gunicorn master; then SIGKILL to master and
  workers, a crash) loses no accepted application: every 302 is one application and one
  outbox row, and a failed POST is reported if it stored anything.

Prints figures and PASS/FAIL lines; exits 1 on any FAIL. Timing figures are printed, not
judged (beside the targets of issue 12), except that a check needs its answers.

    .venv/bin/python bench/twonode.py                 # about 4 minutes
    .venv/bin/python bench/twonode.py --seconds 8     # shorter load runs

Needs the PostgreSQL server binaries, Debian's redis-server and nginx (nginx-light is
enough): `apt-get install postgresql redis-server nginx-light`. Mail goes nowhere
(Django's dummy backend): the outbox rows are what is counted.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import benchlib  # noqa: E402

NGINX_TEMPLATE = BASE_DIR / "deploy" / "nginx.conf"
APPLY_PATH = "/harz/wernigerode/"
LOGIN_PATH = "/konto/login/"
MFA_PATH = "/konto/2fa/authenticate/"
ADMIN_PATH = "/verwaltung/"
TOTP_PERIOD = 30  # allauth's MFA_TOTP_PERIOD default, tolerance 0

# What the checks set low; the load runs use nodes with limits nobody reaches.
PER_IP_LIMIT = 3
PER_EMAIL_LIMIT = 2
# portal/settings.py ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
LOGIN_FAILED_PER_KEY = 5
LOGIN_FAILED_PER_IP = 10
TOO_MANY_LOGINS = "Zu viele gescheiterte Anmeldeversuche"

# A complete, eligible application for APPLY_PATH (Wernigerode offers these bodies).
APPLICATION = {**benchlib.APPLICATION, "bodies": ["council", "district_council"]}

failures = []


def verdict(ok, text):
    print(f"{'PASS' if ok else 'FAIL'}  {text}", flush=True)
    if not ok:
        failures.append(text)


# --- a small browser: cookies by hand, because the session and CSRF cookies are Secure
# (production settings) and the standard cookie jars keep those off plain http. ---------


class Browser:
    def __init__(self, *, source=None, forwarded_for=None, timeout=30):
        self.cookies = {}
        self.source = source
        self.forwarded_for = forwarded_for
        self.timeout = timeout
        self.connections = {}

    def _connection(self, netloc):
        connection = self.connections.get(netloc)
        if connection is None:
            host, port = netloc.rsplit(":", 1)
            source = (self.source, 0) if self.source else None
            connection = http.client.HTTPConnection(
                host, int(port), timeout=self.timeout, source_address=source
            )
            self.connections[netloc] = connection
        return connection

    def close(self):
        for connection in self.connections.values():
            connection.close()
        self.connections.clear()

    def request(self, method, url, data=None):
        """(status, location, body) of one request; no redirect is followed. A connection
        error closes the connection and raises."""
        parts = urlsplit(url)
        headers = {"Host": parts.hostname, "Accept-Language": "de"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"{parts.scheme}://{parts.netloc}{parts.path}"
        connection = self._connection(parts.netloc)
        try:
            connection.request(
                method,
                parts.path + (f"?{parts.query}" if parts.query else ""),
                body=body,
                headers=headers,
            )
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        except Exception:
            connection.close()
            self.connections.pop(parts.netloc, None)
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.headers.get("Connection", "").lower() == "close":
            connection.close()
            self.connections.pop(parts.netloc, None)
        return response.status, response.headers.get("Location", ""), content

    def get(self, url):
        return self.request("GET", url)

    def post_form(self, url, data, *, form_url=None):
        """GET the page with the form (CSRF cookie and token), then POST `data` to it."""
        status, _location, page = self.get(form_url or url)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise RuntimeError(f"no form at {form_url or url}: {status}")
        return self.request("POST", url, {**data, "csrfmiddlewaretoken": match.group(1)})


def apply(browser, base, email):
    status, _location, _body = browser.post_form(base + APPLY_PATH, {**APPLICATION, "email": email})
    return status


# --- TOTP codes as an authenticator app computes them (RFC 6238, SHA-1, 6 digits) ----------


def totp_code(secret, at=None):
    counter = int(time.time() if at is None else at) // TOTP_PERIOD
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def wait_for_fresh_totp_window(seconds_needed=15):
    left = TOTP_PERIOD - time.time() % TOTP_PERIOD
    if left < seconds_needed:
        time.sleep(left + 0.2)


# --- the servers ---------------------------------------------------------------------------


def shared_env(redis_url, *, per_ip, per_email):
    """What both nodes must share, and the limits of this phase."""
    return {
        "PORTAL_REDIS_URL": redis_url,
        "PORTAL_TRUSTED_PROXY_COUNT": "1",
        "PORTAL_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "PORTAL_APPLICATIONS_PER_IP_PER_HOUR": str(per_ip),
        "PORTAL_APPLICATIONS_PER_EMAIL_PER_DAY": str(per_email),
    }


def gunicorn_master(port):
    """The pid of the gunicorn master bound to `port` that this process started (benchlib
    keeps its Popen to itself)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == os.getpid() and "gunicorn" in cmdline and f"127.0.0.1:{port}" in cmdline:
            return int(entry.name)
    raise RuntimeError(f"no gunicorn master on port {port}")


def children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def nginx_site(node_ports, listen_port):
    """deploy/nginx.conf with the bench's nodes and listening address: every marked section
    must be there exactly once, so that the template cannot drift from what is tested."""
    text = NGINX_TEMPLATE.read_text()

    def replace(name, new):
        nonlocal text
        pattern = re.compile(
            rf"^[ \t]*# bench: {name}\n.*?^[ \t]*# bench: end {name}\n", re.M | re.S
        )
        text, count = pattern.subn(lambda _match: new, text)
        if count != 1:
            sys.exit(f"deploy/nginx.conf: marker 'bench: {name}' found {count} times, not once")

    replace(
        "nodes",
        "".join(
            f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n" for port in node_ports
        ),
    )
    replace("redirect", "")
    replace("listen", f"    listen 127.0.0.1:{listen_port};\n    server_name 127.0.0.1;\n")
    return text


@contextmanager
def nginx(node_ports):
    """nginx in the foreground on a free port; yields (base URL, access log path)."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        sys.exit("nginx not found: sudo apt-get install nginx-light")
    directory = Path(tempfile.mkdtemp(prefix="portal-bench-nginx-"))
    directory.chmod(0o755)
    port = benchlib.free_port()
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {directory}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = directory / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {directory}/nginx.pid;\n"
        f"error_log {directory}/error.log warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        "    log_format bench '$request_method $status $upstream_addr $upstream_status';\n"
        f"    access_log {directory}/access.log bench;\n{temp}"
        f"{nginx_site(node_ports, port)}\n}}\n"
    )
    process = subprocess.Popen(  # noqa: S603
        [binary, "-c", str(config), "-p", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        try:
            benchlib.wait_for_port(port, timeout=10)
        except RuntimeError:
            process.kill()
            sys.exit(f"nginx did not start: {process.stderr.read().decode()}")
        yield f"http://127.0.0.1:{port}", directory / "access.log"
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(directory, ignore_errors=True)


def upstreams(access_log, method="POST"):
    """How many requests of `method` each node answered, from nginx's access log."""
    counts = {}
    for line in Path(access_log).read_text().splitlines():
        parts = line.split(" ")
        if parts[0] == method:
            counts[parts[2]] = counts.get(parts[2], 0) + 1
    return counts


# --- the database, read directly -------------------------------------------------------------


class Rows:
    def __init__(self, url):
        import psycopg2

        self.connection = psycopg2.connect(url)
        self.connection.autocommit = True

    def by_email(self, emails):
        """{email: (applications, outbox rows to that address)}"""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT lower(email), count(*) FROM candidates_application "
                "WHERE lower(email) = ANY(%s) GROUP BY 1",
                [list(emails)],
            )
            applications = dict(cursor.fetchall())
            cursor.execute(
                'SELECT lower("to"), count(*) FROM notifications_outgoingmail '
                'WHERE lower("to") = ANY(%s) GROUP BY 1',
                [list(emails)],
            )
            mails = dict(cursor.fetchall())
        return {email: (applications.get(email, 0), mails.get(email, 0)) for email in emails}

    def count_like(self, pattern):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM candidates_application WHERE email LIKE %s), "
                '(SELECT count(*) FROM notifications_outgoingmail WHERE "to" LIKE %s)',
                [pattern, pattern],
            )
            return cursor.fetchone()


STAFF_SETUP = """
import json, django
django.setup()
from portal.demo import set_up_demo_staff_user, totp_secret
accounts = {}
for email in ("totp@example.org", "limits@example.org"):
    user, password = set_up_demo_staff_user(email, state_office=True)
    accounts[email] = {"password": password, "secret": totp_secret(user)}
print(json.dumps(accounts))
"""


def create_staff(database_url, env):
    output = subprocess.run(  # noqa: S603
        [str(benchlib.VENV_BIN / "python"), "-c", STAFF_SETUP],
        check=True,
        cwd=BASE_DIR,
        env=benchlib.portal_env(database_url, env),
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- the checks ------------------------------------------------------------------------------


def check_client_limit(a, b, front):
    print(f"\n# Form limit per client address ({PER_IP_LIMIT} per hour), counted in Redis")
    # Directly at the nodes, as nginx would send it (X-Forwarded-For: the client).
    browser = Browser(forwarded_for="198.51.100.7")
    statuses = [
        apply(browser, node, f"ip-direct-{i}@example.net") for i, node in enumerate([a, b, a, b, a])
    ]
    print(f"  one client, alternating A B A B A: {statuses}")
    verdict(
        statuses == [302, 302, 302, 429, 429],
        f"the {PER_IP_LIMIT + 1}th submission of one client is refused (429) on either node",
    )

    # Through nginx: the counted address is the client's, not nginx's 127.0.0.1.
    first = Browser(source="127.0.0.2")
    statuses = [apply(first, front, f"ip-nginx-{i}@example.net") for i in range(4)]
    forged = Browser(source="127.0.0.2", forwarded_for="192.0.2.99")
    statuses.append(apply(forged, front, "ip-nginx-forged@example.net"))
    other = Browser(source="127.0.0.3")
    other_status = apply(other, front, "ip-nginx-other@example.net")
    print(
        f"  through nginx, client 127.0.0.2 (4 posts, then one with a forged "
        f"X-Forwarded-For): {statuses}; client 127.0.0.3: {other_status}"
    )
    verdict(
        statuses == [302, 302, 302, 429, 429] and other_status == 302,
        "behind nginx each client address counts alone; a forged X-Forwarded-For does not reset it",
    )


def check_email_limit(a, b, rows):
    print(f"\n# Mails per e-mail address ({PER_EMAIL_LIMIT} per day)")
    email = "mail-limit@example.net"
    statuses = [
        apply(Browser(forwarded_for=f"198.51.100.{20 + i}"), node, email)
        for i, node in enumerate([a, b, a, b])
    ]
    applications, mails = rows.by_email([email])[email]
    print(
        f"  one address, 4 submissions alternating A B A B (each from another client): "
        f"{statuses}; applications {applications}, outbox rows to it {mails}"
    )
    verdict(
        statuses == [302] * 4 and (applications, mails) == (1, PER_EMAIL_LIMIT),
        f"one application and {PER_EMAIL_LIMIT} mails (confirmation, 'already applied'), "
        "then nothing: the same thank-you answer every time",
    )


def login_attempt(node, email, password, forwarded_for):
    browser = Browser(forwarded_for=forwarded_for)
    status, location, body = browser.post_form(
        node + LOGIN_PATH, {"login": email, "password": password}
    )
    return status, location, TOO_MANY_LOGINS in body


def check_login_limits(a, b, accounts):
    print("\n# allauth's login limits (ACCOUNT_RATE_LIMITS login_failed 10/m/ip, 5/300s/key)")
    email = "limits@example.org"
    answers = [
        login_attempt(node, email, "wrong password", "203.0.113.5") for node in [a, b, a, b, a]
    ]
    last = login_attempt(b, email, accounts[email]["password"], "203.0.113.6")
    print(
        f"  {LOGIN_FAILED_PER_KEY} wrong passwords alternating A B A B A: "
        f"{[(s, 'too many' if t else 'wrong') for s, _l, t in answers]}; then the right "
        f"password on B from another address: {last[0]} {'too many' if last[2] else last[1]}"
    )
    verdict(
        not any(t for _s, _l, t in answers) and last[0] == 200 and last[2],
        f"after {LOGIN_FAILED_PER_KEY} failures for one account (at most 3 per node) "
        "even the right password is refused",
    )

    answers = [
        login_attempt([a, b][i % 2], f"nobody-{i}@example.org", "wrong", "203.0.113.7")
        for i in range(LOGIN_FAILED_PER_IP + 1)
    ]
    refused = [t for _s, _l, t in answers]
    print(
        f"  {LOGIN_FAILED_PER_IP + 1} failures for different accounts from one address, "
        f"alternating nodes: refused as too many: {refused}"
    )
    verdict(
        refused == [False] * LOGIN_FAILED_PER_IP + [True],
        f"the {LOGIN_FAILED_PER_IP + 1}th failure from one address within a minute is "
        "refused (at most 6 per node)",
    )


def sign_in(browser, node, email, password, code):
    status, location, _body = browser.post_form(
        node + LOGIN_PATH, {"login": email, "password": password}
    )
    if (status, location) != (302, MFA_PATH):
        return ("password", status, location)
    status, location, body = browser.post_form(node + MFA_PATH, {"code": code})
    return ("code", status, location if status == 302 else ("Falscher Code." in body))


def check_totp_and_session(a, b, front, accounts):
    print("\n# TOTP code used once, session shared")
    email = "totp@example.org"
    account = accounts[email]
    wait_for_fresh_totp_window()
    code = totp_code(account["secret"])
    first = Browser()
    on_a = sign_in(first, a, email, account["password"], code)
    second = Browser()
    on_b = sign_in(second, b, email, account["password"], code)
    print(f"  code on A: {on_a}; the same code on B: {on_b}")
    verdict(
        on_a[:2] == ("code", 302) and on_a[2].startswith(ADMIN_PATH),
        "password and code on node A sign in",
    )
    verdict(
        on_b == ("code", 200, True),
        "the same code on node B (same 30 s window) is refused as 'Falscher Code.'",
    )

    admin_b = first.get(b + ADMIN_PATH)
    admin_front = first.get(front + ADMIN_PATH)
    refused_b = second.get(b + ADMIN_PATH)
    print(
        f"  A's session cookie: admin via B {admin_b[0]}, via nginx {admin_front[0]}; "
        f"the refused sign-in's cookie via B: {refused_b[0]} {refused_b[1]}"
    )
    verdict(
        admin_b[0] == 200 and email in admin_b[2] and admin_front[0] == 200,
        "the session started on node A opens the admin on node B and through nginx",
    )
    verdict(
        refused_b[0] == 302 and "login" in refused_b[1],
        "the refused sign-in on B has no admin session",
    )


# --- load ------------------------------------------------------------------------------------


def run_load(front, *, label, seconds, threads=20, halfway=None):
    """`threads` clients, each: GET the form, POST an application with a new address, for
    `seconds`; `halfway()` is called after half the time. Returns the records
    (email, status or None, POST seconds, error)."""
    records, lock = [], threading.Lock()
    start = time.monotonic()
    deadline = start + seconds

    def client(number):
        browser = Browser(timeout=60)
        counter = 0
        while time.monotonic() < deadline:
            counter += 1
            email = f"{label}-{number}-{counter}@example.net"
            try:
                status, _location, page = browser.get(front + APPLY_PATH)
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
                if status != 200 or not token:
                    with lock:
                        records.append((None, status, 0, "form GET"))
                    continue
            except Exception as error:  # noqa: BLE001 (reported below)
                with lock:
                    records.append((None, None, 0, f"form GET: {type(error).__name__}"))
                continue
            data = {**APPLICATION, "email": email, "csrfmiddlewaretoken": token.group(1)}
            began = time.monotonic()
            try:
                status, _location, _body = browser.request("POST", front + APPLY_PATH, data)
                error = None if status == 302 else f"HTTP {status}"
            except Exception as exception:  # noqa: BLE001
                status, error = None, type(exception).__name__
            with lock:
                records.append((email, status, time.monotonic() - began, error))
        browser.close()

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    if halfway:
        time.sleep(seconds / 2)
        halfway()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - start
    return records, elapsed


def summary(records, elapsed):
    posts = [r for r in records if r[0] is not None]
    accepted = [r for r in posts if r[1] == 302]
    times = sorted(r[2] for r in posts)
    p95 = times[int(0.95 * (len(times) - 1))] * 1000 if times else 0
    p50 = statistics.median(times) * 1000 if times else 0
    return {
        "accepted": len(accepted),
        "rate": len(accepted) / elapsed,
        "posts": len(posts),
        "p50": p50,
        "p95": p95,
        "errors": len(records) - len(accepted),
    }


def submissions_module():
    """bench/submissions.py's client (the load of the one-node submission bench), if it is
    there with the parts used here; else None and this bench's own flow is used."""
    try:
        from bench import submissions
    except Exception:  # noqa: BLE001 (absent or broken: fall back)
        return None
    needed = ("client", "Results", "municipality_pages", "percentile")
    return submissions if all(hasattr(submissions, name) for name in needed) else None


def load_round(front, tag, seconds, database, nodes=1):
    """One round of 20 clients through `front`: accepted/s, POST p50/p95 (ms), errors and
    the CPU share (in cores) of this client process."""
    cpu, started = time.process_time(), time.monotonic()
    submissions = submissions_module()
    if submissions is None:
        records, elapsed = run_load(front, label=tag, seconds=seconds)
        result = summary(records, elapsed)
    else:
        pages, _districts = submissions.municipality_pages(database)
        if hasattr(submissions, "warm_pages"):
            # Every worker of every node behind `front` gets nearly every page (not timed).
            submissions.warm_pages(front, pages, passes=6 * nodes)
            cpu, started = time.process_time(), time.monotonic()
        results = submissions.Results()
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(
                target=submissions.client, args=(n, front, pages, deadline, results, tag)
            )
            for n in range(20)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        result = {
            "rate": results.accepted / elapsed,
            "p50": submissions.percentile(results.post_ms, 0.5),
            "p95": submissions.percentile(results.post_ms, 0.95),
            "errors": sum(results.errors.values()),
            "kinds": dict(results.errors),
        }
    result["client_cores"] = (time.process_time() - cpu) / (time.monotonic() - started)
    return result


def check_throughput(node_ports, seconds, database):
    source = (
        "bench/submissions.py's clients, all municipalities"
        if submissions_module()
        else "this bench's own clients, Wernigerode's form"
    )
    print(f"\n# Submissions through nginx: 20 clients ({source}), GET form + POST, {seconds} s")
    figures = {}
    for round_number in (1, 2):
        for label, ports in (("one node", node_ports[:1]), ("two nodes", node_ports)):
            with nginx(ports) as (front, log):
                result = load_round(
                    front, f"tp{round_number}{len(ports)}", seconds, database, len(ports)
                )
                spread = upstreams(log)
            figures.setdefault(label, []).append(result)
            print(
                f"  round {round_number}, {label:9}: {result['rate']:6.1f} accepted/s, "
                f"POST p50 {result['p50']:5.0f} ms p95 {result['p95']:5.0f} ms, "
                f"{result['errors']} errors {result.get('kinds') or ''}; "
                f"client process {result['client_cores']:.2f} cores; "
                f"POSTs per node {sorted(spread.values(), reverse=True)}"
            )
    one = max(r["rate"] for r in figures["one node"])
    two = max(r["rate"] for r in figures["two nodes"])
    p95 = min(r["p95"] for r in figures["two nodes"])
    errors = sum(r["errors"] for rs in figures.values() for r in rs)
    print(
        f"  best of two rounds: one node {one:.1f}/s, two nodes {two:.1f}/s "
        f"({(two / max(one, 0.001) - 1) * 100:+.0f} %); two nodes POST p95 {p95:.0f} ms "
        f"(issue 12 targets: >= 100/s, p95 < 300 ms; {os.cpu_count()} cores for "
        "everything: clients, nginx, 4 workers, PostgreSQL, Redis)"
    )
    verdict(errors == 0, "no failed request under load with one or two nodes")
    return one, two


def check_node_loss(database_rows, node_a_port, start_node_b, seconds, how):
    print(f"\n# Node B stopped halfway through a {seconds} s submission run ({how})")
    with start_node_b() as node_b:
        node_b_port = int(node_b.rsplit(":", 1)[1])
        with nginx([node_a_port, node_b_port]) as (front, log):
            master = gunicorn_master(node_b_port)

            def stop():
                if how == "SIGTERM":
                    os.kill(master, signal.SIGTERM)
                else:  # a crash: master and workers at once
                    for pid in [master, *children(master)]:
                        os.kill(pid, signal.SIGKILL)
                print(f"  {how} sent to node B at {seconds / 2:.0f} s", flush=True)

            label = "term" if how == "SIGTERM" else "kill"
            records, elapsed = run_load(front, label=label, seconds=seconds, halfway=stop)
            spread = upstreams(log)
    result = summary(records, elapsed)
    posted = [r for r in records if r[0] is not None]
    counts = database_rows.by_email([r[0] for r in posted])
    accepted = [r for r in posted if r[1] == 302]
    failed = [r for r in posted if r[1] != 302]
    lost = [r for r in accepted if counts[r[0]][0] == 0]
    wrong = [r for r in accepted if counts[r[0]] != (1, 1)]
    stored_failed = [r for r in failed if counts[r[0]][0] > 0]
    total_apps, total_mails = database_rows.count_like(f"{label}-%")
    errors = {}
    for r in failed:
        errors[r[3]] = errors.get(r[3], 0) + 1
    form_errors = len(records) - len(posted)
    print(
        f"  {result['accepted']} accepted ({result['rate']:.1f}/s), "
        f"POST p95 {result['p95']:.0f} ms; "
        f"failed POSTs {len(failed)} {errors or ''}; failed form GETs {form_errors}; "
        f"POSTs per node (nginx log) {spread}"
    )
    print(
        f"  in the database: {total_apps} applications, {total_mails} outbox rows for this run; "
        f"accepted but missing {len(lost)}, accepted but not exactly one application and "
        f"one mail {len(wrong)}; stored but answered with an error {len(stored_failed)}"
    )
    verdict(
        not lost
        and not wrong
        and total_apps == len(accepted) + len(stored_failed)
        and total_mails == total_apps,
        f"{how}: every accepted application is one row and one outbox row, nothing lost or doubled",
    )
    return result


# --- main ------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="length of each load run")
    arguments = parser.parse_args()

    print(f"Two app nodes behind nginx ({benchlib.machine()})")
    secret_key = secrets.token_urlsafe(40)
    from cryptography.fernet import Fernet

    mfa_key = Fernet.generate_key().decode()
    keys = {"PORTAL_SECRET_KEY": secret_key, "PORTAL_MFA_ENCRYPTION_KEY": mfa_key}

    with ExitStack() as stack:
        server = stack.enter_context(benchlib.throwaway_postgres())
        database = stack.enter_context(benchlib.portal_database(server, "portal_twonode"))
        redis_url = stack.enter_context(benchlib.throwaway_redis())
        rows = Rows(database)
        low = {**keys, **shared_env(redis_url, per_ip=PER_IP_LIMIT, per_email=PER_EMAIL_LIMIT)}
        accounts = create_staff(database, low)

        with ExitStack() as nodes:
            a = nodes.enter_context(benchlib.gunicorn(database, workers=2, extra_env=low))
            b = nodes.enter_context(benchlib.gunicorn(database, workers=2, extra_env=low))
            front, _log = nodes.enter_context(
                nginx([int(a.rsplit(":", 1)[1]), int(b.rsplit(":", 1)[1])])
            )
            print(f"node A {a}, node B {b}, nginx {front}; shared Redis {redis_url}")
            check_client_limit(a, b, front)
            check_email_limit(a, b, rows)
            check_login_limits(a, b, accounts)
            check_totp_and_session(a, b, front, accounts)

        high = {**keys, **shared_env(redis_url, per_ip=10**9, per_email=5)}
        with ExitStack() as nodes:
            a = nodes.enter_context(benchlib.gunicorn(database, workers=2, extra_env=high))
            b = nodes.enter_context(benchlib.gunicorn(database, workers=2, extra_env=high))
            ports = [int(url.rsplit(":", 1)[1]) for url in (a, b)]
            print("\nnodes restarted with limits nobody reaches for the load runs")
            check_throughput(ports, arguments.seconds, database)
            nodes.close()  # node B is started anew for each loss run

            a = nodes.enter_context(benchlib.gunicorn(database, workers=2, extra_env=high))
            a_port = int(a.rsplit(":", 1)[1])

            def start_b():
                return benchlib.gunicorn(database, workers=2, extra_env=high)

            for how in ("SIGTERM", "SIGKILL"):
                check_node_loss(rows, a_port, start_b, max(arguments.seconds, 10), how)
        rows.connection.close()

    print()
    if failures:
        print(f"{len(failures)} check(s) FAILED")
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main()
