"""Topic alerts end to end: ``/newsdesk watch`` in a channel, then stories stored by another process.

The service runs under real uvicorn with real Bolt (signatures checked); Slack's Web API is the local
fake; the archive is on a real Chroma server, and the new stories are written into it by this test
process, as ``newsdesk ingest`` on another machine would. The alert follower finds them through
the store's change feed. A channel may get 2 alerts an hour here, so the limit shows quickly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from service_process import HttpService, ingest_into, slack_service_env
from slack_fakes import PUBLIC_URL, FakeSlack, form, sign, slash_command, wait_until

from ingest.embedding import Embedder
from ingest.models import ArticleDraft
from ingest.settings import IngestSettings
from service.watches.store import WatchStore

pytestmark = pytest.mark.slow

CHANNEL = "C0WATCH"
OTHER_CHANNEL = "C0OTHER"
PER_HOUR = 2

WITHDRAWAL = (
    "The last peacekeepers of the Collective Security Treaty Organization left Kazakhstan on Thursday, "
    "the alliance said. The Kazakh president thanked the peacekeepers for restoring order in Almaty. "
    "About 2,000 troops had been deployed to Kazakhstan in January after the unrest."
)
THANKS = (
    "Kazakhstan's parliament held a ceremony for the departing CSTO peacekeepers on Friday. "
    "Deputies said the peacekeepers had protected airports and power stations in Kazakhstan during the crisis."
)
WEAPONS = (
    "Kazakhstan's defence ministry said on Saturday that the departing CSTO peacekeepers had handed over "
    "the airports they guarded. The peacekeepers' mission in Kazakhstan lasted less than a month."
)
RETURN = (
    "Troops of the CSTO peacekeeping force were welcomed home in Yerevan and Minsk after the mission in "
    "Kazakhstan. Officers said the peacekeepers never fired a shot in Kazakhstan."
)
FERRY_STRIKE = (
    "Ferry crews on the Skerry Island route walked out again on Monday over the new roster. "
    "The union said crossings would stop until the roster is withdrawn."
)
FERRY = (
    "Ferry crews on the Skerry Island route returned to work on Friday after the union accepted a new roster. "
    "Crossings resume on Saturday morning."
)


def draft(url: str, title: str, text: str, source: str, day: int) -> ArticleDraft:
    return ArticleDraft(
        origin=url,
        url=url,
        title=title,
        text=text,
        source=source,
        published_at=datetime(2022, 1, day, 9, 0, tzinfo=UTC),
        authors=[],
    )


@pytest.fixture(scope="module")
def watch_service(
    slack_archive: IngestSettings, fake_slack: FakeSlack, service_data_dir: Path, model_cache: Path
) -> Iterator[HttpService]:
    """The service with its alert follower reading the change feed every half second."""
    env = slack_service_env(
        slack_archive,
        fake_slack.api_url,
        service_data_dir,
        model_cache,
        NEWSDESK_WATCH_POLL_S="0.5",
        NEWSDESK_WATCH_ALERTS_PER_HOUR=str(PER_HOUR),
    )
    service = HttpService(env, cwd=service_data_dir.parent, log_path=service_data_dir.parent / "watch-service.log")
    service.wait_ready()
    yield service
    service.stop()


def command(service: HttpService, text: str, channel: str = CHANNEL) -> dict[str, str]:
    body = form(slash_command(text, "http://127.0.0.1:9/unused", channel=channel))
    with service.client() as client:
        response: httpx.Response = client.post(
            "/slack/events",
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body)},
        )
    assert response.status_code == 200, response.text
    return response.json()


def watch_id_in(reply: dict[str, str]) -> str:
    found = re.search(r"\((w[0-9a-f]{8})\)", reply["text"])
    assert found, reply["text"]
    return found.group(1)


def test_a_watch_alerts_once_per_new_story_not_for_copies_or_other_news_within_the_channels_limit(
    watch_service: HttpService,
    fake_slack: FakeSlack,
    slack_archive: IngestSettings,
    embedder: Embedder,
    service_data_dir: Path,
) -> None:
    reply = command(watch_service, 'watch "kazakhstan peacekeepers"')
    assert reply["response_type"] == "in_channel"
    watch_id = watch_id_in(reply)
    # The follower starts at the end of the change feed (the archive's past never alerts): wait
    # until it has taken its place before storing anything new.
    state = WatchStore(service_data_dir / "slack.sqlite3")
    wait_until(lambda: state.position() is not None, timeout=60, what="the alert follower to start")

    ingest_into(
        slack_archive,
        embedder,
        [
            draft(
                "https://steppe.example/withdrawal", "CSTO peacekeepers leave Kazakhstan", WITHDRAWAL, "Steppe Wire", 20
            )
        ],
    )
    [alert] = fake_slack.wait_for("chat.postMessage", channel=CHANNEL, timeout=120)
    text = alert.text_of_blocks()
    assert "kazakhstan peacekeepers" in text and "CSTO peacekeepers leave Kazakhstan" in text
    assert "Steppe Wire" in text and "2022-01-20" in text
    quote = re.search(r"> “(.+?)”", text)
    assert quote and quote.group(1) in WITHDRAWAL
    link = re.search(rf"<({re.escape(PUBLIC_URL)}/c/[^|>]+)\|", text)
    assert link, text
    with watch_service.client() as client:
        cited = client.get("/v1/citations/" + link.group(1).rsplit("/c/", 1)[1])
    assert cited.status_code == 200 and cited.json()["quote"] == quote.group(1)

    # A syndicated copy, the same story again unchanged, other news: no alert. Then a second story
    # on the topic: its alert, the second in all, shows the ones before it were read and let pass.
    ingest_into(
        slack_archive,
        embedder,
        [
            draft(
                "https://caspian.example/csto-leaves",
                "Peacekeepers leave Kazakhstan",
                WITHDRAWAL + " This story was first published by Steppe Wire.",
                "Caspian Daily",
                20,
            ),
            draft(
                "https://steppe.example/withdrawal", "CSTO peacekeepers leave Kazakhstan", WITHDRAWAL, "Steppe Wire", 20
            ),
            draft("https://bay.example/ferry-back", "Ferry crews back at work", FERRY, "Bay Post", 21),
            draft("https://steppe.example/ceremony", "Parliament thanks peacekeepers", THANKS, "Steppe Wire", 21),
        ],
    )
    alerts = fake_slack.wait_for("chat.postMessage", count=2, channel=CHANNEL, timeout=120)
    assert "Parliament thanks peacekeepers" in alerts[1].text_of_blocks()
    assert len(fake_slack.calls_to("chat.postMessage", channel=CHANNEL)) == 2

    # The limit is per channel: this one has had its 2 alerts this hour, another channel watching
    # the same topic still gets the next story; this one's match is held back, and its list says so.
    other = watch_id_in(command(watch_service, 'watch "kazakhstan peacekeepers"', channel=OTHER_CHANNEL))
    ferries = watch_id_in(command(watch_service, 'watch "ferry crews"', channel=OTHER_CHANNEL))
    ingest_into(
        slack_archive,
        embedder,
        [draft("https://steppe.example/airports", "Peacekeepers hand over airports", WEAPONS, "Steppe Wire", 22)],
    )
    [elsewhere] = fake_slack.wait_for("chat.postMessage", channel=OTHER_CHANNEL, timeout=120)
    assert "Peacekeepers hand over airports" in elsewhere.text_of_blocks()
    wait_until(
        lambda: "1 held back by the hourly limit" in command(watch_service, "watches")["text"],
        timeout=30,
        what="the held-back match to be counted",
    )
    listing = command(watch_service, "watches")
    assert listing["response_type"] == "ephemeral"
    assert f"{watch_id} “kazakhstan peacekeepers”" in listing["text"] and "2 alerts" in listing["text"]
    assert len(fake_slack.calls_to("chat.postMessage", channel=CHANNEL)) == 2

    # Unwatched, a topic alerts no more. The channel's other watch then alerts on a story stored
    # after it: the follower reads the feed in order, so it had passed the unwatched topic's story.
    stopped = command(watch_service, f"unwatch {other}", channel=OTHER_CHANNEL)
    assert stopped["response_type"] == "in_channel" and "Stopped watching" in stopped["text"]
    listing = command(watch_service, "watches", channel=OTHER_CHANNEL)["text"]
    assert other not in listing and ferries in listing
    ingest_into(
        slack_archive,
        embedder,
        [draft("https://steppe.example/home", "Peacekeepers welcomed home", RETURN, "Steppe Wire", 23)],
    )
    ingest_into(
        slack_archive,
        embedder,
        [draft("https://bay.example/ferry-strike", "Ferry crews walk out", FERRY_STRIKE, "Bay Post", 23)],
    )
    after = fake_slack.wait_for("chat.postMessage", count=2, channel=OTHER_CHANNEL, timeout=120)
    assert "Ferry crews walk out" in after[1].text_of_blocks()
    assert len(fake_slack.calls_to("chat.postMessage", channel=OTHER_CHANNEL)) == 2
    # The story did match the topic: the first channel, still watching it, had it held back.
    assert "2 held back by the hourly limit" in command(watch_service, "watches")["text"]
