"""Questions about a date still to come are not answered with a date that had passed when it was reported."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_extractive import article, passage

from service.answer.extractive import ExtractiveAnswerer
from service.answer.future_dates import asks_about_the_future, before_its_report
from service.answer.nlp import load_nlp

REPORTED = datetime(2025, 9, 18, tzinfo=UTC)


@pytest.fixture(scope="module")
def answerer() -> ExtractiveAnswerer:
    return ExtractiveAnswerer(nlp=load_nlp())


@pytest.mark.parametrize(
    ("question", "future"),
    [
        ("when is her funeral?", True),
        ("when will he be back on the air?", True),
        ("when does his contract run out?", True),
        ("When did the federal government shut down?", False),
        ("when was the lawsuit filed?", False),
    ],
)
def test_a_when_question_in_the_present_or_future_asks_for_a_date_still_to_come(question: str, future: bool) -> None:
    assert asks_about_the_future(question) is future


@pytest.mark.parametrize(
    ("written", "before"),
    [
        ("1977", True),
        ("Sept. 15", True),  # read in the report's year
        ("Aug. 2024", True),
        ("Dec. 10", False),
        ("May 2026", False),
        ("2025", False),  # the report's own year: it may be still to come
        ("Monday", False),  # no month, no year: nothing sure
        ("the coming weeks", False),
    ],
)
def test_a_date_is_before_its_report_only_when_surely_so(written: str, before: bool) -> None:
    assert before_its_report(written, REPORTED) is before


def test_a_funeral_not_yet_set_is_declined_not_answered_with_a_date_from_the_past(answerer: ExtractiveAnswerer) -> None:
    obituary = article(
        "Helga Sand, who founded the Zorbix bridge works in 1977, has died. Her funeral will be announced later."
    ).model_copy(update={"published_at": REPORTED})
    question = "When is Helga Sand's funeral?"
    draft = answerer.answer(question, [passage(obituary, question)])
    assert draft.answered is False and draft.short_answer is None
    assert (
        answerer.answer(
            "When did Helga Sand found the Zorbix bridge works?", [passage(obituary, question)]
        ).short_answer
        == "1977"
    )

    planned = article("Helga Sand's funeral will be held on Sept. 24 in Port Alden.").model_copy(
        update={"published_at": REPORTED}
    )
    assert (
        answerer.answer(question, [passage(obituary, question), passage(planned, question)]).short_answer == "Sept. 24"
    )
