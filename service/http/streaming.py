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
import uuid
from collections.abc import Callable, Generator, Iterator
from typing import Any

from ingest.store import StoreError
from service.answer.ask import Asker, Retrieved
from service.answer.models import Answer
from service.http.errors import error_body
from service.retrieval.evidence import RankedPassage

log = logging.getLogger(__name__)

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse(event: str, data: Any) -> str:
    """One server-sent event."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def wants_event_stream(accept: str) -> bool:
    """Whether the client asked for ``text/event-stream``."""
    return any(part.split(";")[0].strip().lower() == "text/event-stream" for part in accept.split(","))


def reply_events(answer: Answer) -> Iterator[str]:
    """The events of a reply that searched nothing ("new question" alone): an empty ``retrieval``, then ``answer``."""
    yield sse("retrieval", {"as_of": answer.as_of, "passages": [], "timings_ms": {"retrieve": 0.0}})
    yield sse("answer", answer.model_dump(mode="json"))


def answer_events(asker: Asker, retrieved: Retrieved, on_answer: Callable[[Answer], None]) -> Iterator[str]:
    """The events once step one of the ask flow (retrieval) is done: ``retrieval``, the ``token`` pieces, then
    ``answer`` or ``error``. Step two is the ask flow's own, previewed: see :meth:`Asker.streamed_answer_step`."""
    result = retrieved.result
    yield sse(
        "retrieval",
        {
            "as_of": result.as_of.date().isoformat(),
            "passages": [RankedPassage.of(n, p).model_dump(mode="json") for n, p in enumerate(result.passages, 1)],
            "timings_ms": {"retrieve": retrieved.retrieve_ms},
        },
    )
    try:
        answer = yield from _token_events(asker.streamed_answer_step(retrieved))
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


def _token_events(preview: Generator[str, None, Answer]) -> Generator[str, None, Answer]:
    """Each piece of the preview as a ``token`` event; return the Answer the preview ends with."""
    try:
        while True:
            try:
                piece = next(preview)
            except StopIteration as stop:
                answer: Answer = stop.value
                return answer
            yield sse("token", {"text": piece})
    finally:
        preview.close()  # the client went away: stop the answer being written
