"""Addresses only this machine can reach: 127.0.0.0/8, ``::1`` and ``localhost``.

The HTTP API allows writes without keys only when it listens on such an address; the Slack bot
warns when its citation links (``NEWSDESK_PUBLIC_URL``) point at one.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["is_loopback_host", "is_loopback_url"]


def is_loopback_host(host: str) -> bool:
    """True for a host name or address only this machine can reach (``[::1]`` brackets allowed)."""
    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    """True when ``url``'s host is only reachable from this machine; ``False`` for a URL without a host."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return is_loopback_host(host)
