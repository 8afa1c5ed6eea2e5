"""Answers that rest only on sentences about another year than the one asked about.

"Who won the 2025 Nobel Peace Prize?", asked before the award, finds "... won the Peace Prize in
2023": the sentence names a year, and not the one asked. A question naming no year asks about the
news of its time, the year of its ``as_of`` or the two before: "Who won the New York City mayoral
election?", asked the day before the 2025 vote, finds "Adams won the mayoralty after winning the 2021
Democratic primary", and "How long did the federal government shutdown last?", asked during the 2025
one, finds the 35 days of 2018-19. An answer each of whose sentences speaks only of other years
answers another event of the same kind. A sentence naming no year keeps the answer: its story's own
date may well be the year asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from service.answer.question_types import classify
from service.retrieval.time_hints import YEAR

__all__ = ["other_years"]


def other_years(question: str, as_of: date, sentences: Sequence[str], short_answer: str | None) -> list[str]:
    """The years ``sentences`` speak of, when every sentence names one and none is a year the question
    asks about; empty when the answer may stand.

    A question that names a year asks about it. One that names none asks about ``as_of``'s year or the
    two before (measured on dev: one year back also declined a right answer resting on a sentence two
    years old, "LeBron James" for the NBA's longest career), unless it asks "when" or is answered with a
    year ("when did the Berlin Wall fall?"): then an earlier year is the answer, not a sign of another event.
    """
    said = [set(YEAR.findall(sentence)) for sentence in sentences]
    if not said or not all(said):
        return []
    named = set(YEAR.findall(question))
    if named:
        stale = not any(years & named for years in said)
    else:
        if classify(question).wh == "when" or YEAR.search(short_answer or ""):
            return []
        stale = all(int(year) < as_of.year - 2 for years in said for year in years)
    return sorted(set().union(*said)) if stale else []
