"""A conversation over HTTP on a real server: follow-ups read against the earlier turns.

The archive holds the seed article beside the small news archive (tram line, ferry strike,
Zorbix, an earthquake), so a follow-up searched on its own words alone would not find the
peacekeepers. Every answer is checked as a user would: the short answer or the cited quote.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from live_server import LiveServer

pytestmark = pytest.mark.slow

CSTO = "Collective Security Treaty Organization"
MEMBERS = ("Russia", "Armenia", "Belarus", "Kyrgyzstan", "Tajikistan")


def ask(server: LiveServer, question: str, **fields: Any) -> dict[str, Any]:
    with server.client() as client:
        response = client.post("/v1/ask", json={"question": question, **fields})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def quoted(answer: dict[str, Any]) -> str:
    return " ".join(c["quote"] for c in answer["citations"])


def test_three_turns_about_the_peacekeepers_follow_the_conversation(live_server: LiveServer) -> None:
    first = ask(live_server, "who sent peacekeepers?")
    assert first["answered"] and CSTO in (first["short_answer"] or "")
    conversation = first["conversation_id"]
    assert conversation and first["standalone_question"] == "who sent peacekeepers?"

    second = ask(live_server, "how long will they stay?", conversation_id=conversation)
    assert second["conversation_id"] == conversation
    assert "peacekeepers" in second["standalone_question"] and CSTO in second["standalone_question"]
    assert second["answered"] and "until the situation is fully stable" in second["answer"]

    third = ask(live_server, "which countries are they from?", conversation_id=conversation)
    assert "peacekeepers" in third["standalone_question"]
    assert third["answered"] and all(country in quoted(third) for country in MEMBERS)

    with live_server.client() as client:
        turns = client.get(f"/v1/conversations/{conversation}").json()["turns"]
    assert [t["question"] for t in turns] == [
        "who sent peacekeepers?",
        "how long will they stay?",
        "which countries are they from?",
    ]
    assert [t["follow_up"] for t in turns] == [False, True, True]
    assert turns[2]["standalone_question"] == third["standalone_question"]
    assert turns[0]["citations"][0]["id"] == first["citations"][0]["id"]


def test_the_same_follow_ups_without_the_conversation_do_not_find_the_peacekeepers(live_server: LiveServer) -> None:
    stay = ask(live_server, "how long will they stay?")
    assert "until the situation is fully stable" not in stay["answer"]
    countries = ask(live_server, "which countries are they from?")
    assert not all(country in quoted(countries) for country in MEMBERS)


def test_a_follow_up_the_archive_cannot_answer_is_declined(live_server: LiveServer) -> None:
    first = ask(live_server, "who sent peacekeepers?")
    declined = ask(live_server, "how much did their deployment cost?", conversation_id=first["conversation_id"])
    assert "peacekeepers" in declined["standalone_question"]
    assert declined["answered"] is False and declined["citations"] == [] and declined["short_answer"] is None


def test_what_about_never_answers_with_the_earlier_answer_again(live_server: LiveServer) -> None:
    first = ask(live_server, "who sent peacekeepers?")
    assert CSTO in (first["short_answer"] or "")
    other = ask(live_server, "what about the ferry strike?", conversation_id=first["conversation_id"])
    assert "ferry strike" in other["standalone_question"]
    assert CSTO not in (other["short_answer"] or "") and "CSTO" not in (other["short_answer"] or "")


def streamed(server: LiveServer, question: str, conversation_id: str) -> list[tuple[str, Any]]:
    """The server-sent events of asking ``question`` in the conversation: (event, data) in order."""
    events: list[tuple[str, Any]] = []
    with (
        server.client() as client,
        client.stream(
            "POST",
            "/v1/ask",
            json={"question": question, "conversation_id": conversation_id},
            headers={"Accept": "text/event-stream"},
        ) as response,
    ):
        assert response.status_code == 200
        event = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: "):
                events.append((str(event), json.loads(line[len("data: ") :])))
    return events


def test_a_streamed_follow_up_sends_retrieval_first_and_ends_in_the_conversation(live_server: LiveServer) -> None:
    first = ask(live_server, "who sent peacekeepers?")
    events = streamed(live_server, "how long will they stay?", first["conversation_id"])
    assert events[0][0] == "retrieval" and events[-1][0] == "answer"
    answer = events[-1][1]
    assert (
        answer["conversation_id"] == first["conversation_id"]
        and "until the situation is fully stable" in answer["answer"]
    )
    with live_server.client() as client:
        turns = client.get(f"/v1/conversations/{first['conversation_id']}").json()["turns"]
    assert len(turns) == 2 and turns[1]["answer"] == answer["answer"]


def test_a_new_topic_in_a_conversation_starts_afresh(live_server: LiveServer) -> None:
    first = ask(live_server, "who sent peacekeepers?")
    tram = ask(live_server, "How much will the Port Alden tram line cost?", conversation_id=first["conversation_id"])
    assert tram["standalone_question"] == "How much will the Port Alden tram line cost?"
    assert "410 million euros" in (tram["short_answer"] or tram["answer"])


def test_new_question_alone_starts_afresh_and_the_next_question_stands_alone(live_server: LiveServer) -> None:
    first = ask(live_server, "who sent peacekeepers?")
    conversation = first["conversation_id"]
    afresh = ask(live_server, "new question", conversation_id=conversation)
    assert afresh["conversation_id"] == conversation and "afresh" in afresh["answer"]
    assert afresh["answered"] is False and afresh["citations"] == [] and afresh["answerer"] == "none"
    assert afresh["standalone_question"] is None  # nothing was searched

    alone = ask(live_server, "how long will they stay?", conversation_id=conversation)
    assert alone["standalone_question"] == "how long will they stay?"
    assert "until the situation is fully stable" not in alone["answer"]
    with live_server.client() as client:
        turns = client.get(f"/v1/conversations/{conversation}").json()["turns"]
    assert [(t["question"], t["starts_afresh"], t["follow_up"]) for t in turns] == [
        ("who sent peacekeepers?", False, False),
        ("new question", True, False),
        ("how long will they stay?", False, False),
    ]


def test_thanks_gets_a_reply_without_a_search_and_the_conversation_goes_on(live_server: LiveServer) -> None:
    first = ask(live_server, "who sent peacekeepers?")
    conversation = first["conversation_id"]
    thanks = ask(live_server, "thanks!", conversation_id=conversation)
    assert thanks["answered"] is False and thanks["citations"] == [] and thanks["answerer"] == "none"
    assert thanks["standalone_question"] is None and "archive holds nothing" not in thanks["answer"]
    # The thanks is no earlier question: "they" still reads against the peacekeepers.
    stay = ask(live_server, "how long will they stay?", conversation_id=conversation)
    assert "until the situation is fully stable" in stay["answer"]
    with live_server.client() as client:
        page = client.get("/", params={"c": conversation}, headers={"Accept": "text/html"}).text
    # The thread shows the thanks and its reply, without an empty list of sources under it.
    assert "Nothing to look up there" in page and "0 sources" not in page and "1 source" in page


def test_new_question_alone_streams_an_empty_retrieval_then_its_reply(live_server: LiveServer) -> None:
    first = ask(live_server, "who sent peacekeepers?")
    (retrieval, passages), (answer, reply) = streamed(live_server, "start over", first["conversation_id"])
    assert (retrieval, answer) == ("retrieval", "answer") and passages["passages"] == []
    assert reply["conversation_id"] == first["conversation_id"] and "afresh" in reply["answer"]


def test_an_unknown_conversation_is_a_json_404(live_server: LiveServer) -> None:
    with live_server.client() as client:
        for response in (
            client.get("/v1/conversations/AAAAAAAAAAAAAAAAAAAAAA"),
            client.get("/v1/conversations/not-an-id"),
            client.post(
                "/v1/ask", json={"question": "how long will they stay?", "conversation_id": "AAAAAAAAAAAAAAAAAAAAAA"}
            ),
        ):
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "conversation_not_found"
