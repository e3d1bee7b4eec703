"""Anonymity end to end: one copy per answer, a fair rate limit, no forged
addresses, and an access log that cannot re-link an answer to a phone."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from learning_spaces.models import FeedbackResponse

from .conftest import VALID_ANSWERS, form_token_from, make_session

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


# --- Back, then Send --------------------------------------------------------------


def test_back_then_send_stores_one_copy_and_says_already_answered(client, open_session):
    path = open_session.feedback_path()
    first = client.get(path)
    answers = {**VALID_ANSWERS, "form_token": form_token_from(first)}
    sent = client.post(path, answers)
    assert sent.status_code == 302
    cookie = sent.cookies["answered"]
    assert cookie.value == str(open_session.pk)  # the session's id, nothing else
    assert cookie["path"] == path and cookie["httponly"]

    # Back: the page is fetched again and says so, with no form to resend.
    back = client.get(path)
    assert back.status_code == 200
    html = back.content.decode()
    assert "You have already answered" in html
    assert 'name="form_token"' not in html
    assert 'href="?again=1"' in html
    # Send again with a new token (a reload then Send): still one copy.
    again_token = form_token_from(client.get(path + "?again=1"))
    assert client.post(path, {**answers, "form_token": again_token}).status_code == 302
    assert FeedbackResponse.objects.count() == 1

    # "Answer again" is a deliberate second answer (a shared phone).
    page = client.get(path + "?again=1")
    assert 'name="again" value="1"' in page.content.decode()
    token = form_token_from(page)
    assert (
        client.post(path, {**answers, "form_token": token, "again": "1"}).status_code
        == 302
    )
    assert FeedbackResponse.objects.count() == 2


def test_cookie_for_one_session_does_not_block_another(client, space, open_session):
    other = make_session(space, starts_in=-timedelta(hours=2))
    client.cookies["answered"] = str(open_session.pk)
    page = client.get(other.feedback_path())
    assert 'name="form_token"' in page.content.decode()


# --- Rate limit ------------------------------------------------------------------


def _post_from(client, session, **meta):
    client.cookies.pop("answered", None)
    page = client.get(session.feedback_path(), **meta)
    data = {**VALID_ANSWERS, "form_token": form_token_from(page)}
    return client.post(session.feedback_path(), data, **meta)


def test_a_200_person_workshop_behind_one_address_gets_through(client, open_session):
    statuses = [
        _post_from(client, open_session, REMOTE_ADDR="203.0.113.7").status_code
        for _ in range(200)
    ]
    assert statuses == [302] * 200
    assert FeedbackResponse.objects.count() == 200


def test_limit_is_per_network_and_per_form(client, space, open_session, settings):
    settings.LEARNING_SPACES_FEEDBACK_RATE_LIMIT = 2
    other_form = make_session(space, starts_in=-timedelta(hours=3))
    assert (
        _post_from(client, open_session, REMOTE_ADDR="203.0.113.5").status_code == 302
    )
    assert (
        _post_from(client, open_session, REMOTE_ADDR="203.0.113.77").status_code == 302
    )
    # same /24: the same counter
    assert (
        _post_from(client, open_session, REMOTE_ADDR="203.0.113.99").status_code == 429
    )
    # another form, or another network, is not affected
    assert _post_from(client, other_form, REMOTE_ADDR="203.0.113.5").status_code == 302
    assert (
        _post_from(client, open_session, REMOTE_ADDR="198.51.100.1").status_code == 302
    )
    assert FeedbackResponse.objects.count() == 4


def test_forged_forwarded_for_does_not_escape_the_limit(client, open_session, settings):
    settings.LEARNING_SPACES_FEEDBACK_RATE_LIMIT = 2
    settings.LEARNING_SPACES_TRUSTED_PROXY_COUNT = 1
    statuses = [
        _post_from(
            client,
            open_session,
            REMOTE_ADDR="192.0.2.10",  # not the proxy: reached the app directly
            HTTP_X_FORWARDED_FOR=f"10.9.{i}.1",
        ).status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 429, 429]
    assert FeedbackResponse.objects.count() == 2


def test_forwarded_for_from_the_proxy_is_used_but_must_be_an_address(rf, settings):
    from learning_spaces import protection

    settings.LEARNING_SPACES_TRUSTED_PROXY_COUNT = 1
    settings.LEARNING_SPACES_TRUSTED_PROXIES = ["172.16.0.0/12"]
    via_proxy = rf.post(
        "/", REMOTE_ADDR="172.18.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert protection.client_address(via_proxy) == "203.0.113.9"
    junk = rf.post("/", REMOTE_ADDR="172.18.0.1", HTTP_X_FORWARDED_FOR="evil")
    assert protection.client_address(junk) == "172.18.0.1"


def test_rate_limit_fails_open_when_the_cache_is_down(
    client, open_session, monkeypatch, caplog
):
    from learning_spaces import protection

    page = client.get(open_session.feedback_path())
    data = {**VALID_ANSWERS, "form_token": form_token_from(page)}

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(protection.cache, "add", broken)
    with caplog.at_level("WARNING", logger="learning_spaces.protection"):
        sent = client.post(open_session.feedback_path(), data)
    assert sent.status_code == 302
    assert FeedbackResponse.objects.count() == 1
    assert "rate limit skipped" in caplog.text


# --- The production access log -----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_gunicorn_access_log_holds_no_address_agent_or_time(space, tmp_path):
    session = make_session(space, starts_in=-timedelta(hours=1))
    port = _free_port()
    db = django_settings.DATABASES["default"]
    env = {
        **os.environ,
        "ARP_TESTING": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        if db["ENGINE"].endswith("postgresql")
        else f"sqlite:///{db['NAME']}",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "CELERY_BROKER_URL": "",
    }
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "arp.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1) TestPhone/7.7"
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [
            ("User-Agent", agent),
            ("X-Forwarded-For", "198.51.100.23"),
        ]
        url = base + session.feedback_path()
        form = opener.open(url, timeout=10).read().decode()
        token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode(
            {**VALID_ANSWERS, "form_token": token, "csrfmiddlewaretoken": csrf}
        ).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
        sent = opener.open(request, timeout=10)
        assert sent.status == 200  # followed the redirect to the thanks page
        assert FeedbackResponse.objects.filter(session=session).count() == 1
        headers = dict(sent.headers)
    finally:
        server.terminate()
        server.wait(timeout=20)
    log = log_path.read_text()
    access = [line for line in log.splitlines() if '"POST ' in line or '"GET ' in line]
    assert any('"POST /learning-spaces/feedback/-/" 302' in line for line in access)
    for forbidden in ("127.0.0.1", "198.51.100.23", "TestPhone", "iPhone"):
        assert forbidden not in "\n".join(access), forbidden
    assert session.feedback_token not in log
    # no time of day in an access line (gunicorn's default puts [02/Dec/2026:...])
    assert not any(re.search(r"\d{2}:\d{2}:\d{2}", line) for line in access)
    assert "gunicorn" not in headers.get("Server", "")
