"""The Slack bot in HTTP mode, end to end: signed requests POSTed to the running service (real
uvicorn, real Bolt with signature verification), Slack's Web API played by a local fake, answers
from a real archive on a real Chroma server.

The last test stops that Chroma server; keep it last.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from typing import Any

import httpx
import pytest
from service_process import NEWSDESK, HttpService, service_env
from slack_fakes import (
    BOT_ID,
    BOT_TOKEN,
    BOT_USER,
    PUBLIC_URL,
    SIGNING_SECRET,
    Call,
    FakeSlack,
    block_actions,
    direct_message,
    event_callback,
    form,
    mention,
    sign,
    slash_command,
)

from service.slack.blocks import NOT_FOUND_LEAD

pytestmark = pytest.mark.slow

CSTO = "Collective Security Treaty Organization"
ACK_LIMIT_S = 3.0


def post_json(
    service: HttpService, payload: dict[str, Any], headers: dict[str, str] | None = None, secret: str = SIGNING_SECRET
) -> tuple[httpx.Response, float]:
    body = json.dumps(payload).encode()
    return _post(service, body, {"Content-Type": "application/json", **sign(body, secret), **(headers or {})})


def post_form(service: HttpService, fields: dict[str, str]) -> tuple[httpx.Response, float]:
    body = form(fields)
    return _post(service, body, {"Content-Type": "application/x-www-form-urlencoded", **sign(body)})


def _post(service: HttpService, body: bytes, headers: dict[str, str]) -> tuple[httpx.Response, float]:
    with service.client() as client:
        started = time.monotonic()
        response = client.post("/slack/events", content=body, headers=headers)
        return response, time.monotonic() - started


def links_in(call: Call) -> list[str]:
    return re.findall(r"<(https?://[^|>]+)\|", call.text_of_blocks())


def actions_of(call: Call) -> dict[str, Any]:
    [actions] = [b for b in call.args["blocks"] if b["type"] == "actions"]
    return actions


@pytest.fixture(scope="module")
def answered_mention(slack_service: HttpService, fake_slack: FakeSlack) -> tuple[dict[str, Any], Call, float]:
    """ "<@bot> who sent peacekeepers?" in C0MENTION: the delivery, the bot's post, and the ack time."""
    payload = event_callback(mention(f"<@{BOT_USER}> who sent peacekeepers?", channel="C0MENTION"))
    response, took = post_json(slack_service, payload)
    assert response.status_code == 200, response.text
    [call] = fake_slack.wait_for("chat.postMessage", channel="C0MENTION")
    return payload, call, took


def test_mention_is_answered_in_its_thread_with_sources(
    slack_service: HttpService, fake_slack: FakeSlack, answered_mention: Any
) -> None:
    payload, call, took = answered_mention
    assert took < ACK_LIMIT_S, f"acknowledged after {took:.2f} s"
    assert call.args["thread_ts"] == payload["event"]["ts"]
    assert call.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    assert fake_slack.calls_to("auth.test"), "Bolt never identified the bot"

    blocks = call.args["blocks"]
    text = call.text_of_blocks()
    assert CSTO in text
    assert blocks[0]["type"] == "section" and blocks[0]["text"]["text"].startswith("*")  # the short answer, bold
    assert "[1]" in text
    assert {"type": "section", "text": {"type": "mrkdwn", "text": "*Sources*"}} in blocks
    sources = [b["text"]["text"] for b in blocks if b["type"] == "section" and b["text"]["text"].startswith("[1] <")]
    assert sources and "Asianet Newsable" in sources[0] and "2022-01-11" in sources[0] and "\n> “" in sources[0]
    assert CSTO in call.args["text"]  # the notification fallback

    links = links_in(call)
    assert links and all(link.startswith(f"{PUBLIC_URL}/c/") for link in links)
    citation_id = links[0].removeprefix(f"{PUBLIC_URL}/c/")
    with slack_service.client() as client:
        resolved = client.get(f"/v1/citations/{citation_id}")
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["quote"].split()[:5] == sources[0].split("\n> “", 1)[1].split()[:5]

    buttons = actions_of(call)["elements"]
    assert [b["action_id"] for b in buttons] == ["feedback_up", "feedback_down"]
    assert buttons[0]["value"] == buttons[1]["value"] and buttons[0]["value"]


