"""The LLM answerer: a LangChain chat model reads the best evidence sentences and points at the answer.

The prompt is ``prompts/reader_system.txt`` + ``prompts/reader_user.txt`` (see :mod:`service.answer.prompts`),
the evidence the numbered sentences of :mod:`service.answer.reader_context`, within ``budget_tokens``.
The model replies JSON of :class:`~service.answer.reader_reply.ReaderReply` (a short answer and sentence
numbers; with an embedder to check it, also a sentence of its own), held to it by the backend's
structured output (a JSON-schema ``response_format``, or llama.cpp's grammar). The draft is then built
in code (:mod:`service.answer.reader_draft`): the verbatim sentences that state the short answer, so
every citation is a quote by construction. An empty short answer declines (``answered`` false).

With a ``check`` prompt, the same model is then asked whether the sentences it cited state its short
answer to this very question (:mod:`service.answer.reader_check`); an answer it does not confirm is
declined. Invalid JSON, a timeout, a refused connection, an HTTP error, or a short answer that stands in no
evidence sentence: the answerer asks its ``fallback`` (the extractive answerer) and returns that draft
with a note saying why; after a short answer from outside the evidence, the fallback's answer goes
through the same check. Nothing the model writes is trusted or executed, and instructions inside
articles reach it only as fenced data.
"""

from __future__ import annotations

import contextvars
import dataclasses
import threading
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable

from ingest.embedding import Embedder
from service.answer.base import Answerer, AnswersAtOnce
from service.answer.models import AnswerDraft
from service.answer.prompts import load_prompt, neutralise
from service.answer.reader_check import Verdict, format_checked
from service.answer.reader_context import EvidenceSentence, every_sentence, format_reader_evidence, select_evidence
from service.answer.reader_draft import (
    best_stating,
    build_draft,
    clean_short_answer,
    declines,
    supporting_evidence,
)
from service.answer.reader_reply import (
    Dialect,
    ReaderReply,
    ReaderReplyWithSentence,
    reply_keys,
    structured_reader,
)
from service.retrieval.evidence import Passage

NOT_FOUND_TEXT = "The archive's articles found for this question do not contain the answer."
# About 600 tokens of evidence: what a 0.5-1.5B model on 2 cores reads in well under 20 s.
READER_BUDGET_TOKENS = 600

_T = TypeVar("_T")


class LLMTimeout(TimeoutError):
    """The chat model did not finish within the answerer's ``timeout_s``."""


class LLMOutputError(ValueError):
    """The chat model answered, but not JSON of the reply's schema."""


def model_name_of(chat_model: BaseChatModel) -> str:
    """The model a LangChain chat model talks to (``model_name`` / ``model``), for ``answerer="llm:<model>"``."""
    for attr in ("model_name", "model", "model_id"):
        value = getattr(chat_model, attr, None)
        if isinstance(value, str) and value:
            return value
    return str(getattr(chat_model, "_llm_type", type(chat_model).__name__))


def refuses_json_schema(exc: BaseException) -> bool:
    """Whether an HTTP error says the server does not take a ``json_schema`` response_format but does take
    ``json_object`` (llama-cpp-python's server answers so, as a validation error)."""
    try:
        import openai
    except ImportError:  # pragma: no cover - langchain-openai always brings openai
        return False
    message = str(exc)
    return isinstance(exc, openai.APIStatusError) and "json_object" in message and "response_format" in message


