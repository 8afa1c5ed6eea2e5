"""``GET /`` (ask a question, see the cited answer) and ``GET /c/{citation_id}`` (the quote in its article)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from service.answer.ask import AskRequest
from service.answer.models import Answer
from service.citations import citation_text
from service.http.auth import require_read
from service.http.work_slots import work_slot
from service.http.deps import metrics_of, runtime_of, settings_of
from service.http.pages.render import linked_markers, page
from service.http.routes.citations import resolved_or_404
from service.http.schemas import parse_day

router = APIRouter(tags=["pages"], include_in_schema=False)

QUOTE_ANCHOR = "quote"


def citation_href(citation_id: str) -> str:
    """Where a citation link points: its page, scrolled to the quote even without JavaScript."""
    return f"/c/{citation_id}#{QUOTE_ANCHOR}"


def public_base(request: Request) -> str:
    """The base URL people reach this server under (NEWSDESK_PUBLIC_URL when set, else this request's)."""
    settings = settings_of(request)
    if "public_url" in settings.model_fields_set:
        return settings.public_url.rstrip("/")
    return str(request.base_url).rstrip("/")


@router.get("/", response_class=HTMLResponse, dependencies=[Depends(require_read), Depends(work_slot)])
def ask_page(
    request: Request,
    q: Annotated[str, Query(max_length=100_000)] = "",
    as_of: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    """The ask form; with ``?q=`` the answer, rendered on the server."""
    question = q.strip()
    limit = settings_of(request).max_question_chars
    context: dict[str, object] = {"title": "Ask the archive", "question": question, "as_of": as_of, "limit": limit, "answer": None, "error": None}
    status = 200
    if question:
        try:
            day = parse_day(as_of, "as of")
            if len(question) > limit:
                raise ValueError(f"The question is longer than {limit:,} characters.")
        except ValueError as exc:
            context["error"] = str(exc)
            status = 422
        else:
            answer = runtime_of(request).asker.ask(AskRequest(question=question, as_of=day))
            metrics_of(request).count_answer(answer, "page")
            context.update(_answer_context(answer))
            context["title"] = f"{question} — newsdesk"
    return page("ask.html", context, status)


def _answer_context(answer: Answer) -> dict[str, object]:
    return {
        "answer": answer,
        "answer_html": linked_markers(answer.answer, len(answer.citations)),
        "citations": [{"c": c, "href": citation_href(c.id)} for c in answer.citations],
    }


@router.get("/c/{citation_id}", response_class=HTMLResponse, dependencies=[Depends(require_read)])
def citation_page(request: Request, citation_id: str) -> HTMLResponse:
    """The whole article, escaped, with exactly the quote inside ``<mark id="quote">``."""
    found = resolved_or_404(request, citation_id)
    article = found.article
    text = article.text
    link = f"{public_base(request)}/c/{found.id}"
    return page(
        "citation.html",
        {
            "title": f"{article.title} — newsdesk",
            "cite": found,
            "article": article,
            "before": text[: found.start],
            "quote": found.quote,
            "after": text[found.end :],
            "anchor": QUOTE_ANCHOR,
            "copy_text": citation_text(article, found.quote, link),
            "permalink": link,
        },
    )
