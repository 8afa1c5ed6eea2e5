"""An Answer as a Slack message: Block Kit blocks plus a plain ``text`` fallback for notifications.

Layout of an answered question::

    *short answer*                                  (section, bold)
    the answer text with its [n] markers            (one to three sections)
    as of 2022-01-11 · from Reuters                 (context)
    ─────                                           (divider)
    *Sources*                                       (section)
    [1] <{public_url}/c/{id}|Title> — Outlet · Author · date
    > “the verbatim quote”                          (one section per citation)
    [👍 Helpful] [👎 Not helpful]                    (actions, value = the feedback key)

Slack's limits are kept by construction: at most 50 blocks, at most 3,000 characters in any
section text (long answers are split at sentence ends into up to three sections, then cut with
"…"; quotes and titles are shortened), 20 sources in full (the rest are listed as links in one
last section), so a message stays far below Slack's 40,000 characters; and a fallback ``text`` of
at most 3,000 characters. When ``answered`` is false the message says so
plainly, says why (the answer's notes: "no article found mentions 'Brennport'"), and shows no sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote as url_quote

from service.answer.models import Answer, Citation
from service.watches.matching import Match

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_FALLBACK_CHARS = 3000
MAX_ANSWER_SECTIONS = 3
MAX_SOURCE_SECTIONS = (
    20  # more sources than this are listed as links: keeps the message readable and well under 40,000 characters
)
MAX_QUOTE_CHARS = 700
MAX_TITLE_CHARS = 200
MAX_CONTEXT_CHARS = 2000  # a context element's text limit is 3,000; keep it short anyway
ELLIPSIS = "…"

FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"

NOT_FOUND_LEAD = "I couldn't find the answer in the news archive."


@dataclass(frozen=True)
class SlackMessage:
    """What ``chat.postMessage`` (or a ``response_url``) gets: a fallback text and the blocks."""

    text: str
    blocks: list[dict[str, Any]]

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


# ----- text helpers ---------------------------------------------------------------------------


def escape(text: str) -> str:
    """Text safe inside mrkdwn: Slack's three control characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _no_markup(text: str) -> str:
    """Text that cannot open or close bold/italic/strike/code spans inside our own markup."""
    return text.replace("*", "∗").replace("_", "＿").replace("~", "∼").replace("`", "ʼ")


