"""``newsdesk slack``: the bot in Socket Mode, as a real process, against a fake Slack that serves
the Web API and the Socket Mode WebSocket on 127.0.0.1, over the seed article on a Chroma server."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from service_process import NEWSDESK, ServiceProcess, ingest_into, service_env
from slack_fakes import (
    APP_TOKEN,
    BOT_TOKEN,
    BOT_USER,
    PUBLIC_URL,
    FakeSlack,
    event_callback,
    mention,
    slash_command,
    wait_until,
)

from ingest.embedding import Embedder
from ingest.models import ArticleDraft
from ingest.readers import read_sources
from ingest.settings import IngestSettings
from service.watches.store import WatchStore

pytestmark = pytest.mark.slow

CSTO = "Collective Security Treaty Organization"


@pytest.fixture(scope="module")
def socket_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack(socket=True).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def seed_on_server(
    chroma_server: Any,
    embedder: Embedder,
    model_cache: Path,
    seed_article: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> IngestSettings:
    settings = IngestSettings(
        data_dir=tmp_path_factory.mktemp("socket-ingest"),
        chroma_url=chroma_server.url,
        collection_prefix="sock" + os.urandom(3).hex(),
        model_cache=model_cache,
    )
    ingest_into(settings, embedder, list(read_sources([str(seed_article)], settings, source_name="Asianet Newsable")))
    return settings


@pytest.fixture(scope="module")
def socket_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bot's working folder; its data folder is ``data`` in it."""
    return tmp_path_factory.mktemp("socket-bot")


@pytest.fixture(scope="module")
def socket_bot(
    seed_on_server: IngestSettings, socket_slack: FakeSlack, model_cache: Path, socket_root: Path
) -> Iterator[ServiceProcess]:
    root = socket_root
    env = service_env(
        NEWSDESK_DATA_DIR=str(root / "data"),
        NEWSDESK_MODEL_CACHE=str(model_cache),
        NEWSDESK_CHROMA_URL=str(seed_on_server.chroma_url),
        NEWSDESK_COLLECTION_PREFIX=seed_on_server.collection_prefix,
        NEWSDESK_PUBLIC_URL=PUBLIC_URL,
        NEWSDESK_SLACK_API_URL=socket_slack.api_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
    )
    bot = ServiceProcess([str(NEWSDESK), "slack"], env, cwd=root, log_path=root / "slack.log")
    bot.wait_for_log("newsdesk is answering in Slack")
    assert socket_slack.socket is not None and socket_slack.socket.connected.wait(30)
    yield bot
    bot.stop()


def envelope(envelope_id: str, kind: str, payload: dict[str, Any], retry: int = 0) -> dict[str, Any]:
    return {
        "envelope_id": envelope_id,
        "type": kind,
        "payload": payload,
        "accepts_response_payload": kind != "events_api",
        "retry_attempt": retry,
        "retry_reason": "timeout" if retry else "",
    }


def test_socket_mode_answers_a_mention_once(socket_bot: ServiceProcess, socket_slack: FakeSlack) -> None:
    [opened] = socket_slack.calls_to("apps.connections.open")
    assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"
    socket = socket_slack.socket
    assert socket is not None

    event = mention(f"<@{BOT_USER}> who sent peacekeepers?", channel="C0SOCKET")
    delivery = event_callback(event)
    sent = time.monotonic()
    socket.send(envelope("env-1", "events_api", delivery))
    socket.wait_for_ack("env-1", timeout=3)
    assert time.monotonic() - sent < 3
    [call] = socket_slack.wait_for("chat.postMessage", channel="C0SOCKET")
    assert call.args["thread_ts"] == event["ts"] and CSTO in call.text_of_blocks()
    assert f"<{PUBLIC_URL}/c/" in call.text_of_blocks()
    assert call.headers["authorization"] == f"Bearer {BOT_TOKEN}"

    socket.send(envelope("env-2", "events_api", delivery, retry=1))  # Slack's retry of the same event
    socket.wait_for_ack("env-2", timeout=3)
    time.sleep(1.5)
    assert len(socket_slack.calls_to("chat.postMessage", channel="C0SOCKET")) == 1
    assert f"event {delivery['event_id']} already handled" in socket_bot.log()


def test_socket_mode_slash_command(socket_bot: ServiceProcess, socket_slack: FakeSlack) -> None:
    socket = socket_slack.socket
    assert socket is not None
    socket.send(
        envelope(
            "env-3", "slash_commands", slash_command("who sent peacekeepers?", socket_slack.response_url("sock-cmd"))
        )
    )
    ack = socket.wait_for_ack("env-3", timeout=3)
    assert ack["payload"]["response_type"] == "ephemeral" and ack["payload"]["text"].startswith("Looking…")
    [answer] = socket_slack.wait_for("respond", path="/respond/sock-cmd")
    assert CSTO in answer.text_of_blocks()


def test_socket_mode_posts_topic_alerts(
    socket_bot: ServiceProcess,
    socket_slack: FakeSlack,
    seed_on_server: IngestSettings,
    embedder: Embedder,
    socket_root: Path,
) -> None:
    socket = socket_slack.socket
    assert socket is not None
    command = slash_command('watch "kazakhstan peacekeepers"', socket_slack.response_url("sock-watch"), "C0ALERTS")
    socket.send(envelope("env-4", "slash_commands", command))
    ack = socket.wait_for_ack("env-4", timeout=3)
    assert ack["payload"]["response_type"] == "in_channel" and "set up a watch" in ack["payload"]["text"]
    state = WatchStore(socket_root / "data" / "slack.sqlite3")
    wait_until(lambda: state.position() is not None, timeout=60, what="the alert follower to start")

    url = "https://steppe.example/socket-withdrawal"
    ingest_into(
        seed_on_server,
        embedder,
        [
            ArticleDraft(
                origin=url,
                url=url,
                title="CSTO peacekeepers leave Kazakhstan",
                text="The last peacekeepers of the Collective Security Treaty Organization left Kazakhstan on "
                "Thursday. The Kazakh president thanked the peacekeepers for restoring order in Almaty.",
                source="Steppe Wire",
                published_at=datetime(2022, 1, 20, tzinfo=UTC),
            )
        ],
    )
    [alert] = socket_slack.wait_for("chat.postMessage", channel="C0ALERTS", timeout=120)
    assert "CSTO peacekeepers leave Kazakhstan" in alert.text_of_blocks()


def test_sigterm_disconnects_cleanly(socket_bot: ServiceProcess) -> None:
    assert socket_bot.stop() == 0
    assert "disconnecting from Slack" in socket_bot.log()
    assert BOT_TOKEN not in socket_bot.log() and APP_TOKEN not in socket_bot.log()


def test_missing_app_token_is_a_clear_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(NEWSDESK), "slack"],
        check=False,
        env=service_env(NEWSDESK_DATA_DIR=str(tmp_path), SLACK_BOT_TOKEN=BOT_TOKEN),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "SLACK_APP_TOKEN is not set" in done.stderr
