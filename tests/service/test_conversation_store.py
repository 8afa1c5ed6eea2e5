"""Conversations are kept durably, per owner, within their limits, and forgotten when they expire."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from service.conversation.models import Turn
from service.conversation.store import ConversationFull, ConversationStore, is_public_id, new_conversation_id


def a_turn(question: str = "who sent peacekeepers?", answer: str = "The CSTO did. [1]") -> Turn:
    return Turn(
        n=0,
        asked_at="2026-12-02T00:00:00+00:00",
        question=question,
        standalone_question=question,
        follow_up=False,
        answer=answer,
        short_answer="CSTO",
        answered=True,
        as_of="2022-01-11",
    )


def store_at(path: Path, **limits: float) -> ConversationStore:
    settings = {"ttl_s": 3600.0, "max_turns": 50, "max_bytes": 500_000, **limits}
    return ConversationStore(
        path, ttl_s=settings["ttl_s"], max_turns=int(settings["max_turns"]), max_bytes=int(settings["max_bytes"])
    )


def test_turns_are_numbered_and_read_back_by_another_store_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "conversations.sqlite3"
    cid = new_conversation_id()
    store_at(path).append(cid, "", a_turn())
    store_at(path).append(cid, "", a_turn("how long will they stay?"))
    conversation = store_at(path).get(cid, "")
    assert conversation is not None
    assert [(t.n, t.question) for t in conversation.turns] == [
        (1, "who sent peacekeepers?"),
        (2, "how long will they stay?"),
    ]


def test_ids_are_unguessable_and_distinct() -> None:
    ids = {new_conversation_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(is_public_id(i) for i in ids)
    assert not is_public_id("slack:C0MENTION:1700000000.000100")


def test_another_owner_cannot_read_a_conversation(tmp_path: Path) -> None:
    store = store_at(tmp_path / "c.sqlite3")
    cid = new_conversation_id()
    store.append(cid, "key:aaaa", a_turn())
    assert store.get(cid, "key:aaaa") is not None
    assert store.get(cid, "key:bbbb") is None
    assert store.get(cid, "") is None


def test_an_expired_conversation_is_gone_and_its_id_starts_afresh(tmp_path: Path) -> None:
    store = store_at(tmp_path / "c.sqlite3", ttl_s=0.2)
    cid = new_conversation_id()
    store.append(cid, "", a_turn())
    time.sleep(0.3)
    assert store.get(cid, "") is None
    store.append(cid, "", a_turn("a new start"))
    again = store.get(cid, "")
    assert again is not None and [t.question for t in again.turns] == ["a new start"]


def test_a_full_conversation_refuses_the_next_turn_with_a_clear_error(tmp_path: Path) -> None:
    store = store_at(tmp_path / "c.sqlite3", max_turns=2)
    cid = new_conversation_id()
    store.append(cid, "", a_turn())
    store.append(cid, "", a_turn())
    with pytest.raises(ConversationFull, match="limit of 2 turns"):
        store.check_room(store.get(cid, ""))
    with pytest.raises(ConversationFull):
        store.append(cid, "", a_turn())


def test_a_conversation_over_its_size_limit_refuses_the_next_turn(tmp_path: Path) -> None:
    store = store_at(tmp_path / "c.sqlite3", max_bytes=2000)
    cid = new_conversation_id()
    store.append(cid, "", a_turn(answer="x" * 2500))
    with pytest.raises(ConversationFull, match="2,000 bytes"):
        store.check_room(store.get(cid, ""))


def _append_many(path: str, cid: str, count: int) -> None:
    store = store_at(Path(path))
    for i in range(count):
        store.append(cid, "", a_turn(f"question {i}"))


def test_processes_adding_to_one_conversation_at_once_each_get_their_own_turn(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    store_at(path)  # create the file first
    cid = new_conversation_id()
    workers = [
        multiprocessing.get_context("fork").Process(target=_append_many, args=(str(path), cid, 10)) for _ in range(3)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    conversation = store_at(path).get(cid, "")
    assert conversation is not None and [t.n for t in conversation.turns] == list(range(1, 31))
