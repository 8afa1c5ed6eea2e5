"""Block Kit rendering: layout, escaping, and Slack's limits on an oversized answer."""

from __future__ import annotations

import json
import re
from typing import Any

from ingest.models import ArticleRecord
from service.answer.models import Answer, Citation
from service.slack.blocks import (
    MAX_BLOCKS,
    MAX_FALLBACK_CHARS,
    MAX_SECTION_CHARS,
    MAX_SOURCE_SECTIONS,
    NOT_FOUND_LEAD,
    citation_url,
    render_answer,
    render_notice,
    split_sections,
)

PUBLIC = "https://news.example.org/"


def citation(
    n: int, quote: str = "Peacekeepers were deployed.", title: str = "Peacekeepers arrive", **article: Any
) -> Citation:
    values = {
        "id": f"{n:016x}",
        "title": title,
        "source": "Wire Service",
        "authors": ["Lea Berg"],
        "published_at": "2022-01-11T00:18:00+05:30",
        "url": None,
    }
    values.update(article)
    return Citation(
        n=n,
        id=f"{n:016x}:10-{10 + len(quote)}",
        quote=quote,
        start=10,
        end=10 + len(quote),
        article=ArticleRecord(**values),
    )


def answer(**kw: Any) -> Answer:
    values: dict[str, Any] = {
        "question": "who sent peacekeepers?",
        "answer": "The CSTO sent peacekeepers [1].",
        "short_answer": "the CSTO",
        "answered": True,
        "as_of": "2022-01-12",
        "citations": [citation(1)],
        "answerer": "extractive",
    }
    values.update(kw)
    return Answer(**values)


def section_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def assert_within_limits(blocks: list[dict[str, Any]], text: str) -> None:
    assert len(blocks) <= MAX_BLOCKS
    assert len(text) <= MAX_FALLBACK_CHARS
    for block in blocks:
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= MAX_SECTION_CHARS
        if block["type"] == "context":
            assert all(len(e["text"]) <= 3000 for e in block["elements"])
    json.dumps(blocks)  # serialisable as Slack receives it


