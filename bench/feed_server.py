"""A real HTTP server on 127.0.0.1 serving RSS feeds that change between polls.

Each feed path answers like a careful publisher: an ``ETag`` and a ``Last-Modified`` on every
200, and ``304 Not Modified`` when the request's ``If-None-Match`` names the current ETag (or,
without one, its ``If-Modified-Since`` is not older than the last change). A test switches a
feed to fail (``status``), to answer slowly (``delay_s``) or to serve a broken body (``raw``),
and reads what the server saw: every request's conditional headers, and the most requests one
feed ever had in flight at once. ``conditional = False`` makes a feed ignore the validators (always 200),
as many publishers do.

Tests import it as ``bench.feed_server`` and benchmarks as ``feed_server`` (as ``launcher``): it lives in
bench/ because benchmarks never import tests. It needs only the standard library.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from xml.sax.saxutils import escape


@dataclass
class Item:
    """One feed entry; ``pub_date`` is written as given (so a test can make it unreadable)."""

    title: str
    link: str
    text: str
    pub_date: str = "Mon, 10 Jan 2022 18:00:00 GMT"


@dataclass
class Seen:
    """One request as the server received it."""

    path: str
    if_none_match: str | None
    if_modified_since: str | None
    status: int


@dataclass
class FeedRoute:
    """What one feed path serves now."""

    title: str
    items: list[Item] = field(default_factory=list)
    status: int = 200
    delay_s: float = 0.0
    raw: bytes | None = None  # served instead of the RSS document (a malformed feed)
    conditional: bool = True  # False: the validators are ignored and every request gets the whole feed
    changed_at: float = field(default_factory=time.time)
    in_flight: int = 0
    max_in_flight: int = 0

    def body(self) -> bytes:
        if self.raw is not None:
            return self.raw
        entries = "".join(
            f"<item><title>{escape(i.title)}</title><link>{escape(i.link)}</link>"
            f"<pubDate>{escape(i.pub_date)}</pubDate>"
            f"<content:encoded>{escape(i.text)}</content:encoded></item>"
            for i in self.items
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>{escape(self.title)}</title><link>http://news.example/</link>{entries}</channel></rss>"
        ).encode()


class FeedServer:
    """Feeds on 127.0.0.1 at ``/feeds/NAME.xml``; a context manager that stops the server."""

    def __init__(self) -> None:
        self.routes: dict[str, FeedRoute] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server._answer(self)

            def log_message(self, *args: object) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._http.server_address[1])

    def add(self, name: str, title: str, items: list[Item] | None = None) -> str:
        """Serve a feed; returns its URL."""
        self.routes[f"/feeds/{name}.xml"] = FeedRoute(title=title, items=list(items or []))
        return self.url(name)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/feeds/{name}.xml"

    def route(self, name: str) -> FeedRoute:
        return self.routes[f"/feeds/{name}.xml"]

    def publish(self, name: str, item: Item) -> None:
        """A new entry at the top of the feed (the feed changes: new ETag, new Last-Modified)."""
        route = self.route(name)
        with self._lock:
            route.items.insert(0, item)
            route.changed_at = time.time() + 1  # Last-Modified has whole seconds: make the change visible

    def requests_for(self, name: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path == f"/feeds/{name}.xml"]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        route = self.routes.get(path)
        if route is None:
            handler.send_error(404)
            return
        with self._lock:
            route.in_flight += 1
            route.max_in_flight = max(route.max_in_flight, route.in_flight)
        try:
            if route.delay_s:
                time.sleep(route.delay_s)
            body = route.body()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            last_modified = formatdate(route.changed_at, usegmt=True)
            if_none_match = handler.headers.get("If-None-Match")
            if_modified_since = handler.headers.get("If-Modified-Since")
            status = route.status
            if (
                status == 200
                and route.conditional
                and _unchanged(if_none_match, if_modified_since, etag, route.changed_at)
            ):
                status = 304
            with self._lock:
                self.seen.append(Seen(path, if_none_match, if_modified_since, status))
            handler.send_response(status)
            if status == 200:
                handler.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                handler.send_header("ETag", etag)
                handler.send_header("Last-Modified", last_modified)
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)
            else:
                handler.send_header("Content-Length", "0")
                handler.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout)
        finally:
            with self._lock:
                route.in_flight -= 1

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def __enter__(self) -> FeedServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _unchanged(if_none_match: str | None, if_modified_since: str | None, etag: str, changed_at: float) -> bool:
    # RFC 9110: If-None-Match decides when present; If-Modified-Since only without it.
    if if_none_match is not None:
        return etag in [t.strip() for t in if_none_match.split(",")]
    if if_modified_since is not None:
        try:
            return parsedate_to_datetime(if_modified_since).timestamp() >= int(changed_at)
        except (TypeError, ValueError):
            return False
    return False


def story(n: int, topic: str = "harbour") -> Item:
    """A small but real article: a few sentences the chunker and the model work on."""
    return Item(
        title=f"Council approves {topic} plan number {n}",
        link=f"http://news.example/{topic}/{n}",
        text=(
            f"The city council approved {topic} plan number {n} on Monday after a long debate. "
            f"Supporters said plan {n} would bring jobs to the {topic} district within two years. "
            f"Opponents warned that the cost of plan {n} had doubled since it was first proposed."
        ),
    )
