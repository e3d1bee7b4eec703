"""Which address a request came from, believing X-Forwarded-For only from our
own reverse proxy. Used by the feedback rate limit and by sign-in lockout.

``LEARNING_SPACES_TRUSTED_PROXY_COUNT`` (env ``TRUSTED_PROXY_COUNT``, default
0) is how many reverse proxies append to X-Forwarded-For in front of the app;
``LEARNING_SPACES_TRUSTED_PROXIES`` (env ``TRUSTED_PROXIES``) the networks
the nearest one connects from. A client that reaches the app directly cannot
choose its own address by sending the header: its REMOTE_ADDR is not a proxy.
"""

import ipaddress

from django.conf import settings


def _trusted_proxy(address: str) -> bool:
    networks = getattr(settings, "LEARNING_SPACES_TRUSTED_PROXIES", ())
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)


def client_address(request) -> str:
    """The client's address (see the module docstring); REMOTE_ADDR otherwise."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = int(getattr(settings, "LEARNING_SPACES_TRUSTED_PROXY_COUNT", 0))
    forwarded = request.headers.get("x-forwarded-for", "")
    if not hops or not forwarded or not _trusted_proxy(remote):
        return remote
    parts = [p.strip() for p in forwarded.split(",") if p.strip()]
    if len(parts) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(parts[-hops]))
    except ValueError:
        return remote
