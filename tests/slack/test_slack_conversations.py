"""Follow-ups in Slack threads, end to end: signed events to the running service (real uvicorn, real
Bolt), Slack's Web API played by a local fake, answers from the seed article stored beside the
small news archive on a real Chroma server.

Once the bot has answered a mention in a thread, replies in that thread are follow-ups, answered
without a second @mention; threads it was never asked in stay private; ``/newsdesk`` is one-shot.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from service_process import HttpService
from slack_fakes import (
    BOT_ID,
    BOT_USER,
    Call,
    FakeSlack,
    direct_message,
    event_callback,
    form,
    mention,
    sign,
    slash_command,
    thread_reply,
)

pytestmark = pytest.mark.slow

CSTO = "Collective Security Treaty Organization"
MEMBERS = ("Russia", "Armenia", "Belarus", "Kyrgyzstan", "Tajikistan")


def deliver(service: HttpService, event: dict[str, Any]) -> None:
    body = json.dumps(event_callback(event)).encode()
    with service.client() as client:
        response = client.post(
            "/slack/events", content=body, headers={"Content-Type": "application/json", **sign(body)}
        )
    assert response.status_code == 200, response.text


def answer_in(fake_slack: FakeSlack, channel: str, count: int) -> Call:
    """The ``count``-th message the bot posted in ``channel``."""
    return fake_slack.wait_for("chat.postMessage", count=count, channel=channel)[count - 1]


def peacekeepers_answered(slack_service: HttpService, fake_slack: FakeSlack, channel: str) -> dict[str, Any]:
    """The seed question mentioned in ``channel``, once the bot has answered it in its thread: the event."""
    question = mention(f"<@{BOT_USER}> who sent peacekeepers?", channel=channel)
    deliver(slack_service, question)
    answer_in(fake_slack, channel, 1)
    return question


def test_a_thread_continues_the_conversation_without_a_second_mention(
    slack_service: HttpService, fake_slack: FakeSlack
) -> None:
    channel = "C0THREAD"
    question = mention(f"<@{BOT_USER}> who sent peacekeepers?", channel=channel)
    deliver(slack_service, question)
    first = answer_in(fake_slack, channel, 1)
    assert first.args["thread_ts"] == question["ts"] and CSTO in first.text_of_blocks()

    deliver(slack_service, thread_reply("how long will they stay?", channel=channel, thread_ts=question["ts"]))
    second = answer_in(fake_slack, channel, 2)
    assert second.args["thread_ts"] == question["ts"]
    assert "until the situation is fully stable" in second.text_of_blocks()
    assert "searched as:" in second.text_of_blocks() and "peacekeepers" in second.text_of_blocks()

    deliver(slack_service, thread_reply("which countries are they from?", channel=channel, thread_ts=question["ts"]))
    third = answer_in(fake_slack, channel, 3)
    assert third.args["thread_ts"] == question["ts"]
    assert all(country in third.text_of_blocks() for country in MEMBERS)


def test_a_follow_up_the_archive_cannot_answer_is_declined_in_the_thread(
    slack_service: HttpService, fake_slack: FakeSlack
) -> None:
    channel = "C0DECLINE"
    question = peacekeepers_answered(slack_service, fake_slack, channel)
    deliver(
        slack_service, thread_reply("how much did their deployment cost?", channel=channel, thread_ts=question["ts"])
    )
    declined = answer_in(fake_slack, channel, 2)
    assert declined.args["thread_ts"] == question["ts"]
    assert "*Sources*" not in declined.text_of_blocks() and "nothing" in declined.text_of_blocks().lower()


def test_threads_the_bot_was_never_asked_in_and_its_own_replies_are_ignored(
    slack_service: HttpService, fake_slack: FakeSlack
) -> None:
    channel = "C0PRIVATE"
    deliver(slack_service, thread_reply("how long will they stay?", channel=channel, thread_ts="1700000000.000100"))
    question = peacekeepers_answered(slack_service, fake_slack, channel)
    deliver(
        slack_service,
        thread_reply("the answer", channel=channel, thread_ts=question["ts"], user=BOT_USER, bot_id=BOT_ID),
    )
    time.sleep(3)
    assert len(fake_slack.calls_to("chat.postMessage", channel=channel)) == 1


def test_new_question_in_a_thread_starts_afresh(slack_service: HttpService, fake_slack: FakeSlack) -> None:
    channel = "C0RESET"
    question = peacekeepers_answered(slack_service, fake_slack, channel)
    deliver(slack_service, thread_reply("new question", channel=channel, thread_ts=question["ts"]))
    notice = answer_in(fake_slack, channel, 2)
    assert "afresh" in notice.text_of_blocks() or "afresh" in str(notice.args.get("text"))
    # The thread goes on, as the notice says, but its next question is read on its own.
    deliver(slack_service, thread_reply("how long will they stay?", channel=channel, thread_ts=question["ts"]))
    alone = answer_in(fake_slack, channel, 3)
    assert "searched as:" not in alone.text_of_blocks()
    assert "until the situation is fully stable" not in alone.text_of_blocks()


def test_thanks_and_replies_to_colleagues_in_a_thread_get_no_answer(
    slack_service: HttpService, fake_slack: FakeSlack
) -> None:
    channel = "C0CHATTER"
    question = peacekeepers_answered(slack_service, fake_slack, channel)
    for chatter in ("thanks! :pray:", "ok, great", "<@U0ALICE> can you check which countries?", "<!here> see above"):
        deliver(slack_service, thread_reply(chatter, channel=channel, thread_ts=question["ts"]))
    deliver(slack_service, thread_reply("how long will they stay?", channel=channel, thread_ts=question["ts"]))
    # The question after the chatter is the bot's second message: nothing was posted in between.
    second = answer_in(fake_slack, channel, 2)
    assert "until the situation is fully stable" in second.text_of_blocks()
    time.sleep(2)
    assert len(fake_slack.calls_to("chat.postMessage", channel=channel)) == 2


def test_a_direct_message_keeps_its_context(slack_service: HttpService, fake_slack: FakeSlack) -> None:
    channel = "D0CHAT"
    deliver(slack_service, direct_message("who sent peacekeepers?", channel=channel))
    answer_in(fake_slack, channel, 1)
    deliver(slack_service, direct_message("how long will they stay?", channel=channel))
    second = answer_in(fake_slack, channel, 2)
    assert "until the situation is fully stable" in second.text_of_blocks()


def test_the_slash_command_stays_one_shot(slack_service: HttpService, fake_slack: FakeSlack) -> None:
    for text in ("who sent peacekeepers?", "how long will they stay?"):
        body = form(slash_command(text, fake_slack.response_url(f"oneshot-{len(text)}"), channel="C0SLASH"))
        with slack_service.client() as client:
            response = client.post(
                "/slack/events",
                content=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body)},
            )
        assert response.status_code == 200
    [reply] = fake_slack.wait_for("respond", path=f"/respond/oneshot-{len('how long will they stay?')}")
    sent = json.dumps(reply.args)
    assert "searched as:" not in sent and "until the situation is fully stable" not in sent
