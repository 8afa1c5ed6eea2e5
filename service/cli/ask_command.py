"""``newsdesk ask``: a cited answer from the archive."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from ingest.store import StoreError
from service.answer.ask import AskRequest
from service.answer.models import Answer
from service.cli.dates import option_window
from service.cli.output import console, fail, print_json
from service.cli.state import runtime_from
from service.conversation.chat import ChatQuestion, ConversationNotFound
from service.conversation.store import ConversationFull
from service.retrieval.limits import DEFAULT_K_ASK, K_MAX, K_MIN


def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="The question, in plain words.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Answer as of this date: newer articles are invisible.")
    ] = None,
    source: Annotated[list[str] | None, typer.Option("--source", help="Only this outlet (repeatable).")] = None,
    since: Annotated[str | None, typer.Option(help="Only articles published on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Only articles published on or before this date.")] = None,
    k: Annotated[
        int, typer.Option("--k", min=K_MIN, max=K_MAX, help="Passages of evidence to consider.")
    ] = DEFAULT_K_ASK,
    conversation: Annotated[
        str | None,
        typer.Option(
            "--conversation",
            help="Ask within a conversation: 'new' starts one (its id is printed), an id continues it (follow-ups are "
            "read against its turns; its filters carry over). Without it, the question is asked on its own.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as one JSON document.")] = False,
) -> None:
    """Answer QUESTION from the archive, citing verbatim passages."""
    if not question.strip():
        raise typer.BadParameter("the question is empty", param_hint="QUESTION")
    since_day, until_day, as_of_day = option_window(since, until, as_of)
    runtime = runtime_from(ctx)
    try:
        if conversation is None:
            answer = runtime.asker.ask(
                AskRequest(question=question, sources=source, k=k, as_of=as_of_day, since=since_day, until=until_day)
            )
        else:
            asked = ChatQuestion(
                question=question,
                conversation_id=None if conversation == "new" else conversation,
                sources=source,
                k=k,
                as_of=as_of_day,
                since=since_day,
                until=until_day,
            )
            answer = runtime.chat.ask(asked)
    except StoreError as exc:
        fail(str(exc), code="store_unavailable", as_json=as_json)
    except ConversationNotFound as exc:
        fail(str(exc), code="conversation_not_found", as_json=as_json)
    except ConversationFull as exc:
        fail(str(exc), code="conversation_full", as_json=as_json)
    if as_json:
        print_json(answer.model_dump(mode="json"))
        return
    print_answer(answer)


def print_answer(answer: Answer) -> None:
    """The answer for a terminal: short answer, text with [n], then the sources."""
    if answer.short_answer and answer.answered:
        console.print(f"[bold]{escape(answer.short_answer)}[/]")
    if answer.standalone_question and answer.standalone_question != answer.question:
        console.print(f"[dim]searched as: {escape(answer.standalone_question)}[/]", highlight=False)
    console.print(escape(answer.answer))
    for note in answer.notes:
        console.print(f"[yellow]note:[/] {escape(note)}")
    if answer.citations:
        console.print("\n[bold]Sources[/]")
    for c in answer.citations:
        a = c.article
        meta = " · ".join(x for x in (a.source, ", ".join(a.authors), a.published_at[:10]) if x)
        console.print(f"[{c.n}] [bold]{escape(a.title)}[/] — {escape(meta)}", highlight=False)
        console.print(f"    “{escape(c.quote)}”", highlight=False)
        if a.url:
            console.print(f"    {escape(a.url)}", style="blue", highlight=False)
        console.print(f"    [dim]{c.id}[/]", highlight=False)
    if answer.timings_ms:  # none when nothing ran ("new question" on its own)
        console.print(f"[dim]as of {answer.as_of} · {answer.answerer} · {answer.timings_ms.get('total', 0):.0f} ms[/]")
    if answer.conversation_id:
        console.print(
            f"[dim]conversation {answer.conversation_id} (--conversation {answer.conversation_id} asks a follow-up)[/]",
            highlight=False,
        )
