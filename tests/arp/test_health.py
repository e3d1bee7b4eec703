import socket
from unittest import mock

import pytest
from django.db.utils import OperationalError


def redis_reachable() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.django_db
def test_healthz_inline_broker_when_no_broker_configured(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "inline", "cache": "local"}


@pytest.mark.django_db
def test_healthz_503_when_broker_down_in_production(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 503  # the orchestrator must notice
    assert response.json() == {"database": "ok", "broker": "down", "cache": "local"}

    settings.DEBUG = True  # make run: say so, but keep serving
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_503_when_redis_cache_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "arp.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/1",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "down"


@pytest.mark.django_db
@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_healthz_reports_broker_ok_with_real_redis(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"

    response = client.get("/healthz")

    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_503_when_database_unreachable(client):
    with mock.patch(
        "arp.views.connection.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_healthz_needs_no_login_and_is_not_cached(client, db):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
