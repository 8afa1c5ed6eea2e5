"""``GET /`` (ask a question, see the cited answer) and ``GET /c/{citation_id}`` (the quote in its article)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from service.citations import citation_text
from service.conversation.chat import ChatQuestion, ConversationNotFound
from service.conversation.models import Conversation, Turn
from service.conversation.store import is_public_id
from service.http.auth import require_read
from service.http.deps import metrics_of, runtime_of, settings_of
from service.http.pages.render import linked_markers, page
from service.http.routes.citations import resolved_or_404
from service.http.schemas import parse_day
from service.http.work_slots import work_slot

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
    c: Annotated[str, Query(max_length=64, description="The conversation to continue.")] = "",
) -> HTMLResponse:
    """The ask form; with ``?q=`` the answer, rendered on the server; with ``?c=`` the conversation so far.

    The form carries the conversation id in a hidden field, so follow-ups work without JavaScript.
    Reloading the page does not ask again: a question identical to the conversation's last one
    shows the thread as it is.
    """
    question = q.strip()
    limit = settings_of(request).max_question_chars
    context: dict[str, object] = {
        "title": "Ask the archive",
        "question": "",
        "as_of": as_of,
        "limit": limit,
        "answer": None,
        "error": None,
        "conversation_id": "",
        "earlier": [],
    }
    owner = request.app.state.access.owner(request)
    chat = runtime_of(request).chat
    conversation: Conversation | None = None
    status = 200
    if c:
        try:
            if not is_public_id(c):
                raise ConversationNotFound("no such conversation")
            conversation = chat.conversation(c, owner)
        except ConversationNotFound:
            context["error"] = "That conversation has expired or does not exist; this question starts a new one."
            status = 404 if not question else 200
    if question:
        try:
            day = parse_day(as_of, "as of")
            if len(question) > limit:
                raise ValueError(f"The question is longer than {limit:,} characters.")
        except ValueError as exc:
            context["error"] = str(exc)
            context["question"] = question
            status = 422
        else:
            last = conversation.turns[-1] if conversation and conversation.turns else None
            if (
                conversation is None
                or last is None
                or last.question != question
                or (last.as_of_requested or "") != (day.isoformat() if day else "")
            ):
                asked = ChatQuestion(
                    question=question, conversation_id=conversation.id if conversation else None, owner=owner, as_of=day
                )
                answer = chat.ask(asked)
                metrics_of(request).count_answer(answer, "page")
                conversation = chat.conversation(str(answer.conversation_id), owner)
    if conversation is not None and conversation.turns:
        context["question"] = ""
        context.update(_thread_context(conversation))
        context["title"] = f"{conversation.turns[-1].question} — newsdesk"
    return page("ask.html", context, status)


def _thread_context(conversation: Conversation) -> dict[str, object]:
    """The conversation's earlier turns and its last one, each with its citations linked."""
    *earlier, last = conversation.turns
    return {
        "conversation_id": conversation.id,
        "earlier": [_turn_context(t, f"t{t.n}-cite-") for t in earlier],
        **_turn_context(last, "cite-"),
    }


def _turn_context(turn: Turn, anchor: str) -> dict[str, object]:
    return {
        "answer": turn,
        "anchor": anchor,
        "answer_html": linked_markers(turn.answer, len(turn.citations), anchor),
        "citations": [{"c": c, "href": citation_href(c.id)} for c in turn.citations],
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
