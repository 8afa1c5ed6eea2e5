"""How an evidence sentence ends decides what it can be: an answer's sentence, a fragment, or a question."""

from __future__ import annotations

import pytest

from service.answer.sentence_ends import asks, ends_sentence


@pytest.mark.parametrize(
    "text",
    [
        "Who voted against releasing the Epstein files?",
        "What happens next? ",
        '"Why would we pay for that?"',
        "Will the talks resume (and when?)",
    ],
)
def test_a_sentence_ending_in_a_question_mark_asks(text: str) -> None:
    assert asks(text) and ends_sentence(text)


@pytest.mark.parametrize(
    "text",
    [
        "The House voted 427-1 to release the files.",
        '"Who else helped Epstein?" she asked.',
        "Council approves river tram line after six-hour debate",
    ],
)
def test_a_statement_or_a_headline_does_not_ask(text: str) -> None:
    assert not asks(text)


def test_a_headline_or_a_byline_does_not_end_like_a_sentence() -> None:
    assert not ends_sentence("Council approves river tram line after six-hour debate")
    assert not ends_sentence("By Lea Berg")
    assert ends_sentence("The line will have 19 stops.")
    assert ends_sentence("\u201cIt is the most important decision,\u201d she said.\u201d")
