"""``GET /v1/conversations/{id}``: the turns of a conversation started over HTTP or on the ask page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from service.conversation.models import Conversation
from service.conversation.store import is_public_id
from service.http.auth import require_read
from service.http.deps import runtime_of
from service.http.errors import ApiError
from service.http.schemas import error_responses

router = APIRouter(tags=["answers"])


@router.get(
    "/v1/conversations/{conversation_id}",
    response_model=Conversation,
    summary="The turns of a conversation",
    description=(
        "Each turn: the question as typed, the standalone question searched, the answer, its citation ids and "
        "the filters it was asked under. With API keys configured, only the key that started the conversation "
        "reads it; an unknown, expired or someone else's id is a 404."
    ),
    responses=error_responses(401, 404),
    dependencies=[Depends(require_read)],
)
def conversation(request: Request, conversation_id: str) -> Conversation:
    """The conversation ``conversation_id``."""
    if not is_public_id(conversation_id):
        raise ApiError(
            404,
            f"no conversation {conversation_id!r}: conversation ids are 22 URL-safe characters",
            code="conversation_not_found",
        )
    return runtime_of(request).chat.conversation(conversation_id, request.app.state.access.owner(request))
