"""The LLM answerer: a LangChain chat model drafts the answer from numbered, fenced evidence.

The prompt is ``prompts/answer_system.txt`` + ``prompts/answer_user.txt`` (see :mod:`service.answer.prompts`).
The model must reply::

    SHORT: <entity / number / date>
    One to three sentences, each ending with [n] markers. [1][2]

or exactly ``NOT_FOUND``. Anything else counts as a failure, like a timeout, a refused connection or
an HTTP error: the answerer then asks its ``fallback`` (the extractive answerer) and returns that draft
with ``note="LLM unavailable (<reason>); extractive answer given"``. Whatever the model says goes
through the same parser and then the citation check, like any other draft: nothing it writes is
trusted or executed, and instructions inside articles reach it only as fenced data.
"""

from __future__ import annotations

import contextvars
import dataclasses
import queue
import re
import threading
import time
from collections.abc import Callable, Generator
from typing import TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.prompts import ChatPromptTemplate

from service.answer.base import Answerer
from service.answer.models import AnswerDraft
from service.answer.prompts import format_evidence, load_prompt, neutralise
from service.retrieval.evidence import Passage

NOT_FOUND = "NOT_FOUND"
NOT_FOUND_TEXT = "The archive's articles found for this question do not contain the answer."

_T = TypeVar("_T")
_NOT_FOUND_RE = re.compile(r"\bNOT[_ ]FOUND\b")
_SHORT_RE = re.compile(r"^[\s*#>_-]*SHORT\s*(?:ANSWER)?\s*[:=\-]\s*(?P<value>.*)$", re.IGNORECASE)
_LABEL_RE = re.compile(r"^[\s*#_]*(?:ANSWER|LONG)\s*[:=]\s*", re.IGNORECASE)
_MARKER_RE = re.compile(r"\[(\d+)\]")
_MARKER_LIST_RE = re.compile(r"\[(\d+(?:\s*,\s*\d+)+)\]")


class LLMTimeout(TimeoutError):
    """The chat model did not finish within the answerer's ``timeout_s``."""


class LLMOutputError(ValueError):
    """The chat model answered, but not in the shape the prompt asks for."""


@dataclasses.dataclass
class ParsedOutput:
    """A model reply taken apart: the short answer, the body with its [n] markers, and whether it answered."""

    text: str
    short_answer: str | None
    answered: bool


def model_name_of(chat_model: BaseChatModel) -> str:
    """The model a LangChain chat model talks to (``model_name`` / ``model``), for ``answerer="llm:<model>"``."""
    for attr in ("model_name", "model", "model_id"):
        value = getattr(chat_model, attr, None)
        if isinstance(value, str) and value:
            return value
    return str(getattr(chat_model, "_llm_type", type(chat_model).__name__))


def parse_output(raw: str, n_passages: int, require_markers: bool = True) -> ParsedOutput:
    """Take a model reply apart; raises :class:`LLMOutputError` when it is empty or unusable.

    ``NOT_FOUND`` anywhere in the reply means "not answered" (a tool for journalists prefers
    no answer to a guess). With ``require_markers`` the body must cite at least one passage
    ``[1]..[n_passages]``; which sentence cites what is the citation check's business.
    """
    text = raw.strip().strip("`").strip()
    if not text:
        raise LLMOutputError("empty output")
    if _NOT_FOUND_RE.search(text):
        return ParsedOutput(text=NOT_FOUND_TEXT, short_answer=None, answered=False)

    short: str | None = None
    short_line = ""
    body: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = _SHORT_RE.match(line) if short is None else None
        if match:
            short_line = match.group("value").strip()
            short = _MARKER_RE.sub("", short_line).strip().strip("*\"'").rstrip(".").strip() or None
            continue
        body.append(_LABEL_RE.sub("", line))
    joined = " ".join(body).strip()
    if not joined and _MARKER_RE.search(short_line):
        joined = short_line  # "SHORT: X [1]" and nothing else: the short line is the whole answer
    if not joined:
        raise LLMOutputError("unparseable output: no answer sentences")
    joined = _MARKER_LIST_RE.sub(lambda m: "".join(f"[{n.strip()}]" for n in m.group(1).split(",")), joined)
    if require_markers and not any(1 <= int(n) <= n_passages for n in _MARKER_RE.findall(joined)):
        raise LLMOutputError("unparseable output: no [n] citation markers")
    return ParsedOutput(text=joined, short_answer=short, answered=True)


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


