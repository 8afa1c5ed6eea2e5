"""The API docs page (``/docs``) works on a machine without internet: everything it loads comes from this server.

FastAPI's own page loads Swagger UI from a CDN and stays blank offline; ``service/http/docs.py``
serves the same page with Swagger UI's files from an installed package. The app is the in-process
one of ``test_app.py`` (its ``make_client``), with stand-ins for the model and the store.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx
from fastapi.testclient import TestClient
from test_app import KEY, make_client

MIN_BYTES = {
    "javascript": 100_000,
    "css": 10_000,
    "image": 100,
}  # Swagger UI's bundle is over 1 MB, its CSS over 100 kB


class AssetRefs(HTMLParser):
    """The URLs a page makes the browser fetch: scripts, stylesheets, icons."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.refs.append(str(found["src"]))
        elif tag == "link" and found.get("href"):
            self.refs.append(str(found["href"]))


def asset_refs(page: str) -> list[str]:
    parser = AssetRefs()
    parser.feed(page)
    return parser.refs


def spec_url(page: str) -> str:
    """The OpenAPI document the page tells Swagger UI to show."""
    found = re.search(r"url: '([^']+)'", page)
    assert found, page
    return found.group(1)


def kind(response: httpx.Response) -> str:
    content_type = response.headers["content-type"]
    return next(k for k in MIN_BYTES if k in content_type)


def assert_served_here(client: TestClient, page: str) -> list[str]:
    """Every script, stylesheet and icon of ``page`` is a path on this server and loads; returns the kinds."""
    refs = asset_refs(page)
    kinds = []
    for ref in refs:
        url = urlsplit(ref)
        assert not url.scheme and not url.netloc and ref.startswith("/"), f"{ref} is not on this server"
        asset = client.get(ref)
        assert asset.status_code == 200, (ref, asset.status_code)
        kinds.append(kind(asset))
        assert len(asset.content) >= MIN_BYTES[kinds[-1]], (ref, len(asset.content))
    return kinds


def test_the_api_docs_page_loads_its_scripts_from_this_server_not_a_cdn() -> None:
    client, _ = make_client()
    with client:
        page = client.get("/docs")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "SwaggerUIBundle(" in page.text
        assert re.findall(r"https?://\S+", page.text) == [], "the page names another host"
        assert sorted(assert_served_here(client, page.text)) == ["css", "image", "javascript"]


def test_the_docs_page_shows_this_servers_openapi_document() -> None:
    client, _ = make_client()
    with client:
        spec = client.get(spec_url(client.get("/docs").text))
        assert spec.status_code == 200 and "/v1/ask" in spec.json()["paths"]
        assert "/docs" not in spec.json()["paths"]  # the page itself is not an API operation


def test_behind_a_proxy_under_a_path_the_page_asks_for_everything_under_that_path() -> None:
    client, _ = make_client()
    with client:
        proxied = TestClient(client.app, root_path="/newsdesk")  # the same app, as a proxy under /newsdesk calls it
        page = proxied.get("/newsdesk/docs")
        assert page.status_code == 200
        assert spec_url(page.text) == "/newsdesk/openapi.json"
        refs = asset_refs(page.text)
        assert refs and all(ref.startswith("/newsdesk/docs/assets/") for ref in refs), refs
        assert len(assert_served_here(proxied, page.text)) == len(refs)


def test_with_protected_reads_the_docs_page_is_as_open_as_the_document_it_shows() -> None:
    client, _ = make_client(api_keys=[KEY], protect_reads=True)
    with client:
        assert client.get("/v1/articles").status_code == 401  # reads are protected here
        for headers in ({}, {"X-API-Key": KEY}):
            spec = client.get("/openapi.json", headers=headers).status_code
            page = client.get("/docs", headers=headers)
            assert page.status_code == spec, (headers, page.status_code, spec)
            for ref in asset_refs(page.text):
                assert client.get(ref, headers=headers).status_code == spec, ref


def test_no_docs_page_that_needs_a_cdn_is_left() -> None:
    client, _ = make_client()
    with client:
        assert client.get("/redoc").status_code == 404  # FastAPI's ReDoc page loads its script from a CDN
