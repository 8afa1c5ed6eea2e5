"""``POST /v1/ask``: a cited answer, as JSON or as server-sent events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import StreamingResponse

from service.answer.models import Answer
from service.conversation.store import is_public_id
from service.http.auth import require_read
from service.http.deps import metrics_of, runtime_of, settings_of
from service.http.errors import ApiError
from service.http.schemas import ANSWER_EXAMPLE, AskBody, error_responses
from service.http.streaming import SSE_HEADERS, answer_events, reply_events, wants_event_stream
from service.http.work_slots import work_slot

router = APIRouter(tags=["answers"])

_SSE_EXAMPLE = (
    'event: retrieval\ndata: {"as_of":"2022-01-11","passages":[...],"timings_ms":{"retrieve":120.5}}\n\n'
    'event: token\ndata: {"text":"In order to bring peace ... were deployed. [1]"}\n\n'
    'event: answer\ndata: {"question":"who sent peacekeepers?","answered":true,...}\n\n'
)


def check_question(question: str, limit: int) -> None:
    """422 for a question longer than the configured limit."""
    if len(question) > limit:
        raise ApiError(422, f"question: the question is longer than {limit:,} characters", code="validation_error")


@router.post(
    "/v1/ask",
    response_model=Answer,
    summary="Answer a question from the archive, with citations",
    description=(
        "Retrieves evidence, drafts an answer and keeps only sentences whose citations check out. "
        "`answered: false` (with an explanation) when the archive does not hold the answer.\n\n"
        "Send `Accept: text/event-stream` to receive server-sent events instead: `retrieval` (the passages "
        "found), `token` (answer text as it is produced), `answer` (the final checked Answer) or `error`.\n\n"
        "Every answer belongs to a conversation: send its `conversation_id` back with the next question to ask a "
        'follow-up ("how long will they stay?"). The Answer\'s `standalone_question` is what was searched. '
        "An unknown or expired id is a 404; a conversation at its turn or size limit, a 409."
    ),
    responses={
        200: {
            "content": {
                "application/json": {"example": ANSWER_EXAMPLE},
                "text/event-stream": {"schema": {"type": "string"}, "example": _SSE_EXAMPLE},
            }
        },
        **error_responses(401, 404, 409, 413, 422, 503),
    },
    dependencies=[Depends(require_read), Depends(work_slot)],
)
def ask(request: Request, body: Annotated[AskBody, Body()]) -> Answer | StreamingResponse:
    """Answer ``body.question``."""
    check_question(body.question, settings_of(request).max_question_chars)
    runtime = runtime_of(request)
    metrics = metrics_of(request)
    chat = runtime.chat
    if body.conversation_id is not None and not is_public_id(body.conversation_id):
        raise ApiError(
            404,
            f"no conversation {body.conversation_id!r}: conversation ids are 22 URL-safe characters",
            code="conversation_not_found",
        )
    # An unknown conversation or a full one is refused here, before any work (404 / 409).
    prepared = chat.prepare(body.to_chat(request.app.state.access.owner(request)))
    streamed = wants_event_stream(request.headers.get("accept", ""))
    if prepared.reply is not None:
        reply = chat.record(prepared, prepared.reply)
        if streamed:
            return StreamingResponse(reply_events(reply), media_type="text/event-stream", headers=SSE_HEADERS)
        return reply
    if streamed:
        # Retrieval runs before the response starts, so an unreachable store is still a JSON 503.
        retrieved = runtime.asker.retrieval_step(prepared.request)

        def on_answer(answer: Answer) -> None:
            chat.record(prepared, answer)
            metrics.count_answer(answer, "stream")

        events = answer_events(runtime.asker, retrieved, on_answer)
        return StreamingResponse(events, media_type="text/event-stream", headers=SSE_HEADERS)
    answer = chat.record(prepared, runtime.asker.ask(prepared.request))
    metrics.count_answer(answer, "api")
    return answer
