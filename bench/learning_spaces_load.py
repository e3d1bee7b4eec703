"""Load test: 200 feedback submissions from 50 concurrent clients.

As at the end of a big workshop: everyone scans the QR code at once. Starts
gunicorn (2 workers) on 127.0.0.1 against a throwaway PostgreSQL database,
measures /healthz in the same run as the yardstick, sends the submissions
(each client GETs the form for its CSRF cookie and one-time form token, then
POSTs), re-sends some of them as a double click would, then checks the
database: every accepted submission stored exactly once, none lost, no 5xx.

    .venv/bin/python bench/learning_spaces_load.py

Everything stays on loopback; the run is bounded in requests and time and
stops gunicorn and drops the database at the end. All clients share one
address, so the bench raises the feedback rate limit through the
FEEDBACK_RATE_LIMIT environment variable for the server it
starts (it does not trust X-Forwarded-For).
"""

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "arp_bench_ls"
SUBMISSIONS = 200
CLIENTS = 50
DOUBLE_CLICKS = 20
HEALTHZ_REQUESTS = 2 * SUBMISSIONS  # as many requests as the form gets
DEADLINE_SECONDS = 240
TIMEOUT = 15


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(port: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "FEEDBACK_RATE_LIMIT": "100000",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "",
        "ARP_TESTING": "0",
    }


def recreate_database() -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def drop_database() -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


MAKE_SESSION = """
from datetime import timedelta
from django.utils import timezone
from learning_spaces.models import LearningSession, Space
space, _ = Space.objects.get_or_create(name="Bench space", audience="practitioners")
start = timezone.now() - timedelta(minutes=90)
s = LearningSession.objects.create(space=space, starts_at=start,
    ends_at=start + timedelta(hours=2), status="held", attendance=SUBMISSIONS)
print("TOKEN=" + s.feedback_token)
""".replace("SUBMISSIONS", str(SUBMISSIONS))


def prepare(env: dict) -> str:
    manage = [str(ROOT / ".venv/bin/python"), str(ROOT / "manage.py")]
    subprocess.run(
        [*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
    )
    out = subprocess.run(
        [*manage, "shell", "-c", MAKE_SESSION],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return re.search(r"TOKEN=(\S+)", out).group(1)


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return (
            response.status,
            response.getheaders(),
            data,
            time.perf_counter() - started,
        )
    finally:
        conn.close()


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def report(name, latencies, elapsed, count):
    print(
        f"{name:<28} {count:>4} req  {count / elapsed:7.1f} req/s  "
        f"p50 {1000 * statistics.median(latencies):6.1f} ms  "
        f"p95 {1000 * percentile(latencies, 95):6.1f} ms"
    )


def run_healthz(port):
    latencies, statuses = [], []

    def one(_):
        status, _, _, seconds = request(port, "GET", "/healthz")
        return status, seconds

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for status, seconds in pool.map(one, range(HEALTHZ_REQUESTS)):
            statuses.append(status)
            latencies.append(seconds)
    elapsed = time.perf_counter() - started
    return latencies, elapsed, statuses


def submit_one(port, token, n, lock, results):
    path = f"/learning-spaces/feedback/{token}/"
    status, headers, body, get_seconds = request(port, "GET", path)
    if status != 200:
        with lock:
            results["get_statuses"].append(status)
        return None
    cookie = next(
        v.split(";")[0]
        for k, v in headers
        if k.lower() == "set-cookie" and "csrftoken" in v
    )
    html = body.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form_token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    marker = f"bench-{n}-{uuid.uuid4().hex[:8]}"
    form = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "form_token": form_token,
            "rating": str(1 + n % 5),
            "confidence_before": "2",
            "confidence_now": "4",
            "gained_most": f"{marker}: better awareness around white privilege",
            "consent_to_quote": "no",
        }
    )
    post_headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
    }
    status, _, _, post_seconds = request(port, "POST", path, form, post_headers)
    with lock:
        results["get_latencies"].append(get_seconds)
        results["post_latencies"].append(post_seconds)
        results["get_statuses"].append(200)
        results["post_statuses"].append(status)
        if status == 302:
            results["accepted"].append(marker)
    return (form, post_headers, marker, status)


