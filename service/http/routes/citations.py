"""``GET /v1/citations/{citation_id}``: the quote, its offsets, its article and the text around it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from service.citations import InvalidCitationId, resolve_citation
from service.citations.resolve import DEFAULT_CONTEXT_CHARS
from service.http.auth import require_read
from service.http.deps import runtime_of
from service.http.errors import ApiError
from service.http.schemas import EXAMPLE_CITATION_ID, CitationOut, error_responses

router = APIRouter(tags=["citations"])

CitationId = Annotated[str, Path(description="`<article_id>:<start>-<end>`", examples=[EXAMPLE_CITATION_ID])]


def resolved_or_404(request: Request, citation_id: str, context: int = DEFAULT_CONTEXT_CHARS) -> Any:
    """The resolved citation; 404 for ids that are malformed (store not asked) or resolve to nothing."""
    try:
        found = resolve_citation(runtime_of(request).store, citation_id, context)
    except InvalidCitationId as exc:
        raise ApiError(404, str(exc)) from None
    if found is None:
        raise ApiError(404, f"no citation {citation_id}: its article is not stored, or holds other text now")
    return found


@router.get(
    "/v1/citations/{citation_id}",
    response_model=CitationOut,
    summary="Resolve a citation id to its verbatim quote and context",
    responses=error_responses(401, 404, 503),
    dependencies=[Depends(require_read)],
)
def get_citation(
    request: Request,
    citation_id: CitationId,
    context: Annotated[
        int, Query(ge=0, le=5000, description="Characters of context either side.")
    ] = DEFAULT_CONTEXT_CHARS,
) -> dict[str, Any]:
    """``quote == article text[start:end]``, always."""
    return resolved_or_404(request, citation_id, context).record()
