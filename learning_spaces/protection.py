"""Protecting the public feedback form without identifying anyone.

* Rate limit: a counter per client in the cache only. The key is an HMAC of
  the client address with SECRET_KEY, so neither the cache nor the database
  ever holds an address. Council offices put a whole room behind one
  address, so the default is generous enough for a full workshop
  (``LEARNING_SPACES_FEEDBACK_RATE_LIMIT`` posts per
  ``LEARNING_SPACES_FEEDBACK_RATE_WINDOW`` seconds, per address per form).
* Form tokens: a uuid issued with the form and signed, so a crafted POST
  cannot invent one; the response table's unique constraint on it makes a
  resubmit store nothing.
"""

import hashlib
import hmac
import uuid

from django.conf import settings
from django.core import signing
from django.core.cache import cache

DEFAULT_RATE_LIMIT = 60
DEFAULT_RATE_WINDOW = 600
FORM_TOKEN_MAX_AGE = 24 * 60 * 60


def rate_limit() -> int:
    """Posts allowed per window (settings read it from the environment)."""
    return int(
        getattr(settings, "LEARNING_SPACES_FEEDBACK_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    )


def rate_window() -> int:
    return int(
        getattr(settings, "LEARNING_SPACES_FEEDBACK_RATE_WINDOW", DEFAULT_RATE_WINDOW)
    )


def client_address(request) -> str:
    """The client's address; trusts X-Forwarded-For only behind known proxies.

    ``LEARNING_SPACES_TRUSTED_PROXY_COUNT`` (default 0) is how many reverse
    proxies append to X-Forwarded-For in front of the app.
    """
    hops = int(getattr(settings, "LEARNING_SPACES_TRUSTED_PROXY_COUNT", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= hops:
            return parts[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _client_key(request, scope: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"{scope}|{client_address(request)}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return f"ls-feedback-rate:{digest}"


def rate_limited(request, scope: str) -> bool:
    """Count this request against the client's window; True when over the limit."""
    key = _client_key(request, scope)
    window = rate_window()
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window)
            count = 1
    return count > rate_limit()


def _signer(feedback_token: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"learning_spaces.feedback:{feedback_token}")


def issue_form_token(feedback_token: str) -> str:
    """A fresh signed one-time token for one rendering of the form."""
    return _signer(feedback_token).sign(str(uuid.uuid4()))


def read_form_token(feedback_token: str, signed_value: str) -> uuid.UUID | None:
    """The uuid inside a token we issued for this form, or None."""
    try:
        raw = _signer(feedback_token).unsign(signed_value, max_age=FORM_TOKEN_MAX_AGE)
        return uuid.UUID(raw)
    except (signing.BadSignature, ValueError, TypeError):
        return None
