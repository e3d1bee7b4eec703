from contextlib import contextmanager

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from arp.roles import home_page_for


@contextmanager
def refusal_shown(request, error, *, form=None):
    """Run a write service inside; its domain ``error`` is shown, not raised.

    The message goes to the page, or to the ``form``'s non-field errors when a
    form is given (so it stands beside the answers). Code after the service
    call inside the block (a success message, a redirect) runs only when it
    succeeded.
    """
    try:
        yield
    except error as exc:
        if form is None:
            messages.error(request, str(exc))
        else:
            form.add_error(None, str(exc))


@login_required
def home(request):
    """Send each role to its main page; explain when the user has no role yet."""
    destination = home_page_for(request.user)
    if destination:
        return redirect(destination)
    return render(request, "arp/no_role.html")


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "inline"
    from arp.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001 - any failure means the broker is down
        return "down"
    return "ok"


def _cache_status() -> str:
    from django.core.cache import cache

    ping = getattr(cache, "ping", None)
    if ping is None:
        return "local"  # a per-process cache: nothing to be down
    return "ok" if ping() else "down"


@never_cache
def healthz(request):
    """200 when the app can do its work; 503 tells the orchestrator otherwise.

    The database is always needed. The broker and the Redis cache are needed
    in production: without them the app still answers (the cache falls back
    to memory, jobs wait to be re-sent), but an operator must know.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is down
        database = "down"
    body = {"database": database, "broker": _broker_status(), "cache": _cache_status()}
    down = [name for name, state in body.items() if state == "down"]
    if settings.DEBUG:
        down = [name for name in down if name == "database"]
    return JsonResponse(body, status=503 if down else 200)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