def test_retries_and_second_deliveries_never_answer_twice(
    slack_service: HttpService, fake_slack: FakeSlack, answered_mention: Any
) -> None:
    payload, first, _ = answered_mention
    for attempt in (1, 2):
        response, took = post_json(
            slack_service, payload, {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"}
        )
        assert response.status_code == 200 and took < ACK_LIMIT_S
    # The same message under another event id (as a second event subscription would deliver it).
    response, _ = post_json(slack_service, event_callback(payload["event"]))
    assert response.status_code == 200
    # A new question in the same channel: once its answer is out, a repeat would have been too.
    later = mention(f"<@{BOT_USER}> who sent peacekeepers?", channel="C0MENTION")
    post_json(slack_service, event_callback(later))
    fake_slack.wait_for("chat.postMessage", count=2, channel="C0MENTION")
    time.sleep(1.5)
    threads = [c.args["thread_ts"] for c in fake_slack.calls_to("chat.postMessage", channel="C0MENTION")]
    assert threads == [first.args["thread_ts"], later["ts"]]
    log = slack_service.log()
    assert f"event {payload['event_id']} already handled" in log and "retry 1" in log and "retry 2" in log
    assert "already answered" in log


def test_direct_message_is_answered(slack_service: HttpService, fake_slack: FakeSlack) -> None:
    response, took = post_json(
        slack_service, event_callback(direct_message("who sent peacekeepers?", channel="D0DIRECT"))
    )
    assert response.status_code == 200 and took < ACK_LIMIT_S
    [call] = fake_slack.wait_for("chat.postMessage", channel="D0DIRECT")
    assert call.args.get("thread_ts") is None  # a DM is answered in the conversation itself
    assert CSTO in call.text_of_blocks() and "*Sources*" in call.text_of_blocks()


def test_the_bot_ignores_itself_and_other_bots(slack_service: HttpService, fake_slack: FakeSlack) -> None:
    ignored = {
        "D0SELF": direct_message("who sent peacekeepers?", channel="D0SELF", user=BOT_USER, bot_id=BOT_ID),
        "D0OTHERBOT": direct_message(
            "who sent peacekeepers?", channel="D0OTHERBOT", user=None, subtype="bot_message", bot_id="B0THER"
        ),
        "C0BOTS": mention(f"<@{BOT_USER}> who sent peacekeepers?", channel="C0BOTS", user="U0THERBOT", bot_id="B0THER"),
        "D0EDITED": direct_message("who sent peacekeepers?", channel="D0EDITED", subtype="message_changed"),
        "C0CHATTER": {**direct_message("who sent peacekeepers?", channel="C0CHATTER"), "channel_type": "channel"},
    }
    for event in ignored.values():
        response, _ = post_json(slack_service, event_callback(event))
        assert response.status_code == 200, response.text
    post_json(slack_service, event_callback(direct_message("who sent peacekeepers?", channel="D0HUMAN")))
    fake_slack.wait_for("chat.postMessage", channel="D0HUMAN")
    time.sleep(1.0)
    posted = {c.args.get("channel") for c in fake_slack.calls_to("chat.postMessage")}
    assert not posted & set(ignored), posted & set(ignored)


def test_slash_command_says_looking_then_answers(slack_service: HttpService, fake_slack: FakeSlack) -> None:
    response, took = post_form(
        slack_service, slash_command("who sent peacekeepers?", fake_slack.response_url("command-1"))
    )
    assert response.status_code == 200 and took < ACK_LIMIT_S
    ack = response.json()
    assert ack["response_type"] == "ephemeral" and ack["text"].startswith("Looking…")
    [call] = fake_slack.wait_for("respond", path="/respond/command-1")
    assert call.args["response_type"] == "in_channel" and call.args["replace_original"] is False
    text = call.text_of_blocks()
    assert CSTO in text and "*Sources*" in text and "<@UJOURNO> asked: who sent peacekeepers?" in text

    empty, _ = post_form(slack_service, slash_command("  ", fake_slack.response_url("command-2")))
    assert empty.status_code == 200 and "Ask me a question" in empty.json()["text"]


def test_hints_set_as_of_and_outlets(slack_service: HttpService, fake_slack: FakeSlack) -> None:
    asks = {
        "C0ASOF": f"<@{BOT_USER}> who sent peacekeepers? as of 2022-01-05",
        "C0OUTLET": f"<@{BOT_USER}> according to Asianet Newsable, who sent peacekeepers?",
        "C0BAYPOST": f"<@{BOT_USER}> who sent peacekeepers? from the Bay Post",
    }
    for channel, text in asks.items():
        post_json(slack_service, event_callback(mention(text, channel=channel)))
    # Before the seed article was published, the archive has nothing: said plainly, no sources.
    [before] = fake_slack.wait_for("chat.postMessage", channel="C0ASOF")
    assert NOT_FOUND_LEAD in before.text_of_blocks() and "as of 2022-01-05" in before.text_of_blocks()
    assert "Sources" not in before.text_of_blocks() and not links_in(before)
    # The outlet that holds the answer: answered, and the filter is shown.
    [named] = fake_slack.wait_for("chat.postMessage", channel="C0OUTLET")
    assert CSTO in named.text_of_blocks() and "from Asianet Newsable" in named.text_of_blocks()
    # An outlet that does not: nothing from the others leaks in.
    [other] = fake_slack.wait_for("chat.postMessage", channel="C0BAYPOST")
    assert "from Bay Post" in other.text_of_blocks() and "Asianet Newsable" not in other.text_of_blocks()


def test_refused_blocks_fall_back_to_plain_text(slack_service: HttpService, fake_slack: FakeSlack) -> None:
    fake_slack.fail_with_blocks = "invalid_blocks"
    try:
        post_json(slack_service, event_callback(direct_message("who sent peacekeepers?", channel="D0PLAIN")))
        calls = fake_slack.wait_for("chat.postMessage", count=2, channel="D0PLAIN")
    finally:
        fake_slack.fail_with_blocks = None
    assert "blocks" in calls[0].args and "blocks" not in calls[1].args
    assert CSTO in calls[1].args["text"]


def test_feedback_click_is_recorded(
    slack_service: HttpService, fake_slack: FakeSlack, answered_mention: Any, service_data_dir: Any
) -> None:
    _, call, _ = answered_mention
    key = actions_of(call)["elements"][0]["value"]
    clicks = [("feedback_up", "feedback-1"), ("feedback_down", "feedback-2")]  # the editor changes their mind
    for action_id, name in clicks:
        payload = block_actions(
            action_id, key, fake_slack.response_url(name), channel="C0MENTION", message_ts="1700000000.000001"
        )
        response, took = post_form(slack_service, {"payload": json.dumps(payload)})
        assert response.status_code == 200 and took < ACK_LIMIT_S
        [thanks] = fake_slack.wait_for("respond", path=f"/respond/{name}")
        assert thanks.args["response_type"] == "ephemeral" and "Thanks" in thanks.args["text"]

    with slack_service.client() as client:
        listed = client.get("/v1/feedback").json()
    [record] = [r for r in listed["feedback"] if r["key"] == key]
    assert record["verdict"] == "down" and record["user"] == "UEDITOR"
    assert record["question"] == "who sent peacekeepers?" and CSTO in record["answer"]
    assert record["citations"] and record["citations"][0]["id"] in links_in(call)[0]
    assert record["channel"] == "C0MENTION" and record["asked_by"] == "UJOURNO" and record["at"]

    cli = subprocess.run(
        [str(NEWSDESK), "feedback", "list", "--json", "--verdict", "down"],
        env=service_env(NEWSDESK_DATA_DIR=str(service_data_dir)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert cli.returncode == 0, cli.stderr
    assert [r["key"] for r in json.loads(cli.stdout)["feedback"]] == [key]


def test_bad_signatures_are_rejected(slack_service: HttpService, fake_slack: FakeSlack) -> None:
    payload = event_callback(mention(f"<@{BOT_USER}> who sent peacekeepers?", channel="C0FORGED"))
    body = json.dumps(payload).encode()
    forged = [
        sign(body, secret="not-the-signing-secret"),
        sign(body, timestamp=int(time.time()) - 600),  # a replay: more than 5 minutes old
        sign(body + b" "),  # signed another body
        {},
    ]
    for headers in forged:
        response, _ = _post(slack_service, body, {"Content-Type": "application/json", **headers})
        assert response.status_code == 401, response.text
        assert response.json()["error"]["code"] == "unauthorized"
    challenge, _ = post_json(slack_service, {"token": "t", "challenge": "c-123", "type": "url_verification"})
    assert challenge.status_code == 200 and "c-123" in challenge.text
    time.sleep(0.5)
    assert not fake_slack.calls_to("chat.postMessage", channel="C0FORGED")


def test_store_down_gets_a_polite_message_and_a_log_line(
    slack_service: HttpService, fake_slack: FakeSlack, own_chroma: Any
) -> None:
    own_chroma.stop()
    event = mention(f"<@{BOT_USER}> who sent peacekeepers?", channel="C0DOWN")
    response, took = post_json(slack_service, event_callback(event))
    assert response.status_code == 200 and took < ACK_LIMIT_S
    [call] = fake_slack.wait_for("chat.postMessage", channel="C0DOWN")
    assert call.args["thread_ts"] == event["ts"]
    assert "can't reach the news archive" in call.args["text"] and "try again" in call.args["text"]
    assert "Chroma" not in call.args["text"] and "127.0.0.1" not in call.text_of_blocks()
    log = slack_service.log()
    [line] = [line for line in log.splitlines() if "slack answer failed" in line and "C0DOWN" in line]
    assert "store_unavailable" in line and "StoreUnavailable" in line and "Chroma server is unreachable" in line
    assert "who sent peacekeepers?" in line and "user=UJOURNO" in line
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log
