"""Start-up configuration errors: one clear line naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    base = {k: v for k, v in os.environ.items() if k not in {"ARP_TESTING", "DEBUG"}}
    base.pop("DATABASE_URL", None)
    base.pop("CELERY_BROKER_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env,variable",
    [
        ({"DEBUG": "1", "DATABASE_URL": "mysqlx://nowhere/db"}, "DATABASE_URL"),
        ({"DEBUG": "1", "DATABASE_URL": "postgres://host:5432"}, "DATABASE_URL"),
        ({"DEBUG": "1", "CELERY_BROKER_URL": "htp://redis"}, "CELERY_BROKER_URL"),
        ({"DEBUG": "1", "EMAIL_URL": "pigeon://loft"}, "EMAIL_URL"),
        ({"DEBUG": "0", "ALLOWED_HOSTS": "example.org"}, "SECRET_KEY"),
    ],
)
def test_bad_configuration_fails_with_one_line_naming_the_variable(env, variable):
    result = run_check(**env)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_line():
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "DATABASE_URL" in result.stderr


def test_good_configuration_passes():
    result = run_check(DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_uk_conventions(settings):
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"


def test_dates_render_the_uk_way():
    import datetime

    from django.template import Context, Template

    rendered = Template("{{ d|date }}").render(
        Context({"d": datetime.date(2026, 11, 22)})
    )
    assert rendered == "22 Nov 2026"
