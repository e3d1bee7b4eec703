"""A real Celery worker against a real Redis, sharing the test database.

The worker runs in a subprocess on its own queue, connected to the test
database pytest-django created, so a task's effect can be read back from the
database. Needs PostgreSQL (an SQLite test database is not shareable between
processes) and Redis on 127.0.0.1:6379; skipped with the reason otherwise.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("ARP_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _redis_reachable() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


def _database_url_for_worker() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_queue(transactional_db, monkeypatch):
    """Start a worker; yield the queue name it consumes; stop it afterwards."""
    if not _redis_reachable():
        pytest.skip("no Redis on 127.0.0.1:6379: cannot run a real Celery worker")
    if connection.vendor != "postgresql":
        pytest.skip("the Celery integration test needs PostgreSQL (set DATABASE_URL)")

    from arp.celery import app

    # Isolation comes from a Redis database of its own (emptied first), so the
    # worker consumes the default queue: Celery caches its routes on first use.
    queue = app.conf.task_default_queue
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_worker(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "ARP_TESTING": "1",
        "EMAIL_URL": "memorymail://",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "arp",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    saved = {
        key: app.conf[key]
        for key in ("task_always_eager", "broker_url", "result_backend")
    }
    # Celery's broker_url and result_backend prefer these environment variables
    # (set in CI) over its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", REDIS_URL)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", REDIS_URL)
    app.conf.update(
        task_always_eager=False, broker_url=REDIS_URL, result_backend=REDIS_URL
    )
    app._after_fork()  # drop any producer pool made for another broker URL
    try:
        yield queue
    finally:
        app.conf.update(saved)
        app._after_fork()
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        if output.strip():
            print("--- celery worker output ---\n" + output)


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
