"""Fetching URLs: a real HTTP server on 127.0.0.1, and the address checks without any network."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest

from ingest.models import ArticleDraft, ReadFailure
from ingest.readers import read_sources, safe_fetch
from ingest.readers.safe_fetch import FetchError, check_url, fetch_url, refusal_reason
from ingest.readers.web import read_url
from ingest.settings import IngestSettings

ARTICLE_HTML = b"""<html><head><title>Local story</title>
<meta property="article:published_time" content="2024-03-01T10:00:00+01:00"></head>
<body><article><h1>Local story</h1><p>The council approved the new bridge after a long debate on Monday evening.</p>
<p>Construction starts in spring and should take two years, officials said.</p></article></body></html>"""


@pytest.fixture
def open_settings(reader_settings: IngestSettings) -> IngestSettings:
    """Settings that let the tests reach their own server on 127.0.0.1."""
    return reader_settings.model_copy(update={"allow_private_urls": True})


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never let a test open a connection anywhere but 127.0.0.1, whatever the code under test does."""
    real = socket.create_connection

    def guarded(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        if address[0] != "127.0.0.1":
            raise AssertionError(f"test tried to connect to {address[0]}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


def test_an_article_page_is_fetched_and_read_as_html(http_server: Any, open_settings: IngestSettings) -> None:
    url = http_server.add("/story", ARTICLE_HTML, headers={"Content-Type": "text/html; charset=utf-8"})
    [draft] = list(read_url(url, open_settings))
    assert isinstance(draft, ArticleDraft)
    assert draft.origin == url
    assert draft.url == url
    assert draft.title == "Local story"
    assert draft.text.startswith("The council approved the new bridge")
    assert draft.published_at is not None and draft.published_at.utcoffset() is not None


def test_requests_carry_the_user_agent(http_server: Any, open_settings: IngestSettings) -> None:
    url = http_server.add("/story", ARTICLE_HTML, headers={"Content-Type": "text/html"})
    fetch_url(url, open_settings)
    headers = http_server.requests[0][1]
    assert headers["User-Agent"] == open_settings.user_agent


def test_a_feed_url_is_read_as_a_feed(http_server: Any, open_settings: IngestSettings) -> None:
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local Feed</title>
<item><title>One</title><link>https://local.example/1</link><description>First summary.</description></item>
<item><title>Two</title><link>https://local.example/2</link><description>Second summary.</description></item>
</channel></rss>"""
    url = http_server.add("/feed", feed, headers={"Content-Type": "application/rss+xml"})
    items = list(read_url(url, open_settings))
    assert [i.title for i in items if isinstance(i, ArticleDraft)] == ["One", "Two"]
    assert all(isinstance(i, ArticleDraft) and i.summary_only and i.source == "Local Feed" for i in items)


def test_with_fetch_a_summary_only_entry_is_replaced_by_its_page(
    http_server: Any, open_settings: IngestSettings
) -> None:
    page_url = http_server.add("/article", ARTICLE_HTML, headers={"Content-Type": "text/html"})
    missing_url = http_server.url("/gone")
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local Feed</title>
<item><title>Local story</title><link>{page_url}</link><description>Teaser.</description></item>
<item><title>Gone</title><link>{missing_url}</link><description>Teaser.</description></item>
</channel></rss>""".encode()
    feed_url = http_server.add("/feed", feed, headers={"Content-Type": "application/rss+xml"})
    full, failure = list(read_url(feed_url, open_settings, fetch=True))
    assert isinstance(full, ArticleDraft)
    assert full.summary_only is False
    assert full.text.startswith("The council approved the new bridge")
    assert (full.url, full.source) == (page_url, "Local Feed")
    assert isinstance(failure, ReadFailure)
    assert failure.origin == missing_url
    assert failure.reason == "could not fetch the full article: HTTP 404 Not Found"


def test_json_and_plain_text_urls_go_to_their_readers(http_server: Any, open_settings: IngestSettings) -> None:
    json_url = http_server.add(
        "/a.json", b'{"title": "J", "text": "Json body."}', headers={"Content-Type": "application/json"}
    )
    text_url = http_server.add("/a.txt", b"Plain title\n\nPlain body.", headers={"Content-Type": "text/plain"})
    jsonl_url = http_server.add(
        "/raw/a.jsonl", b'{"title": "L", "text": "Line body."}\n', headers={"Content-Type": "text/plain"}
    )
    items = list(read_sources([json_url, text_url, jsonl_url], open_settings))
    assert [(i.title, i.text) for i in items if isinstance(i, ArticleDraft)] == [
        ("J", "Json body."),
        ("Plain title", "Plain body."),
        ("L", "Line body."),
    ]
    assert items[2].origin == f"{jsonl_url}:1"


def test_the_charset_in_the_content_type_header_decodes_the_page(
    http_server: Any, open_settings: IngestSettings
) -> None:
    page = "<html><body><article><p>Le café était très bon.</p></article></body></html>".encode("cp1252")
    url = http_server.add("/fr", page, headers={"Content-Type": "text/html; charset=windows-1252"})
    [draft] = list(read_url(url, open_settings))
    assert isinstance(draft, ArticleDraft)
    assert draft.text == "Le café était très bon."


def test_an_unsupported_content_type_fails(http_server: Any, open_settings: IngestSettings) -> None:
    url = http_server.add("/blob", b"\x00\x01\x02\x03" * 10, headers={"Content-Type": "application/octet-stream"})
    [failure] = list(read_url(url, open_settings))
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "unsupported content type application/octet-stream"


def test_a_redirect_chain_is_followed_to_the_final_url(http_server: Any, open_settings: IngestSettings) -> None:
    final = http_server.add("/final", ARTICLE_HTML, headers={"Content-Type": "text/html"})
    http_server.add("/one", status=301, headers={"Location": "/two"})
    http_server.add("/two", status=302, headers={"Location": final})
    page = fetch_url(http_server.url("/one"), open_settings)
    assert page.url_final == final
    assert page.content_type == "text/html"
    assert page.data == ARTICLE_HTML
    assert [path for path, _ in http_server.requests] == ["/one", "/two", "/final"]


def test_too_many_redirects_fail(http_server: Any, open_settings: IngestSettings) -> None:
    http_server.add("/loop", status=302, headers={"Location": "/loop"})
    limited = open_settings.model_copy(update={"fetch_max_redirects": 2})
    with pytest.raises(FetchError) as error:
        fetch_url(http_server.url("/loop"), limited)
    assert error.value.reason == "too many redirects (more than 2)"
    assert len(http_server.requests) == 3


def test_an_http_error_status_fails_with_the_status(http_server: Any, open_settings: IngestSettings) -> None:
    [failure] = list(read_url(http_server.url("/missing"), open_settings))
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "HTTP 404 Not Found"


@pytest.mark.parametrize("send_length", [True, False])
def test_an_oversized_response_fails_without_reading_it_all(
    send_length: bool, http_server: Any, open_settings: IngestSettings
) -> None:
    url = http_server.add("/big", b"x" * 200_000, headers={"Content-Type": "text/plain"}, send_length=send_length)
    small = open_settings.model_copy(update={"fetch_max_bytes": 1000})
    with pytest.raises(FetchError) as error:
        fetch_url(url, small)
    assert error.value.reason == "response larger than 1000 bytes"


def test_a_slow_server_times_out(http_server: Any, open_settings: IngestSettings) -> None:
    url = http_server.add("/slow", ARTICLE_HTML, delay_s=2.0)
    quick = open_settings.model_copy(update={"fetch_timeout_s": 0.3})
    with pytest.raises(FetchError) as error:
        fetch_url(url, quick)
    assert error.value.reason == "timed out after 0.3s"


def test_a_loopback_url_is_refused_by_default_and_never_requested(
    http_server: Any, reader_settings: IngestSettings
) -> None:
    url = http_server.add("/story", ARTICLE_HTML)
    [failure] = list(read_url(url, reader_settings))
    assert isinstance(failure, ReadFailure)
    assert failure.origin == url
    assert failure.reason == "refused: 127.0.0.1 is a loopback address; set NEWSDESK_ALLOW_PRIVATE_URLS=true to allow"
    assert http_server.requests == []


def test_a_host_name_resolving_to_loopback_is_refused(http_server: Any, reader_settings: IngestSettings) -> None:
    with pytest.raises(FetchError) as error:
        fetch_url(f"http://localhost:{http_server.port}/story", reader_settings)
    assert error.value.reason.startswith("refused: localhost resolves to ")
    assert "a loopback address; set NEWSDESK_ALLOW_PRIVATE_URLS=true to allow" in error.value.reason
    assert http_server.requests == []


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://169.254.169.254/latest/meta-data/", "a link-local"),
        ("http://10.0.0.1/admin", "a private"),
        ("http://192.168.1.1/", "a private"),
        ("http://[::1]:8080/", "a loopback"),
        ("http://[::ffff:127.0.0.1]/", "a loopback"),
        ("http://0.0.0.0/", "an unspecified"),
        ("http://224.0.0.1/", "a multicast"),
        ("http://2130706433/", "a loopback"),
    ],
)
def test_non_public_addresses_are_refused_before_any_connection(
    url: str, kind: str, reader_settings: IngestSettings, loopback_only: None
) -> None:
    with pytest.raises(FetchError) as error:
        check_url(url, reader_settings)
    assert error.value.reason.startswith("refused: ")
    assert f"{kind} address; set NEWSDESK_ALLOW_PRIVATE_URLS=true to allow" in error.value.reason


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/"])
def test_only_http_and_https_urls_are_fetched(url: str, reader_settings: IngestSettings) -> None:
    with pytest.raises(FetchError, match="refused: only http and https"):
        check_url(url, reader_settings)


