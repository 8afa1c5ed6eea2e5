"""Who may read and who may write: the access policy every request is checked against.

- Writes (``POST /v1/articles``, ``DELETE /v1/articles/{id}``) need an API key whenever keys are
  configured (``NEWSDESK_API_KEYS``). With no keys configured, writes are allowed only when the
  server listens on a loopback address (127.0.0.0/8, ::1, localhost): then only this machine can
  reach it. Bound to any other address without keys, writes are refused with 403 — configure keys.
  (A reverse proxy on the same machine makes every client look local: put keys on such a setup.)
- Reads (ask, search, articles, citations, the pages, metrics) are open unless
  ``NEWSDESK_PROTECT_READS=true``; then they need a key too. ``/healthz`` is always open.

A key is sent as ``X-API-Key: KEY`` or ``Authorization: Bearer KEY``; browsers can use HTTP Basic
auth with the key as password (any user name), which is what the pages ask for. Keys are compared
in constant time.

The HTTP app keeps one policy in ``app.state.access`` (``service.http.auth`` applies it to each
route); Slack's ``GET /v1/feedback`` checks the same policy.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from fastapi import Request

from service.access.loopback import is_loopback_host
from service.api_errors import ApiError
from service.settings import ServiceSettings

__all__ = ["KEY_HINT", "AccessPolicy", "presented_key"]

KEY_HINT = "send it in the X-API-Key header or as 'Authorization: Bearer <key>'"


def presented_key(request: Request) -> str | None:
    """The key a request carries, if any."""
    key = request.headers.get("x-api-key")
    if key:
        return key.strip()
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme == "bearer" and value:
        return value
    if scheme == "basic" and value:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


class AccessPolicy:
    """The access rules of one app, from its settings."""

    def __init__(self, settings: ServiceSettings):
        self._keys = [k.get_secret_value().encode("utf-8") for k in settings.api_keys if k.get_secret_value()]
        self.protect_reads = settings.protect_reads
        self.host = settings.host
        self.local_only = is_loopback_host(settings.host)
        if self.protect_reads and not self._keys:
            raise ValueError("NEWSDESK_PROTECT_READS=true needs at least one key in NEWSDESK_API_KEYS")

    @property
    def has_keys(self) -> bool:
        """Whether any API key is configured."""
        return bool(self._keys)

    def valid(self, key: str | None) -> bool:
        """Whether ``key`` is one of the configured keys (constant-time comparison)."""
        if not key:
            return False
        given = key.encode("utf-8")
        found = False
        for known in self._keys:
            found |= hmac.compare_digest(given, known)
        return found

    def owner(self, request: Request) -> str:
        """Whose a conversation is: a fingerprint of the request's valid key, ``""`` without one.

        Only a fingerprint is stored, never the key; with keys configured, a conversation made with
        one key cannot be read with another (or with none).
        """
        key = presented_key(request)
        if not self._keys or not self.valid(key):
            return ""
        return "key:" + hashlib.sha256(str(key).encode("utf-8")).hexdigest()[:32]

    def check(self, request: Request, *, write: bool) -> None:
        """Raise 401/403 unless ``request`` may do this."""
        if not write and not self.protect_reads:
            return
        if not self._keys:
            if self.local_only:
                return
            raise ApiError(
                403,
                f"writes are disabled: no API keys are configured (set NEWSDESK_API_KEYS) and the server "
                f"listens on {self.host}, not on a loopback address",
            )
        key = presented_key(request)
        challenge = 'Basic realm="newsdesk", charset="UTF-8"' if _is_page(request) else 'Bearer realm="newsdesk"'
        if key is None:
            action = "writing to the archive" if write else "reading from this server"
            raise ApiError(401, f"{action} needs an API key: {KEY_HINT}", headers={"WWW-Authenticate": challenge})
        if not self.valid(key):
            raise ApiError(401, "the API key is not valid", headers={"WWW-Authenticate": challenge})


def _is_page(request: Request) -> bool:
    path = request.url.path
    return path == "/" or path.startswith("/c/")
