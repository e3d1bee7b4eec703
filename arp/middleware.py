"""Project-wide request and response rules: body size, session timeouts,
security headers and caching."""

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class RequestBodyLimitMiddleware:
    """Answer 413 before reading a body larger than ``MAX_REQUEST_BODY_BYTES``.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves file uploads out, and its
    check comes after the body is being read. The proxy should refuse the same
    size first (nginx ``client_max_body_size``; see README).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.headers.get("content-length") or "0"
        try:
            length = int(raw)
        except ValueError:
            return HttpResponse("Bad Content-Length.", status=400)
        if length > settings.MAX_REQUEST_BODY_BYTES:
            limit = settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)
            return HttpResponse(
                f"The request is too large: the limit is {limit} MB.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Sign out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and
    ``SESSION_ABSOLUTE_TIMEOUT`` seconds after signing in, whatever happens.

    The last-seen time is written at most once a minute, so a busy page does
    not save the session on every request.
    """

    SIGNED_IN_AT = "arp_signed_in_at"
    LAST_SEEN = "arp_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(self.SIGNED_IN_AT, now)
            last = session.get(self.LAST_SEEN, now)
            idle = now - last > settings.SESSION_IDLE_TIMEOUT
            too_long = now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            if idle or too_long:
                logout(request)
                path = quote(request.get_full_path(), safe="/")
                return redirect(f"{settings.LOGIN_URL_PATH}?next={path}")
            if now - last >= 60 or self.LAST_SEEN not in session:
                session[self.LAST_SEEN] = now
        return self.get_response(request)


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    """Stamp the sign-in, so the middleware need not save the session later."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SessionTimeoutMiddleware.SIGNED_IN_AT] = now
        request.session[SessionTimeoutMiddleware.LAST_SEEN] = now


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; ``Cache-Control: no-store`` on every page
    for a signed-in user and on every download; no Server banner."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = "attachment" in response.get("Content-Disposition", "")
        if signed_in or download:
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        response.headers.pop("Server", None)
        return response
