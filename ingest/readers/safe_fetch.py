"""Fetching URLs safely: the checks every request from ingest goes through.

``fetch_url`` is the only way ingest reaches the network. Because URLs come from users and from
feeds (anyone's content), every request is treated as potentially hostile:

- only ``http`` and ``https``;
- the host name is resolved once, and *every* address it resolves to is checked: loopback,
  private, link-local (including cloud metadata at 169.254.169.254), unspecified, multicast,
  reserved and other non-public addresses are refused unless ``settings.allow_private_urls``;
- the connection then goes to the address that was checked, not to a second lookup of the name:
  the URL's host is replaced by that IP, the ``Host`` header carries the name, and for HTTPS the
  name is passed as the TLS server name (``sni_hostname``), which is also what the certificate is
  verified against. A DNS answer that changes between check and connect (DNS rebinding) is
  therefore never used;
- redirects are followed by hand, at most ``settings.fetch_max_redirects``, and each hop goes
  through the same checks;
- environment proxies are ignored (``trust_env=False``): a proxy would resolve names itself and
  undo the checks above;
- a response is refused when its ``Content-Length`` or the bytes actually read (after
  decompression, so a compressed bomb is caught too) exceed ``settings.fetch_max_bytes``;
- ``settings.fetch_timeout_s`` bounds each network operation and the fetch as a whole (a server
  trickling bytes is cut off at the deadline, so the worst case is about twice the setting).

A caller that polls (the feed poller) passes the validators of its last copy (``Validators``: ETag,
Last-Modified); they go out as ``If-None-Match`` / ``If-Modified-Since`` and a ``304 Not Modified``
comes back as a page with ``not_modified`` set and no body. Without validators a 304 is an error.

Remaining gap: addresses are checked against Python's ``ipaddress`` notion of global; a
public-looking address that routes somewhere private inside an unusual network is not detected.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from ingest.settings import IngestSettings

__all__ = ["FetchError", "FetchedPage", "RefusedAddress", "Validators", "check_url", "fetch_url", "refusal_reason"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_REDIRECTS = {301, 302, 303, 307, 308}
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,application/json;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
_ALLOW_HINT = "set NEWSDESK_ALLOW_PRIVATE_URLS=true to allow"


class FetchError(Exception):
    """A URL that could not or would not be fetched; ``reason`` says why, for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RefusedAddress(FetchError):
    """A URL whose host is, or resolves to, an address not fetched by default (loopback, private...)."""


@dataclass(frozen=True)
class Validators:
    """What identifies a copy already read: the response's ``ETag`` and ``Last-Modified``, as sent."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        """The conditional request headers these validators make."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class FetchedPage:
    """A fetched response body: where it ended up, its MIME type (lowercase, no parameters), its bytes.

    ``validators``: the response's ETag and Last-Modified, for the next conditional fetch.
    ``not_modified``: the server answered 304 to a conditional fetch (``data`` is empty then).
    """

    url_final: str
    content_type: str
    data: bytes
    charset: str | None = None
    validators: Validators = Validators()
    not_modified: bool = False