def _link_label(text: str) -> str:
    """A label for ``<url|label>``: escaped, without the pipe that would end it early."""
    return escape(text.replace("|", "¦"))


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary when one is near, with "…"."""
    text = text.strip()
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:-—") + ELLIPSIS


def _escaped_within(text: str, limit: int) -> str:
    """Escape ``text`` and keep the escaped result within ``limit`` (entities are never cut in half)."""
    out = escape(text)
    if len(out) <= limit:
        return out
    raw_limit = limit
    while raw_limit > 0:
        out = escape(shorten(text, raw_limit))
        if len(out) <= limit:
            return out
        raw_limit -= max(1, len(out) - limit)
    return ELLIPSIS


_SENTENCE_END = re.compile(r"(?<=[.!?\]])\s+|\n+")


def split_sections(text: str, limit: int = MAX_SECTION_CHARS, max_parts: int = MAX_ANSWER_SECTIONS) -> list[str]:
    """Escaped pieces of ``text``, each within ``limit``: split at sentence ends, the last one cut with "…"."""
    pieces: list[str] = []
    current = ""
    for sentence in (s for s in _SENTENCE_END.split(text.strip()) if s):
        candidate = f"{current} {sentence}" if current else sentence
        if len(escape(candidate)) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = sentence
        while len(escape(current)) > limit:  # one sentence longer than a section: split at a space
            head = current[: limit // 2]
            space = head.rfind(" ")
            if space > limit // 4:
                head = head[:space]
            pieces.append(head)
            current = current[len(head) :].lstrip()
    if current:
        pieces.append(current)
    if len(pieces) > max_parts:
        kept = pieces[:max_parts]
        kept[-1] = kept[-1].rstrip() + " " + ELLIPSIS
        pieces = kept
    return [_escaped_within(p, limit) for p in pieces] or [""]


def citation_url(public_url: str, citation_id: str) -> str:
    """The citation page: ``{public_url}/c/{id}``."""
    return f"{public_url.rstrip('/')}/c/{url_quote(citation_id, safe=':-')}"


def _day(published_at: str) -> str:
    return (published_at or "")[:10]


def _byline(authors: list[str]) -> str:
    names = [a for a in authors if a]
    if len(names) > 3:
        return ", ".join(names[:2]) + " et al."
    return ", ".join(names)


def citation_meta(citation: Citation) -> str:
    """ "Outlet · Author · date" (parts that are missing are left out)."""
    a = citation.article
    return " · ".join(x for x in (a.source, _byline(a.authors), _day(a.published_at)) if x)


def citation_text(
    citation: Citation, public_url: str, limit: int = MAX_SECTION_CHARS, quote_chars: int = MAX_QUOTE_CHARS
) -> str:
    """One source as mrkdwn: "[n] <link|Title> — Outlet · Author · date" and the quote beneath, within ``limit``."""
    title = shorten(citation.article.title or "(untitled)", MAX_TITLE_CHARS)
    meta = citation_meta(citation)
    head = f"[{citation.n}] <{citation_url(public_url, citation.id)}|{_link_label(title)}>"
    if meta:
        head += f" — {escape(meta)}"
    room = limit - len(head) - len("\n> “”")
    quote = _escaped_within(" ".join(citation.quote.split()), max(0, min(quote_chars, room)))
    return f"{head}\n> “{quote}”" if quote else head


def citation_link(citation: Citation, public_url: str) -> str:
    """A short "<link|[n] Title>" for the overflow list."""
    label = _link_label(shorten(citation.article.title or "(untitled)", 80))
    return f"<{citation_url(public_url, citation.id)}|[{citation.n}] {label}>"


# ----- blocks ---------------------------------------------------------------------------------


def section(text: str) -> dict[str, Any]:
    assert len(text) <= MAX_SECTION_CHARS, len(text)
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_CONTEXT_CHARS]}]}


def feedback_actions(feedback_key: str) -> dict[str, Any]:
    """👍 / 👎 buttons; both carry the key under which the answer was recorded."""
    return {
        "type": "actions",
        "block_id": "newsdesk_feedback",
        "elements": [
            {
                "type": "button",
                "action_id": FEEDBACK_UP,
                "value": feedback_key,
                "text": {"type": "plain_text", "text": "👍 Helpful", "emoji": True},
            },
            {
                "type": "button",
                "action_id": FEEDBACK_DOWN,
                "value": feedback_key,
                "text": {"type": "plain_text", "text": "👎 Not helpful", "emoji": True},
            },
        ],
    }


def scope_line(
    answer: Answer, sources: list[str] | None = None, asked_by: str | None = None, question: str | None = None
) -> str:
    """The context line: who asked what (slash commands), what a follow-up was searched as, the date
    the archive was read as of, outlet filters."""
    parts = []
    if asked_by and question:
        parts.append(f"<@{asked_by}> asked: {_escaped_within(question, 300)}")
    if answer.standalone_question and answer.standalone_question != answer.question:
        parts.append(f"searched as: {_escaped_within(answer.standalone_question, 300)}")
    parts.append(f"as of {escape(answer.as_of)}")
    if sources:
        parts.append("from " + escape(", ".join(sources)))
    return " · ".join(parts)


def render_answer(
    answer: Answer,
    public_url: str,
    *,
    feedback_key: str | None = None,
    sources: list[str] | None = None,
    asked_by: str | None = None,
) -> SlackMessage:
    """The Answer as a Slack message within Slack's limits (see the module docstring)."""
    if not answer.answered:
        return _render_not_found(answer, feedback_key, sources, asked_by)
    blocks: list[dict[str, Any]] = []
    if answer.short_answer:
        blocks.append(
            section("*" + _escaped_within(_no_markup(answer.short_answer.strip()), MAX_SECTION_CHARS - 2) + "*")
        )
    blocks.extend(section(p) for p in split_sections(answer.answer))
    blocks.append(context(scope_line(answer, sources, asked_by, answer.question)))
    tail = [feedback_actions(feedback_key)] if feedback_key else []
    if answer.citations:
        blocks.append({"type": "divider"})
        blocks.append(section("*Sources*"))
        blocks.extend(_source_blocks(answer.citations, public_url, room=MAX_BLOCKS - len(blocks) - len(tail)))
    blocks.extend(tail)
    assert len(blocks) <= MAX_BLOCKS
    return SlackMessage(text=fallback_text(answer), blocks=blocks)


