"""Questions typed in Slack: mentions and markup removed, "as of" and outlet hints read and removed."""

from __future__ import annotations

from datetime import date

import pytest

from service.slack.hints import read_hints
from service.slack.text import clean_question

OUTLETS = ["Reuters", "Bay Post", "The Guardian", "Harbour Times", "Asianet Newsable"]


@pytest.mark.parametrize(
    ("typed", "question", "as_of", "sources"),
    [
        ("who sent peacekeepers?", "who sent peacekeepers?", None, []),
        ("who sent peacekeepers, as of 2022-01-10?", "who sent peacekeepers?", date(2022, 1, 10), []),
        ("as of 10 January 2022 who sent peacekeepers?", "who sent peacekeepers?", date(2022, 1, 10), []),
        ("who sent peacekeepers (as of Jan 10, 2022)", "who sent peacekeepers", date(2022, 1, 10), []),
        ("According to Reuters, who sent peacekeepers?", "who sent peacekeepers?", None, ["Reuters"]),
        (
            "who sent peacekeepers? from the Bay Post or Reuters",
            "who sent peacekeepers?",
            None,
            ["Bay Post", "Reuters"],
        ),
        (
            "who leads Zorbix according to the guardian, as of 2024-03-05?",
            "who leads Zorbix?",
            date(2024, 3, 5),
            ["The Guardian"],
        ),
        ("per Harbour Times, how many stops?", "how many stops?", None, ["Harbour Times"]),
        # Not an outlet the archive holds, or no cue: the words stay part of the question.
        ("who got help from Russia?", "who got help from Russia?", None, []),
        ("what did Reuters say about the ferry strike?", "what did Reuters say about the ferry strike?", None, []),
        # Not a date: left alone.
        ("as of 2022-13-45 who won?", "as of 2022-13-45 who won?", None, []),
    ],
)
def test_hints_are_read_and_removed(typed: str, question: str, as_of: date | None, sources: list[str]) -> None:
    hints = read_hints(typed, OUTLETS)
    assert (hints.question, hints.as_of, hints.sources) == (question, as_of, sources)


def test_a_question_of_hints_alone_is_empty() -> None:
    assert read_hints("from Reuters as of 2022-01-10", OUTLETS).question == ""


def test_no_outlets_stored_means_no_outlet_hints() -> None:
    assert read_hints("according to Reuters, who won?", []).sources == []


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("<@UBOT> who sent peacekeepers?", "who sent peacekeepers?"),
        ("<@UBOT|newsdesk>: who sent peacekeepers?", "who sent peacekeepers?"),
        ("hey <@UBOT>, who sent peacekeepers?", "hey, who sent peacekeepers?"),
        ("<@UBOT> did <@U0ED> see <#C1|news>?", "did @U0ED see #news?"),
        (
            "<@UBOT> what is at <https://example.org/a|this page> &amp; <https://x.org>?",
            "what is at this page & https://x.org?",
        ),
        ("<@UBOT> is 3 &lt; 4 &gt; 2", "is 3 < 4 > 2"),
        ("<@UBOT>", ""),
    ],
)
def test_slack_markup_becomes_a_plain_question(text: str, question: str) -> None:
    assert clean_question(text, "UBOT") == question
