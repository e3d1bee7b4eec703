"""Security headers, caching and request size."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_csp_has_no_unsafe_inline_scripts(client):
    page = client.get("/accounts/login/")
    policy = page["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


def test_no_executable_inline_script_and_the_policy_forbids_one(client, db):
    from datetime import timedelta

    from django.utils import timezone

    from learning_spaces.models import LearningSession, Space

    space = Space.objects.create(name="S", audience="leaders")
    start = timezone.now() - timedelta(hours=1)
    session = LearningSession.objects.create(
        space=space, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    # a blank post: the page comes back with its error summary and focus script
    page = client.post(session.feedback_path(), {})
    script_src = re.search(r"script-src ([^;]*)", page["Content-Security-Policy"])
    assert "'unsafe-inline'" not in script_src.group(1)
    html = page.content.decode()
    assert "js/error-summary.js" in html
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    # only data (plotly figures, json_script) is inline, never code
    assert all('type="application/json"' in attrs for attrs in inline)


def test_permissions_policy_everywhere(client):
    page = client.get("/accounts/login/")
    assert "camera=()" in page["Permissions-Policy"]
    assert "geolocation=()" in page["Permissions-Policy"]
    assert "Server" not in page


def test_signed_in_pages_and_exports_are_not_cached(client_for):
    page = client_for("Board").get("/programme/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    for url in (
        "/programme/achievements.csv",
        "/programme/actions.xlsx",
        "/learning-spaces/insights/responses.csv",
    ):
        download = client_for("Programme admins").get(url)
        assert download.status_code == 200, url
        assert "no-store" in download["Cache-Control"], url


def test_oversized_request_gets_413_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024
    page = client.generic(
        "POST",
        "/accounts/login/",
        b"x" * 2048,
        content_type="application/x-www-form-urlencoded",
    )
    assert page.status_code == 413
    assert b"too large" in page.content


def test_media_is_not_served_as_files_even_under_debug(settings, tmp_path):
    import importlib

    from arp import urls

    settings.DEBUG = True
    try:
        importlib.reload(urls)
        assert not any("media" in str(p.pattern) for p in urls.urlpatterns)
    finally:
        settings.DEBUG = False
        importlib.reload(urls)


def test_compose_and_dockerfile_use_the_anonymous_gunicorn_config():
    dockerfile = (ROOT / "Dockerfile").read_text()
    compose = (ROOT / "docker-compose.yml").read_text()
    assert '"-c", "gunicorn.conf.py"' in dockerfile
    assert "--access-logfile" not in dockerfile + compose
    assert "gunicorn -c gunicorn.conf.py" in compose
    ports = re.findall(r'^\s+- "([^"]+:8000)"', compose, re.M)
    assert ports == ["127.0.0.1:8000:8000"]  # not reachable past the proxy
