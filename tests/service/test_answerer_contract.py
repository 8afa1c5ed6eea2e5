"""The answerer contract and the backend registry, as someone adding an answerer or a backend meets them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fake_openai import FakeOpenAI
from langchain_core.language_models import GenericFakeChatModel
from langchain_openai import ChatOpenAI

from ingest.models import Article
from service.answer.ask import Asker, AskRequest
from service.answer.backends.contract import LLMBackendError
from service.answer.backends.registry import BACKENDS, make_chat_model
from service.answer.base import Answerer, StreamingAnswerer, as_streaming
from service.answer.extractive import ExtractiveAnswerer
from service.answer.llm import LLMAnswerer
from service.answer.models import AnswerDraft
from service.retrieval.evidence import Passage, RetrievalResult, Sentence
from service.runtime import Runtime
from service.settings import ServiceSettings

SENTENCE = "The council voted 31 to 14 on Tuesday to build a tram line."


class BareAnswerer:
    """An answerer written to the older contract: a name and ``answer``, no ``stream``."""

    name = "bare"

    def answer(
        self,
        question: str,
        passages: list[Passage],
        already_said: Sequence[str] = (),
        as_of: date | None = None,
    ) -> AnswerDraft:
        return AnswerDraft(text=f"{SENTENCE} [1]", short_answer="31 to 14", answered=True, answerer=self.name)


class OneResult:
    """A retriever that always finds the one passage (``score`` sets how strong its sentence is)."""

    def __init__(self, score: float = 0.9):
        self.score = score

    def retrieve(self, question: str, **kw: Any) -> RetrievalResult:
        article = Article(id="0123456789abcdef", title="Tram", text=SENTENCE, content_hash="h", source="Harbour Times")
        sentence = Sentence(0, len(SENTENCE), SENTENCE, self.score)
        passage = Passage(article, 0, len(SENTENCE), SENTENCE, self.score, sentences=[sentence])
        return RetrievalResult(passages=[passage], as_of=datetime(2024, 3, 6, tzinfo=UTC))


def run_stream(asker: Asker, question: str) -> tuple[list[str], Any]:
    steps = asker.streamed_answer_step(asker.retrieval_step(AskRequest(question)))
    pieces: list[str] = []
    while True:
        try:
            pieces.append(next(steps))
        except StopIteration as stop:
            return pieces, stop.value


def test_an_unknown_llm_backend_is_refused_naming_the_known_ones() -> None:
    settings = ServiceSettings(_env_file=None, llm="gpt-local")  # type: ignore[call-arg]
    with pytest.raises(LLMBackendError) as refused:
        Runtime(settings)
    assert "gpt-local" in str(refused.value)
    assert all(name in str(refused.value) for name in ("none", "openai", "llamacpp"))
    with pytest.raises(LLMBackendError):
        make_chat_model(settings)


def test_none_names_no_llm_and_every_backend_is_registered_by_its_settings_name() -> None:
    assert {"none", "openai", "llamacpp"} <= set(BACKENDS)
    assert make_chat_model(ServiceSettings(_env_file=None, llm="none")) is None  # type: ignore[call-arg]


def test_the_extractive_and_llm_answerers_can_stream() -> None:
    model = GenericFakeChatModel(messages=iter([]))
    for answerer in (ExtractiveAnswerer(), LLMAnswerer(model, fallback=BareAnswerer(), timeout_s=1)):
        assert isinstance(answerer, StreamingAnswerer)
        assert as_streaming(answerer) is answerer


def test_a_bare_drafter_still_answers_and_its_stream_previews_the_checked_answer() -> None:
    asker = Asker(OneResult(), BareAnswerer(), embedder=None)  # type: ignore[arg-type]
    assert isinstance(BareAnswerer(), Answerer) and not isinstance(BareAnswerer(), StreamingAnswerer)
    assert isinstance(asker.answerer, StreamingAnswerer) and asker.answerer.name == "bare"
    pieces, answer = run_stream(asker, "how did the council vote?")
    assert answer.answered and answer.answerer == "bare" and "".join(pieces) == answer.answer
    assert set(answer.timings_ms) == {"retrieve", "answer", "total"}
    assert asker.ask(AskRequest("how did the council vote?")).answer == answer.answer


def test_weak_evidence_is_not_given_to_the_answerer_whether_streamed_or_not() -> None:
    class Untouchable(BareAnswerer):
        def answer(
            self,
            question: str,
            passages: list[Passage],
            already_said: Sequence[str] = (),
            as_of: date | None = None,
        ) -> AnswerDraft:
            raise AssertionError("weak evidence must not reach the answerer")

    asker = Asker(OneResult(score=0.1), Untouchable(), embedder=None, min_evidence=0.35)  # type: ignore[arg-type]
    pieces, answer = run_stream(asker, "q?")
    assert not answer.answered and "".join(pieces) == answer.answer
    assert not asker.ask(AskRequest("q?")).answered


def test_an_llm_stream_previews_the_checked_answer_built_from_the_models_json() -> None:
    with FakeOpenAI() as llm:
        llm.reply = json.dumps({"short_answer": "31 to 14", "evidence": [1], "sentence": None})
        chat = ChatOpenAI(base_url=llm.url, model="fake-model", api_key="none", max_retries=0, temperature=0)
        asker = Asker(OneResult(), LLMAnswerer(chat, fallback=BareAnswerer(), timeout_s=10), embedder=None)  # type: ignore[arg-type]
        pieces, answer = run_stream(asker, "how did the council vote?")
    assert "".join(pieces) == answer.answer == f"{SENTENCE} [1]"
    assert answer.answered and answer.short_answer == "31 to 14" and answer.answerer == "llm:fake-model"