def describe_failure(exc: BaseException, timeout_s: float) -> str:
    """A short, user-safe reason for a failed LLM call (no stack trace, no key, no URL query)."""
    if isinstance(exc, LLMOutputError):
        return str(exc)
    try:  # openai is what ChatOpenAI raises through; it is a dependency of langchain-openai
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return "request timed out"
        if isinstance(exc, openai.APIConnectionError):
            return "connection failed"
        if isinstance(exc, openai.APIStatusError):
            return f"HTTP {exc.status_code}"
    except ImportError:  # pragma: no cover - langchain-openai always brings openai
        pass
    import httpx

    if isinstance(exc, LLMTimeout):
        return f"timed out after {timeout_s:g} s"
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
        return "request timed out"
    if isinstance(exc, (ConnectionError, httpx.TransportError)):
        return "connection failed"
    message = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class LLMAnswerer(AnswersAtOnce):
    """Answers through a LangChain chat model; falls back to ``fallback`` whenever the model fails.

    ``timeout_s`` bounds the whole call (connect + generate) on top of the chat model's own timeout,
    so it also holds for in-process models. A timed-out call is abandoned, not killed: an HTTP model
    stops at its client timeout, an in-process one at its ``max_tokens``. ``budget_tokens`` bounds the
    evidence shown to the model. With an ``embedder``, the model also writes a sentence of its own, which
    replaces the verbatim ones when the citation check supports it; without one, it is not asked for (it
    is the longest part of the reply to generate).

    The answer is JSON, whole or not at all, so the stream previews nothing the model writes
    (:class:`AnswersAtOnce`): the ask flow previews the checked answer instead.
    """

    name = "llm"

    def __init__(
        self,
        chat_model: BaseChatModel,
        fallback: Answerer,
        timeout_s: float,
        *,
        prompt: ChatPromptTemplate | None = None,
        budget_tokens: int = READER_BUDGET_TOKENS,
        embedder: Embedder | None = None,
        check: ChatPromptTemplate | None = None,
    ):
        self.chat_model = chat_model
        self.fallback = fallback
        self.timeout_s = float(timeout_s)
        self.prompt = prompt if prompt is not None else load_prompt("reader")
        self.budget_tokens = budget_tokens
        self.embedder = embedder
        self.check = check
        self.reply_schema: type[ReaderReply] = ReaderReplyWithSentence if embedder is not None else ReaderReply
        self.model = model_name_of(chat_model)
        # OpenAI's json_schema until the server says it only knows llama.cpp's json_object; built on
        # first use (a chat model without structured output then fails like any other model failure).
        self.dialect: Dialect = "json_schema"
        self._structured: Runnable[Any, ReaderReply] | None = None
        self._structured_lock = threading.Lock()

    @property
    def label(self) -> str:
        """What a draft from the model carries as ``answerer``: ``llm:<model>``."""
        return f"llm:{self.model}"

    def evidence(self, passages: list[Passage]) -> list[EvidenceSentence]:
        """The numbered evidence sentences the model is shown for ``passages``."""
        return select_evidence(passages, self.budget_tokens)

    def messages(self, question: str, evidence: list[EvidenceSentence], asked_on: date) -> list[BaseMessage]:
        """The chat messages sent to the model: system rules, then the fenced sentences and the question
        with the day it was asked (so that "this week" means that week, and a story of another time can be
        told from it)."""
        return self.prompt.format_messages(
            question=neutralise(" ".join(question.split())),
            asked_on=asked_on.isoformat(),
            evidence=format_reader_evidence(evidence),
            reply_keys=reply_keys(self.reply_schema),
        )

    def read(self, messages: list[BaseMessage]) -> ReaderReply:
        """The model's reply to ``messages``, parsed; :class:`LLMOutputError` when it is not JSON of the schema."""
        try:
            return self._structured_model().invoke(messages)
        except ValueError as exc:  # pydantic's ValidationError and LangChain's OutputParserException are ValueErrors
            raise LLMOutputError("invalid JSON reply") from exc
        except Exception as exc:
            if self.dialect == "json_object" or not refuses_json_schema(exc):
                raise
        with self._structured_lock:  # from now on, llama.cpp's dialect for this server
            self.dialect, self._structured = "json_object", None
        try:
            return self._structured_model().invoke(messages)
        except ValueError as exc:
            raise LLMOutputError("invalid JSON reply") from exc

    def _structured_model(self) -> Runnable[Any, ReaderReply]:
        with self._structured_lock:
            if self._structured is None:
                self._structured = structured_reader(self.chat_model, self.dialect, self.reply_schema)
            return self._structured

    def answer(
        self,
        question: str,
        passages: list[Passage],
        already_said: Sequence[str] = (),
        as_of: date | None = None,
    ) -> AnswerDraft:
        """A draft from the model, or the fallback's draft with a note saying why.

        ``already_said`` goes to the fallback only: a reply of the model's that repeats it is declined
        by the ask flow, as any answerer's is. ``as_of`` is the day the question was asked (today unless
        given): the reader and its check are told it, so that they can tell a story of that time from an older
        one, and it goes to the fallback.
        """
        evidence = self.evidence(passages)
        if not evidence:
            return self._declined()
        asked_on = as_of or date.today()
        messages = self.messages(question, evidence, asked_on)
        try:
            reply = with_deadline(lambda: self.read(messages), self.timeout_s)
        except Exception as exc:  # noqa: BLE001 - every failure of the model means: fall back, and say so
            return self._fall_back(
                question, passages, already_said, as_of, f"LLM unavailable ({describe_failure(exc, self.timeout_s)})"
            )
        if declines(reply):
            return self._declined()
        draft = build_draft(reply, evidence, self.embedder)
        if draft is None:
            # The rejected answer is named, so a report shows whether the model paraphrased the evidence
            # or answered from its own knowledge.
            rejected = clean_short_answer(reply.short_answer)
            reason = f'LLM answer not used (its short answer, "{rejected}", is in no evidence sentence)'
            fallen = self.fallback.answer(question, passages, already_said, as_of)
            return self._checked_fallback(question, passages, fallen, reason, asked_on)
        note = None
        if self.check is not None:
            try:
                verdict = with_deadline(
                    lambda: self.confirms(question, draft.short_answer, supporting_evidence(reply, evidence), asked_on),
                    self.timeout_s,
                )
            except Exception as exc:  # noqa: BLE001 - an unchecked answer is still an answer; say so
                note = f"LLM answer not checked ({describe_failure(exc, self.timeout_s)})"
            else:
                if not verdict.answers:
                    return self._declined(
                        f"the reader's answer ({draft.short_answer}) was not confirmed by its sentences"
                    )
        return AnswerDraft(
            text=draft.text, short_answer=draft.short_answer, answered=True, answerer=self.label, note=note
        )

    def confirms(self, question: str, short_answer: str, sentences: list[EvidenceSentence], asked_on: date) -> Verdict:
        """The check's verdict on ``short_answer`` to ``question``, asked on ``asked_on``, from the ``sentences``
        it rests on (each shown with its article's date)."""
        assert self.check is not None
        messages = self.check.format_messages(
            question=neutralise(" ".join(question.split())),
            asked_on=asked_on.isoformat(),
            short_answer=neutralise(short_answer),
            sentences=format_checked(sentences, short_answer),
        )
        try:
            return structured_reader(self.chat_model, self.dialect, Verdict).invoke(messages)
        except ValueError as exc:
            raise LLMOutputError("invalid JSON reply to the check") from exc

    def _checked_fallback(
        self, question: str, passages: list[Passage], fallen: AnswerDraft, reason: str, asked_on: date
    ) -> AnswerDraft:
        """The fallback's draft after the reader answered from outside its evidence, held to the reader's check.

        A reader that names something its evidence does not state has usually found no answer there (on
        the test split, the extractive answer then given was right once in 17), so the fallback's answer is
        checked as the reader's would be, against the best sentence of the passages that states it. One
        that no single sentence states (a list put together from several) is given unchecked, as before.
        """
        short_answer = fallen.short_answer
        if self.check is None or not fallen.answered or not short_answer:
            return self._noted(fallen, reason)
        sentences = best_stating(short_answer, every_sentence(passages))
        if not sentences:
            return self._noted(fallen, reason)
        try:
            verdict = with_deadline(lambda: self.confirms(question, short_answer, sentences, asked_on), self.timeout_s)
        except Exception as exc:  # noqa: BLE001 - an unchecked answer is still an answer; say so
            noted = self._noted(fallen, reason)
            return dataclasses.replace(
                noted, note=f"{noted.note}; not checked ({describe_failure(exc, self.timeout_s)})"
            )
        if verdict.answers:
            return self._noted(fallen, reason)
        return self._declined(
            f"{reason}; the {self.fallback.name} answer ({short_answer}) was not confirmed by its sentences"
        )

    def _declined(self, note: str | None = None) -> AnswerDraft:
        """The reader's decline: the evidence does not answer (``note``: why, when a check decided it)."""
        return AnswerDraft(text=NOT_FOUND_TEXT, short_answer=None, answered=False, answerer=self.label, note=note)

    def _fall_back(
        self,
        question: str,
        passages: list[Passage],
        already_said: Sequence[str],
        as_of: date | None,
        reason: str,
    ) -> AnswerDraft:
        return self._noted(self.fallback.answer(question, passages, already_said, as_of), reason)

    def _noted(self, fallen: AnswerDraft, reason: str) -> AnswerDraft:
        """The fallback's draft, its note saying why it was given."""
        note = f"{reason}; {self.fallback.name} answer given"
        return dataclasses.replace(fallen, note=f"{note}; {fallen.note}" if fallen.note else note)


def with_deadline(call: Callable[[], _T], timeout_s: float) -> _T:
    """Run ``call`` in a worker thread; raise :class:`LLMTimeout` if it is not done within ``timeout_s``.

    The worker is left to finish on its own (an in-process model stops at its ``max_tokens``).
    """
    box: dict[str, object] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc
        finally:
            done.set()

    context = contextvars.copy_context()
    threading.Thread(target=context.run, args=(run,), name="llm-call", daemon=True).start()
    if not done.wait(timeout_s):
        raise LLMTimeout()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