def test_an_answer_reads_short_answer_text_then_sources() -> None:
    message = render_answer(answer(), PUBLIC, feedback_key="k123")
    kinds = [b["type"] for b in message.blocks]
    assert kinds == ["section", "section", "context", "divider", "section", "section", "actions"]
    texts = section_texts(message.blocks)
    assert texts[0] == "*the CSTO*"
    assert texts[1] == "The CSTO sent peacekeepers [1]."
    assert texts[2] == "*Sources*"
    assert texts[3] == (
        "[1] <https://news.example.org/c/0000000000000001:10-37|Peacekeepers arrive> — Wire Service · Lea Berg · 2022-01-11\n"
        "> “Peacekeepers were deployed.”"
    )
    assert message.blocks[2]["elements"][0]["text"] == "as of 2022-01-12"
    buttons = message.blocks[-1]["elements"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [("feedback_up", "k123"), ("feedback_down", "k123")]
    assert message.text.startswith("the CSTO\nThe CSTO sent peacekeepers [1].\nSources: [1] Peacekeepers arrive")


def test_no_answer_is_said_plainly_without_sources() -> None:
    nothing = answer(
        answered=False,
        short_answer=None,
        citations=[],
        answer="The archive holds nothing that answers this question (searched articles up to 2022-01-05).",
    )
    message = render_answer(nothing, PUBLIC, feedback_key="k9", sources=["Reuters"])
    text = "\n".join(section_texts(message.blocks))
    assert text.startswith(NOT_FOUND_LEAD) and "searched articles up to 2022-01-05" in text
    assert "Sources" not in json.dumps(message.blocks) and "/c/" not in json.dumps(message.blocks)
    assert [b["type"] for b in message.blocks] == ["section", "context", "actions"]
    assert message.blocks[1]["elements"][0]["text"] == "as of 2022-01-12 · from Reuters"
    assert message.text.startswith(NOT_FOUND_LEAD)


def test_a_declined_answer_says_why_under_its_explanation() -> None:
    declined = answer(
        answered=False,
        short_answer=None,
        citations=[],
        answer="The archive holds nothing that answers this question (searched articles up to 2022-01-05).",
        notes=["no article found mentions 'Brennport'", "a <note> & more"],
    )
    message = render_answer(declined, PUBLIC)
    assert [b["type"] for b in message.blocks] == ["section", "context", "context"]
    why = message.blocks[1]["elements"][0]["text"]
    assert why == "Why: no article found mentions 'Brennport'; a &lt;note&gt; &amp; more"


def test_article_text_cannot_ping_a_channel_or_break_the_markup() -> None:
    hostile = answer(
        short_answer="*bold* <!channel>",
        answer="Ask <!here> & <@U123> about <https://evil.example|this> [1].",
        citations=[citation(1, quote="a > b & <!everyone>", title="Tom | Jerry <script>", source="A & B")],
    )
    message = render_answer(hostile, PUBLIC)
    raw = json.dumps(message.blocks) + message.text
    for ping in ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<https://evil.example"):
        assert ping not in raw
    texts = section_texts(message.blocks)
    assert texts[0] == "*∗bold∗ &lt;!channel&gt;*"
    assert "&lt;!here&gt; &amp; &lt;@U123&gt;" in texts[1]
    # One link per source, its label free of the pipe that would end it early.
    assert re.findall(r"<([^>]*)>", texts[3]) == [
        f"{citation_url(PUBLIC, hostile.citations[0].id)}|Tom ¦ Jerry &lt;script&gt;"
    ]
    assert "A &amp; B" in texts[3] and "a &gt; b &amp; &lt;!everyone&gt;" in texts[3]


def test_an_oversized_answer_is_trimmed_within_slack_limits() -> None:
    sentence = "The bloc deployed troops to guard airports, power stations and government buildings in the city [1]. "
    long_quote = "Peacekeepers of the Collective Security Treaty Organization were deployed to the country. " * 60
    huge = answer(
        short_answer="the Collective Security Treaty Organization " * 100,
        answer=sentence * 400,  # ~40,000 characters
        citations=[
            citation(
                n,
                quote=long_quote,
                title=f"Report {n}: " + "a very long headline about the deployment " * 20,
                authors=[f"Author {i}" for i in range(6)],
            )
            for n in range(1, 81)
        ],
    )
    message = render_answer(huge, PUBLIC, feedback_key="big")
    assert_within_limits(message.blocks, message.text)
    assert sum(len(t) for t in section_texts(message.blocks)) < 40_000
    texts = section_texts(message.blocks)
    assert texts[0].startswith("*the Collective") and texts[0].endswith("…*")
    answer_parts = texts[1:4]
    assert all(len(p) > 2000 for p in answer_parts) and answer_parts[-1].endswith("…")
    assert texts[4] == "*Sources*"
    sources = [t for t in texts if t.startswith("[")]
    assert [int(s[1 : s.index("]")]) for s in sources] == list(range(1, MAX_SOURCE_SECTIONS + 1))
    assert "Author 0, Author 1 et al." in sources[0]
    assert all("…" in s.split("\n> ")[1] for s in sources)  # quotes shortened, still readable
    overflow = texts[-1]
    assert overflow.startswith(f"{80 - MAX_SOURCE_SECTIONS} more sources: <https://news.example.org/c/")
    assert f"|[{MAX_SOURCE_SECTIONS + 1}] Report" in overflow and re.search(r"… and \d+ more$", overflow)
    assert message.blocks[-1]["type"] == "actions"
    assert message.text.endswith("…")


def test_many_short_sources_fit_in_the_last_section() -> None:
    many = answer(citations=[citation(n, title=f"T{n}") for n in range(1, 31)])
    message = render_answer(many, PUBLIC, feedback_key="k")
    assert_within_limits(message.blocks, message.text)
    overflow = section_texts(message.blocks)[-1]
    assert overflow.startswith("10 more sources: ") and overflow.count("|[") == 10 and overflow.endswith("|[30] T30>")


def test_split_sections_keeps_sentences_whole_and_escaping_within_the_limit() -> None:
    pieces = split_sections("A & B said so. " * 400, limit=300, max_parts=50)
    assert all(len(p) <= 300 for p in pieces)
    assert all(p.endswith("said so.") for p in pieces[:-1])
    one_long_word_run = split_sections("x" * 7000 + " end", limit=3000, max_parts=3)
    assert all(len(p) <= 3000 for p in one_long_word_run)


def test_a_notice_is_plain_text() -> None:
    message = render_notice("Sorry — I can't reach the news archive right now.")
    assert message.text == "Sorry — I can't reach the news archive right now."
    assert message.blocks == [{"type": "section", "text": {"type": "mrkdwn", "text": message.text}}]
