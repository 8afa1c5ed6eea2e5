"""A follow-up asks for something new: the answerer is told everything the conversation already said."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.answer.ask import AskRequest
from service.answer.models import Answer
from service.answer.nlp import load_nlp
from service.conversation.chat import Chat, ChatQuestion
from service.conversation.followup import HeuristicResolver
from service.conversation.store import ConversationStore


class ScriptedAsker:
    """Answers each question with the next scripted short answer and keeps the requests it was given."""

    def __init__(self, *short_answers: str):
        self.short_answers = list(short_answers)
        self.requests: list[AskRequest] = []

    def ask(self, request: AskRequest) -> Answer:
        self.requests.append(request)
        short = self.short_answers.pop(0)
        return Answer(
            question=request.question, answer=short, short_answer=short, answered=True, as_of="2025-11-02", answerer="t"
        )


@pytest.fixture(scope="module")
def resolver() -> HeuristicResolver:
    return HeuristicResolver(load_nlp())


def test_what_about_is_told_the_earlier_answers_so_it_never_gives_them_again(
    tmp_path: Path, resolver: HeuristicResolver
) -> None:
    asker = ScriptedAsker("Dodgers", "Yankees")
    store = ConversationStore(tmp_path / "c.sqlite3", ttl_s=3600, max_turns=20, max_bytes=100_000)
    chat = Chat(asker, store, resolver)  # type: ignore[arg-type]
    first = chat.ask(ChatQuestion("who won the world series in 2025?"))
    chat.ask(ChatQuestion("and in 2024?", conversation_id=first.conversation_id))
    follow_up = asker.requests[1]
    assert follow_up.question == "who won the world series in 2024?"
    assert "Dodgers" in follow_up.already_said
