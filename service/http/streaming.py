"""``POST /v1/ask`` as server-sent events.

Events, in order (each ``data`` is one JSON document):

- ``retrieval``: ``{"as_of", "passages": [ranked passages as /v1/search gives them], "timings_ms"}``;
- ``token`` (zero or more): ``{"text": "..."}`` — the answer text as it is produced. An LLM answerer's
  text arrives as the model writes it (with the model's own ``[n]`` markers: a preview); the
  extractive answerer's checked answer is sent sentence by sentence. Joined, the pieces are the
  preview of the answer;
- ``answer``: the final, citation-checked Answer (the same document as the JSON response). It is
  authoritative: a client shows its ``answer`` text in place of the tokens;
- ``error``: ``{"error": {"code", "message"}}`` if something failed after the stream started
  (no traceback, ever). ``answer`` or ``error`` is always the last event.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from ingest.store import StoreError
from service.answer.ask import Asker, AskRequest
from service.answer.models import Answer, AnswerDraft
from service.http.errors import error_body
from service.retrieval.evidence import RankedPassage, RetrievalResult

log = logging.getLogger(__name__)

# The extractive answer is "Sentence. [1] Sentence. [2]": cut after each marker group.
_AFTER_MARKERS = re.compile(r"(?<=\])(?=\s+[^\s\[])")

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse(event: str, data: Any) -> str:
    """One server-sent event."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def wants_event_stream(accept: str) -> bool:
    """Whether the client asked for ``text/event-stream``."""
    return any(part.split(";")[0].strip().lower() == "text/event-stream" for part in accept.split(","))


def sentence_pieces(text: str) -> list[str]:
    """An answer cut after each ``[n]`` group; the pieces join back to ``text``."""
    pieces = [p for p in _AFTER_MARKERS.split(text) if p]
    return pieces or [text]


def answer_events(
    asker: Asker,
    request: AskRequest,
    result: RetrievalResult,
    started: float,
    on_answer: Callable[[Answer], None],
) -> Iterator[str]:
    """The events after retrieval (``result``), ending with ``answer`` or ``error``."""
    retrieved = time.perf_counter()
    yield sse(
        "retrieval",
        {
            "as_of": result.as_of.date().isoformat(),
            "passages": [RankedPassage.of(n, p).model_dump(mode="json") for n, p in enumerate(result.passages, 1)],
            "timings_ms": {"retrieve": _ms(retrieved - started)},
        },
    )
    try:
        stream = _model_stream(asker, request, result)
        if stream is not None:
            draft = yield from _relay(stream)
            answer = asker.finish(request, result, draft)
        else:
            answer = asker.finish(request, result, asker.draft(request, result))
            for piece in sentence_pieces(answer.answer):
                yield sse("token", {"text": piece})
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": _ms(retrieved - started),
            "answer": _ms(done - retrieved),
            "total": _ms(done - started),
        }
        on_answer(answer)
        yield sse("answer", answer.model_dump(mode="json"))
    except StoreError as exc:
        log.warning("store error while streaming an answer: %s", exc)
        yield sse(
            "error",
            error_body("store_unavailable", f"the archive cannot be reached right now; try again shortly ({exc})"),
        )
    except Exception:  # noqa: BLE001 - the stream has started: the error must travel as an event
        ref = uuid.uuid4().hex[:12]
        log.exception("unhandled error %s while streaming an answer", ref)
        yield sse(
            "error", error_body("internal_error", f"internal error (reference {ref}); the server log has the details")
        )


def _model_stream(asker: Asker, request: AskRequest, result: RetrievalResult) -> Iterator[str] | None:
    """The answerer's own text stream, when it has one and the evidence is strong enough to ask it."""
    stream = getattr(asker.answerer, "stream", None)
    if not callable(stream):
        return None
    if not result.passages or asker.evidence_strength(result) < asker.min_evidence:
        return None
    return stream(request.question, result.passages)  # type: ignore[no-any-return]


def _relay(stream: Iterator[str]) -> Iterator[str]:
    """Pass a model's pieces on as ``token`` events; return the draft the stream ends with."""
    while True:
        try:
            piece = next(stream)
        except StopIteration as stop:
            draft: AnswerDraft | None = stop.value
            return draft  # type: ignore[return-value]
        if piece:
            yield sse("token", {"text": piece})


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)
