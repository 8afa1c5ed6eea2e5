"""Hostile and random input against every operation of the OpenAPI schema (schemathesis): never a 5xx.

The schema is loaded from the real app (``create_app``) over a small real archive with the real
embedder, and requests go in-process (ASGI). Write endpoints get the API key so their inputs are
exercised beyond the 401. ``/slack/events`` is left out: Bolt checks Slack's signature first, so
random input never reaches anything but a 401 there.

Checked for every generated request:

- the status is below 500 (a 503 "store unavailable" cannot happen over the embedded store here);
- every error is JSON in the contract's shape ``{"error": {"code", "message"}}``, without a traceback;
- what schemathesis can check against the schema: documented status codes, content types,
  response bodies that conform to their models.

URL ingest (``POST /v1/articles`` with ``{"url": ...}``) must not reach the internet: every
connection to a non-loopback address is refused for the duration of the run, and the fetch timeout
is two seconds (see ``archive_runtime``), so a generated public host fails fast with a 422.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from http_fakes import service_settings
from hypothesis import HealthCheck, settings
from live_server import API_KEY
from schemathesis import checks
from schemathesis.openapi import from_asgi

from ingest.settings import IngestSettings
from service.http.app import create_app
from service.runtime import Runtime

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 30

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(address: Any) -> bool:
    """True for a socket address only this machine answers (or a Unix socket path)."""
    if not isinstance(address, tuple):
        return True
    host = str(address[0])
    return host in ("localhost", "::1") or host.startswith("127.")


def _refuse_remote(sock: socket.socket, address: Any) -> None:
    if not _is_loopback(address):
        raise ConnectionRefusedError(f"the fuzz run does not reach the network ({address!r})")
    _real_connect(sock, address)


def _refuse_remote_ex(sock: socket.socket, address: Any) -> int:
    if not _is_loopback(address):
        return 111  # ECONNREFUSED
    return _real_connect_ex(sock, address)


@pytest.fixture(scope="module")
def offline() -> Iterator[None]:
    """Refuse every connection to a non-loopback address while the module runs."""
    patch = pytest.MonkeyPatch()
    patch.setattr(socket.socket, "connect", _refuse_remote)
    patch.setattr(socket.socket, "connect_ex", _refuse_remote_ex)
    yield
    patch.undo()


def _schema_app() -> FastAPI:
    """The real app, built only to serve its OpenAPI document (its runtime is never loaded).

    Routes and models do not depend on the runtime, so this is the same schema the archive-backed
    app serves (``test_fuzzed_app_serves_the_schema_being_fuzzed`` checks it). The schema has to
    exist at import time for ``schema.parametrize()``: schemathesis' fixture-based loader does not
    work with pytest 9. Its data folder does not exist, so a request sent here by mistake fails loudly.
    """
    ingest = IngestSettings(_env_file=None, data_dir=Path("/nonexistent/newsdesk-schema-only"))  # type: ignore[call-arg]
    return create_app(Runtime(service_settings(ingest=ingest, api_keys=[API_KEY])), warm_up=False)


SCHEMA_APP = _schema_app()
schema = from_asgi("/openapi.json", SCHEMA_APP).exclude(path="/slack/events")


@pytest.fixture(scope="module")
def fuzz_app(archive_runtime: Runtime, offline: None) -> FastAPI:
    """The real app over the module's archive (already warm), with the network out of reach."""
    return create_app(archive_runtime, warm_up=False)


def assert_contract_error(response: Any) -> None:
    """An error response is JSON ``{"error": {"code", "message"}}`` and carries no traceback."""
    text = response.text
    assert "Traceback" not in text and 'File "' not in text, text[:2000]
    # schemathesis keeps every value of a header: {"content-type": ["application/json"]}
    content_type = ",".join(response.headers.get("content-type", []))
    assert content_type.startswith("application/json"), f"{response.status_code} as {content_type!r}: {text[:500]}"
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert isinstance(error.get("code"), str) and error["code"], body
    assert isinstance(error.get("message"), str) and error["message"], body


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_service_fail_or_break_its_contract(case: Any, fuzz_app: FastAPI) -> None:
    """Every operation, random and hostile input: a status below 500, contract errors, schema-conformant responses."""
    response = case.call(app=fuzz_app, headers={"X-API-Key": API_KEY})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:2000]}"
    )
    if response.status_code >= 400:
        assert_contract_error(response)
    # Checks that send follow-up requests send them to the same app.
    case.validate_response(
        response,
        headers={"X-API-Key": API_KEY},
        transport_kwargs={"app": fuzz_app},
        excluded_checks=[checks.negative_data_rejection, checks.positive_data_acceptance],
    )


def test_fuzzed_app_serves_the_schema_being_fuzzed(fuzz_app: FastAPI) -> None:
    """The schema generated from is the archive-backed app's own."""
    assert fuzz_app.openapi() == SCHEMA_APP.openapi()
    assert {"/v1/ask", "/v1/articles", "/v1/articles/{article_id}", "/v1/citations/{citation_id}"} <= set(
        fuzz_app.openapi()["paths"]
    )
