"""Protecting the public feedback form without identifying anyone.

* Rate limit: a counter per form and per client *network* (IPv4 /24, IPv6
  /64) in the cache only. The key is an HMAC of the network with
  SECRET_KEY, so neither the cache nor the database ever holds an address.
  Council offices put a whole room behind one address, so the default
  (``LEARNING_SPACES_FEEDBACK_RATE_LIMIT`` = 1000 posts per
  ``LEARNING_SPACES_FEEDBACK_RATE_WINDOW`` = 600 seconds) lets a 200-person
  workshop, with retries, through. When the cache is down the limit fails
  open (logged): the form keeps working.
* Client address: X-Forwarded-For is believed only when the request comes
  from one of ``LEARNING_SPACES_TRUSTED_PROXIES`` (the reverse proxy), and
  then only the entry ``TRUSTED_PROXY_COUNT`` hops from the end, and only
  when it is an IP address. A client that reaches the app directly cannot
  choose its own address by sending the header.
* Form tokens: a uuid issued with the form and signed, so a crafted POST
  cannot invent one; the response table's unique constraint on it makes a
  resubmit store nothing.
"""

import hashlib
import hmac
import ipaddress
import logging
import uuid

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from arp.clients import client_address

logger = logging.getLogger(__name__)

DEFAULT_RATE_LIMIT = 1000
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


def client_network(request) -> str:
    """The client's /24 (IPv4) or /64 (IPv6): one office, one counter."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _client_key(request, scope: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"{scope}|{client_network(request)}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return f"ls-feedback-rate:{digest}"


def rate_limited(request, scope: str) -> bool:
    """Count this request against the network's window; True when over the limit.

    Fails open when the cache cannot be reached: refusing a room's feedback
    because Redis is down would be worse than a burst of extra posts.
    """
    key = _client_key(request, scope)
    window = rate_window()
    try:
        if cache.add(key, 1, timeout=window):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, timeout=window)
                count = 1
    except Exception:  # noqa: BLE001 - any cache fault: let the post through
        logger.warning("Feedback rate limit skipped: the cache is unavailable.")
        return False
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