def test_public_addresses_pass_the_check() -> None:
    assert refusal_reason(ipaddress.ip_address("93.184.216.34")) is None
    assert refusal_reason(ipaddress.ip_address("2606:4700::6810:85e5")) is None


def test_a_redirect_to_a_private_address_is_refused_at_that_hop(
    http_server: Any, reader_settings: IngestSettings, monkeypatch: pytest.MonkeyPatch, loopback_only: None
) -> None:
    # Stand-in for a public server: only our own 127.0.0.1 counts as allowed; every other rule stays.
    real = safe_fetch.refusal_reason
    monkeypatch.setattr(safe_fetch, "refusal_reason", lambda ip: None if str(ip) == "127.0.0.1" else real(ip))
    start = http_server.add("/go", status=302, headers={"Location": "http://10.0.0.1/internal"})
    with pytest.raises(FetchError) as error:
        fetch_url(start, reader_settings)
    assert error.value.reason == "refused: 10.0.0.1 is a private address; set NEWSDESK_ALLOW_PRIVATE_URLS=true to allow"
    http_server.add("/meta", status=307, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(FetchError, match="169.254.169.254 is a link-local address"):
        fetch_url(http_server.url("/meta"), reader_settings)


def test_the_checked_address_is_the_one_connected_to(
    http_server: Any, open_settings: IngestSettings, monkeypatch: pytest.MonkeyPatch, loopback_only: None
) -> None:
    # The name resolves once; a second lookup (DNS rebinding) would fail the fetch.
    real = socket.getaddrinfo
    lookups: list[str] = []

    def resolver(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "news.example":
            lookups.append(host)
            if len(lookups) > 1:
                raise socket.gaierror(socket.EAI_NONAME, "second lookup")
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    http_server.add("/story", ARTICLE_HTML, headers={"Content-Type": "text/html"})
    page = fetch_url(f"http://news.example:{http_server.port}/story", open_settings)
    assert page.url_final == f"http://news.example:{http_server.port}/story"
    assert lookups == ["news.example"]
    assert http_server.requests[0][1]["Host"] == f"news.example:{http_server.port}"


def test_https_requests_go_to_the_checked_ip_but_name_the_host_for_tls() -> None:
    import httpx

    with httpx.Client() as client:
        request = safe_fetch._pinned_request(
            client, "https://news.example/a?b=1", ipaddress.ip_address("93.184.216.34"), 5.0
        )
        v6 = safe_fetch._pinned_request(client, "https://news.example:8443/", ipaddress.ip_address("2606:4700::1"), 5.0)
    assert str(request.url) == "https://93.184.216.34/a?b=1"
    assert request.headers["Host"] == "news.example"
    assert request.extensions["sni_hostname"] == "news.example"
    assert str(v6.url) == "https://[2606:4700::1]:8443/"
    assert v6.headers["Host"] == "news.example:8443"