def refusal_reason(ip: IPAddress) -> str | None:
    """Why an address may not be fetched by default ("loopback", "private", ...), or ``None`` if public."""
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 reaches that IPv4 host; judge it as such.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            inner = refusal_reason(embedded)
            if inner:
                return inner
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "non-public"
    return None


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _split(url: str) -> tuple[str, str, int | None]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"invalid URL {url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"refused: only http and https URLs can be fetched, not {scheme or 'a URL without scheme'!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchError(f"invalid URL {url!r}: no host")
    return scheme, host, port


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url: str, settings: IngestSettings) -> list[IPAddress]:
    """Check a URL (scheme, host, every address it resolves to) and return the addresses to connect to.

    Raises ``FetchError`` with the reason when the URL is refused or its host cannot be resolved.
    Called for the first URL and again for every redirect hop.
    """
    scheme, host, port = _split(url)
    literal = _literal(host)
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        try:
            ascii_host = host.encode("idna").decode("ascii")
            infos = socket.getaddrinfo(ascii_host, port or (443 if scheme == "https" else 80), type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as exc:
            raise FetchError(f"could not resolve host {host!r}: {getattr(exc, 'strerror', None) or exc}") from None
        addresses = []
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise FetchError(f"could not resolve host {host!r}")
    if not settings.allow_private_urls:
        for address in addresses:
            reason = refusal_reason(address)
            if reason:
                if literal is not None:
                    raise RefusedAddress(f"refused: {address} is {_a(reason)} address; {_ALLOW_HINT}")
                raise RefusedAddress(f"refused: {host} resolves to {address}, {_a(reason)} address; {_ALLOW_HINT}")
    return addresses


def _pinned_request(client: httpx.Client, url: str, address: IPAddress, timeout: float) -> httpx.Request:
    """A GET for ``url`` that connects to ``address`` while naming the original host (Host, SNI)."""
    parts = urlsplit(url)
    scheme, host, port = _split(url)
    ip_text = f"[{address}]" if address.version == 6 else str(address)
    netloc = ip_text + (f":{port}" if port else "")
    target = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    host_header = (
        host.encode("idna").decode("ascii") if _literal(host) is None else (f"[{host}]" if ":" in host else host)
    )
    if port:
        host_header += f":{port}"
    extensions = {}
    if scheme == "https" and _literal(host) is None:
        extensions["sni_hostname"] = host.encode("idna").decode("ascii")
    return client.build_request(
        "GET", target, headers={"Host": host_header}, timeout=httpx.Timeout(timeout), extensions=extensions
    )


def _send(client: httpx.Client, url: str, addresses: list[IPAddress], timeout: float) -> httpx.Response:
    last: Exception | None = None
    for address in addresses:
        try:
            return client.send(_pinned_request(client, url, address, timeout), stream=True)
        except httpx.ConnectError as exc:
            last = exc  # try the host's next address, as a browser would
    host = _split(url)[1]
    raise FetchError(f"could not connect to {host}: {last}")


def _read_body(response: httpx.Response, settings: IngestSettings, deadline: float) -> bytes:
    limit = settings.fetch_max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(f"response larger than {limit} bytes")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            raise FetchError(f"response larger than {limit} bytes")
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {settings.fetch_timeout_s:g}s")
    return bytes(body)


def _validators(response: httpx.Response) -> Validators:
    return Validators(
        etag=response.headers.get("etag") or None, last_modified=response.headers.get("last-modified") or None
    )


def fetch_url(url: str, settings: IngestSettings, *, validators: Validators | None = None) -> FetchedPage:
    """Fetch ``url`` with every safety check in the module docstring; raise ``FetchError`` with the reason.

    With ``validators`` the request is conditional, and an unchanged resource returns a page with
    ``not_modified`` set instead of its bytes.
    """
    deadline = time.monotonic() + settings.fetch_timeout_s
    timed_out = f"timed out after {settings.fetch_timeout_s:g}s"
    current = url.strip()
    conditional = validators.request_headers() if validators else {}
    headers = {"User-Agent": settings.user_agent, "Accept": _ACCEPT, **conditional}
    try:
        with httpx.Client(trust_env=False, follow_redirects=False, headers=headers) as client:
            for hop in range(settings.fetch_max_redirects + 1):
                addresses = check_url(current, settings)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise FetchError(timed_out)
                response = _send(client, current, addresses, remaining)
                try:
                    if response.status_code in _REDIRECTS:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(f"HTTP {response.status_code} redirect without a Location")
                        if hop == settings.fetch_max_redirects:
                            raise FetchError(f"too many redirects (more than {settings.fetch_max_redirects})")
                        current = urljoin(current, location.strip())
                        continue
                    if response.status_code == 304 and conditional:
                        return FetchedPage(
                            url_final=current,
                            content_type="",
                            data=b"",
                            validators=_validators(response),
                            not_modified=True,
                        )
                    if not 200 <= response.status_code < 300:
                        phrase = f" {response.reason_phrase}" if response.reason_phrase else ""
                        raise FetchError(f"HTTP {response.status_code}{phrase}")
                    data = _read_body(response, settings, deadline)
                finally:
                    response.close()
                content_type = response.headers.get("content-type", "")
                match = _CHARSET.search(content_type)
                return FetchedPage(
                    url_final=current,
                    content_type=content_type.split(";", 1)[0].strip().lower(),
                    data=data,
                    charset=match.group(1) if match else None,
                    validators=_validators(response),
                )
    except httpx.TimeoutException:
        raise FetchError(timed_out) from None
    except httpx.HTTPError as exc:
        raise FetchError(f"fetch failed: {type(exc).__name__}: {exc}") from None
    raise FetchError(f"too many redirects (more than {settings.fetch_max_redirects})")
