"""``GET /v1/search``: ranked passages with citation ids."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from service.http.auth import require_read
from service.http.deps import runtime_of, settings_of
from service.http.errors import ApiError
from service.http.limits import MAX_SOURCES
from service.http.routes.ask import check_question
from service.http.schemas import SearchResponse, error_responses, parse_day
from service.http.work_slots import work_slot
from service.retrieval.evidence import RankedPassage
from service.retrieval.hybrid import Using
from service.retrieval.limits import DEFAULT_K_SEARCH, K_MAX, K_MIN
from service.retrieval.outlet_hints import unknown_outlet_notes
from service.retrieval.window import empty_window, end_of, start_of

router = APIRouter(tags=["search"])


def day_param(value: str | None, name: str) -> Any:
    """A date query parameter, or 422 naming it."""
    try:
        return parse_day(value, name)
    except ValueError as exc:
        raise ApiError(422, str(exc), code="validation_error") from None


def window_params(since: str | None, until: str | None, as_of: str | None = None) -> tuple[Any, Any, Any]:
    """The ``since``, ``until`` and ``as_of`` parameters as days, or 422 when no article could fall between them."""
    days = day_param(since, "since"), day_param(until, "until"), day_param(as_of, "as_of")
    if problem := empty_window(*days):
        raise ApiError(422, problem, code="validation_error")
    return days


def sources_param(values: list[str] | None) -> list[str] | None:
    """Repeatable ``source`` parameters, cleaned."""
    cleaned = [v.strip() for v in values or [] if v and v.strip()]
    if len(cleaned) > MAX_SOURCES:
        raise ApiError(422, f"source: at most {MAX_SOURCES} outlets", code="validation_error")
    return cleaned or None


@router.get(
    "/v1/search",
    response_model=SearchResponse,
    summary="Passages that best match a query (dense + lexical)",
    responses=error_responses(401, 422, 503),
    dependencies=[Depends(require_read), Depends(work_slot)],
)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, description="What to look for.", examples=["peacekeepers Kazakhstan"])],
    k: Annotated[int, Query(ge=K_MIN, le=K_MAX, description="How many passages.")] = DEFAULT_K_SEARCH,
    source: Annotated[list[str] | None, Query(description="Only this outlet (repeatable).")] = None,
    since: Annotated[str | None, Query(description="Published on or after this date.", examples=["2022-01-01"])] = None,
    until: Annotated[str | None, Query(description="Published on or before this date.")] = None,
    as_of: Annotated[str | None, Query(description="Search as of this date: newer articles are invisible.")] = None,
    using: Annotated[
        Using, Query(description="Candidates from both retrievers (default), or only `dense` or `lexical` (BM25).")
    ] = "hybrid",
) -> SearchResponse:
    """Ranked passages; each ``id`` resolves through ``/v1/citations/{id}``."""
    query = q.strip()
    if not query:
        raise ApiError(422, "q: the query is empty", code="validation_error")
    check_question(query, settings_of(request).max_question_chars)
    since_day, until_day, as_of_day = window_params(since, until, as_of)
    result = runtime_of(request).retriever.retrieve(
        query,
        k=k,
        as_of=end_of(as_of_day),
        sources=sources_param(source),
        since=start_of(since_day),
        until=end_of(until_day),
        using=using,
    )
    return SearchResponse(
        query=query,
        results=[RankedPassage.of(n, p) for n, p in enumerate(result.passages, 1)],
        notes=unknown_outlet_notes(result.unknown_sources),
    )