def run_submissions(port, token):
    lock = threading.Lock()
    results = {
        "get_latencies": [],
        "post_latencies": [],
        "get_statuses": [],
        "post_statuses": [],
        "accepted": [],
    }
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        sent = list(
            pool.map(
                lambda n: submit_one(port, token, n, lock, results), range(SUBMISSIONS)
            )
        )
    elapsed = time.perf_counter() - started

    # Double clicks: the same form again, concurrently; must store nothing.
    path = f"/learning-spaces/feedback/{token}/"
    repeats = [s for s in sent if s and s[3] == 302][:DOUBLE_CLICKS]
    with ThreadPoolExecutor(CLIENTS) as pool:
        repeat_statuses = list(
            pool.map(lambda s: request(port, "POST", path, s[0], s[1])[0], repeats)
        )
    return results, elapsed, repeat_statuses


def check_database(accepted):
    with psycopg.connect(f"{PG}/{DB_NAME}") as conn:
        rows = conn.execute(
            "SELECT gained_most FROM learning_spaces_feedbackresponse"
        ).fetchall()
    stored = [r[0].split(":")[0] for r in rows]
    counts = {m: stored.count(m) for m in accepted}
    lost = [m for m, c in counts.items() if c == 0]
    duplicated = [m for m, c in counts.items() if c > 1]
    unexpected = len(stored) - len(accepted)
    return len(stored), lost, duplicated, unexpected


def main() -> int:
    port = free_port()
    env = server_env(port)
    recreate_database()
    server = None
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        token = prepare(env)
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "arp.wsgi",
                "--workers",
                "2",
                *os.environ.get("BENCH_GUNICORN_EXTRA", "").split(),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        while True:
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("gunicorn did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        # Warm both workers and their database connections.
        for _ in range(10):
            request(port, "GET", "/healthz")
            request(port, "GET", f"/learning-spaces/feedback/{token}/")

        h_lat, h_elapsed, h_statuses = run_healthz(port)
        results, elapsed, repeat_statuses = run_submissions(port, token)
        stored, lost, duplicated, unexpected = check_database(results["accepted"])

        print(
            "\nLearning spaces feedback load test "
            f"(gunicorn, 2 workers, {CLIENTS} clients)"
        )
        report("/healthz (yardstick)", h_lat, h_elapsed, len(h_lat))
        all_form = results["get_latencies"] + results["post_latencies"]
        report("form GET+POST requests", all_form, elapsed, len(all_form))
        report(
            "  of which POST",
            results["post_latencies"],
            elapsed,
            len(results["post_latencies"]),
        )
        print(
            f"{'submissions':<28} {len(results['accepted']):>4} ok   "
            f"{len(results['accepted']) / elapsed:7.1f} /s"
        )
        ratio = (len(all_form) / elapsed) / (len(h_lat) / h_elapsed)
        print(
            f"form request throughput / healthz throughput: {ratio:.2f} (target ≥ 0.5)"
        )
        statuses = h_statuses + results["get_statuses"] + results["post_statuses"]
        five_xx = sum(s >= 500 for s in statuses + repeat_statuses)
        print(
            f"accepted {len(results['accepted'])}/{SUBMISSIONS}; stored {stored}; "
            f"lost {len(lost)}; duplicated {len(duplicated)}; "
            f"unexpected rows {unexpected}; "
            f"double-click re-posts {len(repeat_statuses)} "
            f"({sum(s == 302 for s in repeat_statuses)} answered with the thank-you "
            "redirect, none stored); 5xx "
            f"{five_xx}"
        )
        p95 = percentile(all_form, 95)
        ok = (
            len(results["accepted"]) == SUBMISSIONS
            and not lost
            and not duplicated
            and unexpected == 0
            and five_xx == 0
        )
        print(
            f"result: {'PASS' if ok else 'FAIL'} (integrity); "
            f"p95 {'<' if p95 < 0.3 else '≥'} 300 ms; "
            f"throughput ratio {'≥' if ratio >= 0.5 else '<'} 0.5"
        )
        return 0 if ok else 1
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        drop_database()


if __name__ == "__main__":
    sys.exit(main())
