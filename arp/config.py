"""Reading and checking configuration from the environment.

A mistyped ``DATABASE_URL`` or broker URL should stop the process with one line
naming the variable, not a page of traceback from deep inside a driver.
"""

import sys
from urllib.parse import urlsplit

import environ

SUPPORTED_DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "psql", "sqlite"}
SUPPORTED_BROKER_SCHEMES = {"redis", "rediss", "memory"}


def fail(message: str) -> None:
    """Print one clear line and stop."""
    print(f"Configuration error: {message}", file=sys.stderr)
    raise SystemExit(2)


def database_config(env: environ.Env, default_url: str) -> dict:
    url = env.str("DATABASE_URL", default=default_url)
    scheme = urlsplit(url).scheme
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        fail(
            f"DATABASE_URL={url!r} is not a PostgreSQL or SQLite URL "
            "(expected e.g. postgres://user@host:5432/name or sqlite:///path)."
        )
    try:
        config = environ.Env.db_url_config(url)
    except Exception as exc:  # noqa: BLE001 - any parse error is a config error
        fail(f"DATABASE_URL could not be read: {exc}")
    if scheme != "sqlite" and not config.get("NAME"):
        fail("DATABASE_URL has no database name (e.g. postgres://host:5432/arp).")
    return config


def broker_url(env: environ.Env) -> str:
    url = env.str("CELERY_BROKER_URL", default="")
    if url and urlsplit(url).scheme not in SUPPORTED_BROKER_SCHEMES:
        fail(
            f"CELERY_BROKER_URL={url!r} is not a Redis URL "
            "(expected e.g. redis://127.0.0.1:6379/0), or leave it unset to run "
            "tasks inline."
        )
    return url


def email_config(env: environ.Env) -> dict:
    url = env.str("EMAIL_URL", default="consolemail://")
    try:
        return environ.Env.email_url_config(url)
    except Exception:  # noqa: BLE001 - any parse error is a config error
        fail(
            f"EMAIL_URL={url!r} is not an email URL (expected e.g. "
            "smtp+tls://user:password@host:587 or consolemail://)."
        )
