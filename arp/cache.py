"""A Redis cache that degrades to local memory when Redis is down.

Broker and cache share one Redis in production. Without this, a Redis
outage gave 500 on sign-in (sessions are read through the cache) and on the
anonymous feedback form. Now each operation that cannot reach Redis is done
on a per-process local-memory cache instead, with a warning logged at most
once a minute; ``ping()`` still tells the health check the truth.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

FAULTS = (RedisError, OSError)
_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "set_many",
    "delete_many",
    "has_key",
    "incr",
    "clear",
)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params}
        options = {**params.get("OPTIONS", {})}
        # Fail in a second, not after the OS's TCP timeout.
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._fallback = LocMemCache(
            "arp-cache-fallback", {"TIMEOUT": params.get("TIMEOUT", 300)}
        )
        self._last_warning = 0.0

    def _warn(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._last_warning > 60:
            self._last_warning = now
            logger.warning(
                "Redis cache unavailable (%s: %s); using local memory.",
                operation,
                exc.__class__.__name__,
            )

    def ping(self) -> bool:
        try:
            return bool(self._cache.get_client(write=True).ping())
        except FAULTS:
            return False


def _resilient(name: str):
    primary = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        try:
            return primary(self, *args, **kwargs)
        except FAULTS as exc:
            self._warn(name, exc)
            return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


for _name in _OPERATIONS:
    setattr(ResilientRedisCache, _name, _resilient(_name))