def _source_blocks(citations: list[Citation], public_url: str, room: int) -> list[dict[str, Any]]:
    """One section per citation while they fit; the rest as links in one last section."""
    if len(citations) <= min(room, MAX_SOURCE_SECTIONS):
        return [section(citation_text(c, public_url)) for c in citations]
    shown = max(min(room - 1, MAX_SOURCE_SECTIONS), 0)
    blocks = [section(citation_text(c, public_url)) for c in citations[:shown]]
    rest = citations[shown:]
    header = f"{len(rest)} more source{'s' if len(rest) != 1 else ''}: "
    links: list[str] = []
    used = len(header)
    for i, c in enumerate(rest):
        link = citation_link(c, public_url)
        more = f" {ELLIPSIS} and {len(rest) - i} more"
        if used + len(link) + 2 + len(more) > MAX_SECTION_CHARS:
            links.append(f"{ELLIPSIS} and {len(rest) - i} more")
            break
        links.append(link)
        used += len(link) + 2
    if room > 0:
        blocks.append(section(header + ", ".join(links)))
    return blocks


def _render_not_found(
    answer: Answer, feedback_key: str | None, sources: list[str] | None, asked_by: str | None
) -> SlackMessage:
    explanation = _escaped_within(answer.answer, MAX_SECTION_CHARS - len(NOT_FOUND_LEAD) - 1)
    blocks: list[dict[str, Any]] = [section(f"{NOT_FOUND_LEAD}\n{explanation}")]
    if answer.notes:
        blocks.append(context(_escaped_within("Why: " + "; ".join(answer.notes), MAX_CONTEXT_CHARS)))
    blocks.append(context(scope_line(answer, sources, asked_by, answer.question)))
    if feedback_key:
        blocks.append(feedback_actions(feedback_key))
    return SlackMessage(text=_escaped_within(f"{NOT_FOUND_LEAD} {answer.answer}", MAX_FALLBACK_CHARS), blocks=blocks)


def fallback_text(answer: Answer) -> str:
    """Plain text for notifications and clients without blocks: short answer, answer, source titles.

    Escaped like mrkdwn: Slack parses this field too, and article text must never become a
    ``<!channel>`` ping or a link.
    """
    lines = []
    if answer.short_answer:
        lines.append(answer.short_answer)
    lines.append(answer.answer)
    if answer.citations:
        lines.append(
            "Sources: " + "; ".join(f"[{c.n}] {c.article.title} ({citation_meta(c)})" for c in answer.citations)
        )
    return _escaped_within("\n".join(lines), MAX_FALLBACK_CHARS)


def render_notice(text: str) -> SlackMessage:
    """A short plain message (errors, help) as text and one section."""
    return SlackMessage(
        text=_escaped_within(text, MAX_FALLBACK_CHARS), blocks=[section(_escaped_within(text, MAX_SECTION_CHARS))]
    )


def render_markup(mrkdwn: str) -> SlackMessage:
    """A short message of mrkdwn the caller built, mentions and all (it escaped what users typed)."""
    text = mrkdwn if len(mrkdwn) <= MAX_SECTION_CHARS else shorten(mrkdwn, MAX_SECTION_CHARS)
    return SlackMessage(text=text, blocks=[section(text)])


def render_alert(match: Match, public_url: str) -> SlackMessage:
    """A topic alert: the watched topic, then the new story as a source with the sentence that matched."""
    article, sentence = match.article, match.sentence
    citation = Citation(
        n=1,
        id=f"{article.id}:{sentence.start}-{sentence.end}",
        quote=sentence.text,
        start=sentence.start,
        end=sentence.end,
        article=article.to_record(),
    )
    topic = shorten(match.watch.topic, 200)
    lead = f"New on “{escape(topic)}”"
    blocks = [
        section(f"*{lead}*"),
        section(citation_text(citation, public_url)),
        context(f"watch {match.watch.id} · `/newsdesk unwatch {match.watch.id}` stops these alerts"),
    ]
    fallback = f"{lead}: {article.title or '(untitled)'} ({citation_meta(citation)})"
    return SlackMessage(text=_escaped_within(fallback, MAX_FALLBACK_CHARS), blocks=blocks)
