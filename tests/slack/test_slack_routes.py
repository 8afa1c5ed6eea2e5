"""The Slack router inside an app, in process: off without settings, reads guarded like other reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from slack_server import has_slack_routes

from ingest.settings import IngestSettings
from service.http.app import create_app
from service.runtime import Runtime
from service.settings import ServiceSettings
from service.slack import slack_routes
from service.slack.app import SlackNotConfigured, api_base_url, build_bot


@pytest.fixture(autouse=True)
def no_slack_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "NEWSDESK_SLACK_API_URL",
        "NEWSDESK_API_KEYS",
        "NEWSDESK_PROTECT_READS",
        "NEWSDESK_SLACK_BOT_TOKEN",
        "NEWSDESK_SLACK_SIGNING_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)


def runtime(tmp_path: Path, **values: object) -> Runtime:
    return Runtime(ServiceSettings(ingest=IngestSettings(data_dir=tmp_path), **values))  # type: ignore[arg-type]


def app_with(rt: Runtime) -> TestClient:
    """The real app (nothing loaded) with the Slack router, as ``newsdesk serve`` builds it."""
    app = create_app(rt, warm_up=False)
    if not has_slack_routes(app):
        app.include_router(slack_routes(rt))
    return TestClient(app)


def test_without_slack_settings_the_endpoint_says_what_is_missing(tmp_path: Path) -> None:
    client = app_with(runtime(tmp_path))
    response = client.post("/slack/events", json={"type": "url_verification", "challenge": "x"})
    assert response.status_code == 503
    assert (
        response.json()["error"]["code"] == "unavailable" and "SLACK_BOT_TOKEN" in response.json()["error"]["message"]
    )
    assert client.get("/v1/feedback").json() == {"feedback": [], "count": 0}


def test_http_mode_needs_a_signing_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    with pytest.raises(SlackNotConfigured, match="SLACK_SIGNING_SECRET"):
        build_bot(runtime(tmp_path))
    assert build_bot(runtime(tmp_path), socket_mode=True).app is not None  # Socket Mode does without


def test_feedback_reads_need_a_key_when_reads_are_protected(tmp_path: Path) -> None:
    client = app_with(runtime(tmp_path, api_keys=["k-1"], protect_reads=True))
    assert client.get("/v1/feedback", headers={"X-API-Key": "k-1"}).status_code == 200
    refused = client.get("/v1/feedback", headers={"X-API-Key": "wrong"})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    assert client.get("/v1/feedback").status_code == 401
    assert client.post("/slack/events", json={}).status_code == 503  # Slack's own requests never need a key


def test_the_api_base_url_ends_in_a_slash(tmp_path: Path) -> None:
    assert api_base_url(ServiceSettings(ingest=IngestSettings(data_dir=tmp_path))) == "https://slack.com/api/"
    assert (
        api_base_url(ServiceSettings(ingest=IngestSettings(data_dir=tmp_path), slack_api_url="http://127.0.0.1:9/api"))
        == "http://127.0.0.1:9/api/"
    )
