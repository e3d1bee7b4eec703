"""Sign-in protection beyond django-axes.

django-axes locks a username from an address after
``AXES_FAILURE_LIMIT`` failures (10) for ``AXES_COOLOFF_TIME`` (15 minutes),
on /accounts/login/ and /admin/login/ alike, since both go through
``authenticate()``. What axes does not cover lives here:

* password-reset requests, limited per address and per account (the email
  given), counted in the cache under HMAC keys so no address or email is
  stored; over the account limit the page still says "sent" (so it cannot be
  used to find accounts) but nothing is sent;
* a log line for every failed sign-in, with the username and address and
  never the password.
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import redirect, render

from arp.clients import client_address

logger = logging.getLogger("arp.signin")

RESET_WINDOW_SECONDS = 60 * 60


def _count(scope: str, value: str) -> int:
    """Add one to this hour's counter for ``value``; fails open (logged)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}|{value}".encode(), hashlib.sha256
    ).hexdigest()
    key = f"arp-reset:{digest}"
    try:
        if cache.add(key, 1, timeout=RESET_WINDOW_SECONDS):
            return 1
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=RESET_WINDOW_SECONDS)
        return 1
    except Exception:  # noqa: BLE001 - cache down: do not block resets
        logger.warning("Password-reset limit skipped: the cache is unavailable.")
        return 0


def password_reset(request):
    """Django's password reset, limited per address and per account."""
    if request.method == "POST":
        address = client_address(request)
        if _count("address", address) > settings.PASSWORD_RESET_LIMIT_PER_ADDRESS:
            logger.warning("Password-reset requests refused from %s (limit).", address)
            return render(
                request, "registration/password_reset_limited.html", status=429
            )
        email = request.POST.get("email", "").strip().lower()
        if (
            email
            and _count("account", email) > settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT
        ):
            logger.warning("Password-reset email not sent: account limit reached.")
            return redirect("password_reset_done")
    return auth_views.PasswordResetView.as_view()(request)


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    """Log the attempt; ``credentials`` is already cleansed, but take only the
    username from it anyway."""
    username = str(credentials.get("username", ""))[:150]
    address = client_address(request) if request is not None else "-"
    path = request.path if request is not None else "-"
    logger.warning("Failed sign-in for %r from %s on %s", username, address, path)
