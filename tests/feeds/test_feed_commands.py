"""``newsdesk feeds add|list|remove|run`` and ``newsdesk stats`` through the real command (in process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bench.feed_server import FeedServer, story
from service.cli.app import app


@pytest.fixture
def run(tmp_path: Path, model_cache: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """``newsdesk ARGS...`` over a fresh data folder, with only this test's settings."""
    import os

    for name in list(os.environ):
        if name.startswith("NEWSDESK_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_MODEL_CACHE", str(model_cache))
    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE_URLS", "true")
    monkeypatch.setenv("NEWSDESK_FEED_MIN_EVERY_S", "1")

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, list(args))

    return invoke


def test_bad_input_is_refused_with_a_json_error_and_nothing_is_stored(run: object) -> None:
    invoke = run  # type: ignore[assignment]
    for args, code, exit_code in (
        (["feeds", "add", "/etc/passwd"], "bad_request", 2),
        (["feeds", "add", "http://news.example/feed.xml", "--every", "0.5s"], "bad_request", 2),  # under the minimum
        (["feeds", "add", "http://news.example/feed.xml", "--every", "soon"], "bad_request", 2),
        (["feeds", "remove", "../../etc"], "bad_request", 2),
        (["feeds", "remove", "0123456789ab"], "not_found", 1),
    ):
        result = invoke(*args, "--json")  # type: ignore[operator]
        assert result.exit_code == exit_code, (args, result.output)
        assert json.loads(result.stdout)["error"]["code"] == code, (args, result.stdout)
        assert result.exception is None or isinstance(result.exception, SystemExit)
    listed = invoke("feeds", "list", "--json")  # type: ignore[operator]
    assert listed.exit_code == 0 and json.loads(listed.stdout) == {"feeds": []}


def test_a_feed_on_a_private_address_is_refused_when_added_unless_allowed(
    run: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke = run  # type: ignore[assignment]
    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE_URLS", "false")
    refused = invoke("feeds", "add", "http://127.0.0.1:9/feed.xml", "--json")  # type: ignore[operator]
    assert refused.exit_code == 2, refused.output
    error = json.loads(refused.stdout)["error"]
    assert (
        error["code"] == "bad_request"
        and "loopback" in error["message"]
        and "NEWSDESK_ALLOW_PRIVATE_URLS" in error["message"]
    )
    assert json.loads(invoke("feeds", "list", "--json").stdout) == {"feeds": []}  # type: ignore[operator]
    # A host that cannot be resolved now is still added: the network may be down, the poller keeps trying.
    unresolved = invoke("feeds", "add", "http://news.invalid/feed.xml")  # type: ignore[operator]
    assert unresolved.exit_code == 0 and "could not resolve host" in unresolved.stdout, unresolved.output


def test_add_list_run_once_stats_and_remove(run: object) -> None:
    invoke = run  # type: ignore[assignment]
    with FeedServer() as feeds:
        good = feeds.add("good", "Good Times", [story(1), story(2)])
        bad = feeds.add("bad", "Bad Times", [story(3)])
        feeds.route("bad").status = 500

        added = json.loads(invoke("feeds", "add", good, "--every", "1h", "--json").stdout)  # type: ignore[operator]
        assert added["status"] == "created" and added["every_s"] == 3600 and added["last_poll_at"] is None
        default = json.loads(invoke("feeds", "add", bad, "--source", "Bad", "--json").stdout)  # type: ignore[operator]
        assert default["every_s"] == 900 and default["source"] == "Bad"  # the default interval: 15 minutes

        once = invoke("feeds", "run", "--once", "--json")  # type: ignore[operator]
        assert once.exit_code == 1, once.output  # one feed failed
        polls = {p["url"]: p for p in json.loads(once.stdout)["polls"]}
        assert polls[good]["status"] == "stored" and polls[good]["new"] == 2
        assert polls[bad]["status"] == "error" and polls[bad]["error"] == "HTTP 500 Internal Server Error"

        again = invoke("feeds", "run", "--once", "--json")  # type: ignore[operator]
        assert again.exit_code == 0 and json.loads(again.stdout) == {"polls": []}  # nothing is due yet

        stats = json.loads(invoke("stats", "--json").stdout)  # type: ignore[operator]
        assert stats["articles"] == 2
        shown = {f["id"]: f for f in stats["feeds"]}
        assert shown[added["id"]]["new_articles"] == 2 and shown[added["id"]]["last_new_article_at"]
        assert shown[default["id"]]["last_error"] == "HTTP 500 Internal Server Error"
        assert shown[default["id"]]["consecutive_errors"] == 1

        table = invoke("feeds", "list")  # type: ignore[operator]
        assert table.exit_code == 0 and added["id"] in table.stdout

        removed = invoke("feeds", "remove", added["id"], "--json")  # type: ignore[operator]
        assert json.loads(removed.stdout) == {"id": added["id"], "status": "removed"}
        left = json.loads(invoke("feeds", "list", "--json").stdout)["feeds"]  # type: ignore[operator]
        assert [f["id"] for f in left] == [default["id"]]
        by_url = invoke("feeds", "remove", bad, "--json")  # type: ignore[operator]
        assert json.loads(by_url.stdout) == {"id": default["id"], "status": "removed"}  # the URL it was added with
        assert json.loads(invoke("feeds", "list", "--json").stdout) == {"feeds": []}  # type: ignore[operator]
        assert json.loads(invoke("stats", "--json").stdout)["articles"] == 2  # its articles stay  # type: ignore[operator]
