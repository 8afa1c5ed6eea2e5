"""``/newsdesk watch "TOPIC"``, ``/newsdesk watches`` and ``/newsdesk unwatch ID``: a channel's topic alerts.

The slash command's text decides: one of these words first makes it a watch command, anything
else is a question. Subscribing and unsubscribing are shown to the channel (its members get the
alerts, so they should know who asked for them); the list and every refusal only to the person
who typed the command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from ingest.lexical.tokens import tokenize
from service.slack.blocks import SlackMessage, escape, render_markup, render_notice
from service.watches.store import WatchLimit, WatchStore

MAX_TOPIC_CHARS = 200
_COMMAND = re.compile(r"^\s*(watch|watches|unwatch)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
_QUOTES = "\"'“”‘’"


@dataclass(frozen=True)
class WatchReply:
    """The reply to a watch command, and whether the whole channel sees it."""

    message: SlackMessage
    in_channel: bool


def is_watch_command(text: str) -> bool:
    """Whether the slash command's text is a watch command rather than a question."""
    return _COMMAND.match(text) is not None


def run_watch_command(
    text: str, channel: str | None, user: str | None, watches: WatchStore, per_hour: int
) -> WatchReply:
    """Carry out the watch command in ``text`` for ``channel`` and say what happened."""
    found = _COMMAND.match(text)
    assert found is not None, "run_watch_command needs a watch command (is_watch_command)"
    verb, rest = found.group(1).lower(), found.group(2).strip()
    if not channel:
        return _private("Topic alerts belong to a channel: use this command in the channel that should get them.")
    if verb == "watches":
        return WatchReply(_listing(watches, channel), in_channel=False)
    if verb == "unwatch":
        if not rest:
            return _private("Which watch? `/newsdesk watches` lists this channel's, with their ids.")
        topic = next((w.topic for w in watches.in_channel(channel) if w.id == rest), None)
        if topic is None or not watches.remove(rest, channel):
            return _private(f"This channel has no watch “{rest}”; `/newsdesk watches` lists the ones it has.")
        return WatchReply(render_notice(f"Stopped watching “{topic}” ({rest}) in this channel."), in_channel=True)
    topic = " ".join(rest.strip(_QUOTES).split())
    if not topic:
        return _private('What should I watch? For example: `/newsdesk watch "kazakhstan peacekeepers"`.')
    if len(topic) > MAX_TOPIC_CHARS:
        return _private(f"That topic is {len(topic)} characters long; a watch takes at most {MAX_TOPIC_CHARS}.")
    if not tokenize([topic])[0]:
        return _private(f"“{topic}” has no word I can search for; name the people, places or things to watch.")
    try:
        watch = watches.add(channel, topic, user or "unknown")
    except WatchLimit as exc:
        return _private(f"Sorry, {exc}.")
    who = f"<@{user}>" if user else "Someone"
    return WatchReply(
        render_markup(
            f"{who} set up a watch on “{escape(topic)}” ({watch.id}): new stories on it are posted here, at most "
            f"{per_hour} an hour. `/newsdesk unwatch {watch.id}` stops them."
        ),
        in_channel=True,
    )


def _listing(watches: WatchStore, channel: str) -> SlackMessage:
    mine = watches.in_channel(channel)
    if not mine:
        return render_notice('This channel watches no topics. `/newsdesk watch "topic"` adds one.')
    lines = ["This channel watches:"]
    for watch in mine:
        counts = watches.counts(watch.id)
        since = datetime.fromtimestamp(watch.created_at, UTC).date().isoformat()
        held = f", {counts.held} held back by the hourly limit" if counts.held else ""
        lines.append(
            f"• {watch.id} “{escape(watch.topic)}”, by <@{watch.created_by}> since {since}: "
            f"{counts.posted} alerts{held}"
        )
    lines.append("`/newsdesk unwatch ID` stops one.")
    return render_markup("\n".join(lines))


def _private(text: str) -> WatchReply:
    return WatchReply(render_notice(text), in_channel=False)