class LLMAnswerer:
    """Answers through a LangChain chat model; falls back to ``fallback`` whenever the model fails.

    ``timeout_s`` bounds the whole call (connect + generate) on top of the chat model's own timeout,
    so it also holds for in-process models. A timed-out call is abandoned, not killed: an HTTP model
    stops at its client timeout, an in-process one at its ``max_tokens``.
    """

    name = "llm"

    def __init__(
        self,
        chat_model: BaseChatModel,
        fallback: Answerer,
        timeout_s: float,
        *,
        prompt: ChatPromptTemplate | None = None,
        require_markers: bool = True,
    ):
        self.chat_model = chat_model
        self.fallback = fallback
        self.timeout_s = float(timeout_s)
        self.prompt = prompt if prompt is not None else load_prompt("answer")
        self.require_markers = require_markers
        self.model = model_name_of(chat_model)

    @property
    def label(self) -> str:
        """What a draft from the model carries as ``answerer``: ``llm:<model>``."""
        return f"llm:{self.model}"

    def messages(self, question: str, passages: list[Passage]) -> list[BaseMessage]:
        """The chat messages sent to the model: system rules, then the question and fenced evidence."""
        return self.prompt.format_messages(
            question=neutralise(" ".join(question.split())), evidence=format_evidence(passages)
        )

    def answer(self, question: str, passages: list[Passage]) -> AnswerDraft:
        """A draft from the model, or the fallback's draft with a note saying why."""
        if not passages:
            return AnswerDraft(text=NOT_FOUND_TEXT, short_answer=None, answered=False, answerer=self.label)
        messages = self.messages(question, passages)
        try:
            reply = with_deadline(lambda: self.chat_model.invoke(messages), self.timeout_s)
            parsed = parse_output(_text_of(reply), len(passages), self.require_markers)
        except Exception as exc:  # noqa: BLE001 - every failure of the model means: fall back, and say so
            return self._fall_back(question, passages, describe_failure(exc, self.timeout_s))
        return AnswerDraft(
            text=parsed.text, short_answer=parsed.short_answer, answered=parsed.answered, answerer=self.label
        )

    def stream(self, question: str, passages: list[Passage]) -> Generator[str, None, AnswerDraft]:
        """Yield the answer's text as the model writes it; *return* the final draft.

        Iterating gives text pieces for an SSE stream. The ``SHORT:`` line is held back (it is in the
        draft), and nothing more is shown once the reply turns out to be ``NOT_FOUND``. When the
        generator ends, its return value (``draft = yield from answerer.stream(q, passages)``, or
        ``StopIteration.value``) is the same draft :meth:`answer` would give, and it is authoritative:
        the pieces are a preview. If the model fails before saying anything, the fallback's text is
        yielded as one piece; if it fails midway, the returned draft is the fallback's (with its note)
        and the client should replace what it showed. The deadline ``timeout_s`` covers the whole stream;
        closing the generator early stops reading from the model.
        """
        if not passages:
            yield NOT_FOUND_TEXT
            return AnswerDraft(text=NOT_FOUND_TEXT, short_answer=None, answered=False, answerer=self.label)
        messages = self.messages(question, passages)
        pieces: queue.Queue[tuple[str, object]] = queue.Queue()
        cancel = threading.Event()

        def produce() -> None:
            try:
                for chunk in self.chat_model.stream(messages):
                    if cancel.is_set():
                        return
                    piece = _text_of(chunk)
                    if piece:
                        pieces.put(("piece", piece))
                pieces.put(("end", None))
            except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which falls back
                pieces.put(("error", exc))

        context = contextvars.copy_context()
        threading.Thread(target=context.run, args=(produce,), name="llm-stream", daemon=True).start()
        deadline = time.monotonic() + self.timeout_s
        raw: list[str] = []
        head = ""  # text held back until the first line shows whether it is SHORT: or NOT_FOUND
        head_done = muted = shown = False
        failure: BaseException | None = None
        try:
            while True:
                try:
                    kind, value = pieces.get(timeout=max(deadline - time.monotonic(), 0.0))
                except queue.Empty:
                    failure = LLMTimeout()
                    break
                if kind == "end":
                    break
                if kind == "error":
                    failure = value if isinstance(value, BaseException) else RuntimeError(str(value))
                    break
                piece = str(value)
                raw.append(piece)
                if muted:
                    continue
                if head_done:
                    if not shown:
                        piece = piece.lstrip()
                    if piece:
                        yield piece
                        shown = True
                    continue
                head += piece
                if _NOT_FOUND_RE.search(head):
                    muted = True
                    continue
                stripped = head.lstrip()
                if "\n" not in stripped and len(stripped) < 200:
                    continue
                first, _, rest = stripped.partition("\n")
                head_done = True
                out = rest.lstrip() if _SHORT_RE.match(first) else stripped
                if out:
                    yield out
                    shown = True
            if failure is None:
                full = "".join(raw)
                try:
                    parsed = parse_output(full, len(passages), self.require_markers)
                except LLMOutputError as exc:
                    failure = exc
                else:
                    if not head_done and not muted and parsed.answered:
                        yield parsed.text  # a one-line reply never completed its head: show it now
                    elif not parsed.answered and not shown:
                        yield parsed.text
                    return AnswerDraft(
                        text=parsed.text,
                        short_answer=parsed.short_answer,
                        answered=parsed.answered,
                        answerer=self.label,
                    )
            draft = self._fall_back(question, passages, describe_failure(failure, self.timeout_s))
            if not shown:
                yield draft.text
            return draft
        finally:
            cancel.set()

    def _fall_back(self, question: str, passages: list[Passage], reason: str) -> AnswerDraft:
        draft = self.fallback.answer(question, passages)
        note = f"LLM unavailable ({reason}); {self.fallback.name} answer given"
        return dataclasses.replace(draft, note=f"{note}; {draft.note}" if draft.note else note)


def _text_of(message: object) -> str:
    """The text of a LangChain message or chunk (content may be a string or a list of blocks)."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            b if isinstance(b, str) else str(b.get("text", "")) for b in content if isinstance(b, (str, dict))
        )
    return ""


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
