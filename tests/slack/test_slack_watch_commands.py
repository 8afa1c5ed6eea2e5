"""``/newsdesk watch``, ``watches`` and ``unwatch``: what the channel and the person typing see."""

from __future__ import annotations

from pathlib import Path

from service.slack.watch_commands import is_watch_command, run_watch_command
from service.watches.store import WatchStore


def run(text: str, store: WatchStore, channel: str | None = "C1", user: str = "U1"):  # type: ignore[no-untyped-def]
    return run_watch_command(text, channel, user, store, per_hour=6)


def test_watch_commands_are_told_apart_from_questions() -> None:
    assert is_watch_command('watch "kazakhstan peacekeepers"')
    assert is_watch_command("watches") and is_watch_command("unwatch w12ab34cd")
    assert not is_watch_command("who sent peacekeepers?")
    assert not is_watch_command("watchdog report on the ferry strike")


def test_a_watch_is_announced_to_the_channel_with_its_id(tmp_path: Path) -> None:
    store = WatchStore(tmp_path / "slack.sqlite3")
    reply = run('watch "kazakhstan peacekeepers"', store)
    (watch,) = store.in_channel("C1")
    assert watch.topic == "kazakhstan peacekeepers" and watch.created_by == "U1"
    assert reply.in_channel
    assert "<@U1>" in reply.message.text and watch.id in reply.message.text
    assert f"/newsdesk unwatch {watch.id}" in reply.message.text


def test_the_list_shows_each_watch_privately(tmp_path: Path) -> None:
    store = WatchStore(tmp_path / "slack.sqlite3")
    run("watch ferry strike", store)
    run("watch <tram> & line", store)
    reply = run("watches", store)
    assert not reply.in_channel
    assert "“ferry strike”" in reply.message.text and "“&lt;tram&gt; &amp; line”" in reply.message.text
    assert "0 alerts" in reply.message.text
    assert "no topics" in run("watches", store, channel="C2").message.text


def test_unwatch_stops_a_watch_of_this_channel_only(tmp_path: Path) -> None:
    store = WatchStore(tmp_path / "slack.sqlite3")
    run("watch ferry strike", store)
    (watch,) = store.in_channel("C1")
    refused = run(f"unwatch {watch.id}", store, channel="C2")
    assert not refused.in_channel and "no watch" in refused.message.text
    done = run(f"unwatch {watch.id}", store)
    assert done.in_channel and "Stopped watching “ferry strike”" in done.message.text
    assert store.in_channel("C1") == []


def test_a_topic_without_a_searchable_word_is_refused_privately(tmp_path: Path) -> None:
    store = WatchStore(tmp_path / "slack.sqlite3")
    for text in ("watch", 'watch ""', "watch the of and", "watch " + "x" * 201):
        reply = run(text, store)
        assert not reply.in_channel, text
    assert store.in_channel("C1") == []
    assert not run("watch ferry strike", store, channel=None).in_channel
