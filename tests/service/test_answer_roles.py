"""Who did what to whom: a question's role and the parser's reading of the evidence pick the winner, not the loser."""

from __future__ import annotations

import pytest
from test_extractive import article, passage

from service.answer.extractive import ExtractiveAnswerer
from service.answer.nlp import load_nlp
from service.answer.question_types import classify
from service.answer.scoring import Weights


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Who won the Zorbix Open final?", "agent"),
        ("Which team won the World Series?", "agent"),
        ("who did he beat?", "patient"),
        ("who did Jannik Sinner beat?", "patient"),
        ("Who was posthumously awarded the Presidential Medal of Freedom?", "patient"),
        ("When did the final take place?", None),
    ],
)
def test_a_question_asks_for_the_one_who_acted_or_the_one_acted_on(question: str, role: str | None) -> None:
    assert classify(question, load_nlp()).role == role


FINAL = article("Carlos Alcaraz beat Jannik Sinner in the Zorbix Open final on Sunday.", title="Zorbix Open")
PREVIEW = article("Jannik Sinner had reached the final.", title="Tennis", source="Daily Rumour")
MEDAL = article("Donald Trump awarded the Zorbix Medal to Helga Sand on Monday.", title="Medal", source="City Paper")
MEDAL_AGAIN = article("Donald Trump spoke at the ceremony for the medal.", title="Medal", source="Wire Service")


def test_the_winner_is_the_one_who_beat_the_other_not_the_one_more_often_named() -> None:
    question = "Who won the Zorbix Open final?"
    passages = [passage(FINAL, question), passage(PREVIEW, question, 0.9)]
    without_roles = ExtractiveAnswerer(nlp=load_nlp(), weights=Weights(role=0.0))
    assert without_roles.answer(question, passages).short_answer == "Jannik Sinner"  # two articles name him

    assert ExtractiveAnswerer(nlp=load_nlp()).answer(question, passages).short_answer == "Carlos Alcaraz"


def test_the_one_given_a_medal_is_not_the_one_who_gave_it() -> None:
    question = "Who was awarded the Zorbix Medal?"
    passages = [passage(MEDAL, question), passage(MEDAL_AGAIN, question, 0.9)]
    without_roles = ExtractiveAnswerer(nlp=load_nlp(), weights=Weights(role=0.0))
    assert without_roles.answer(question, passages).short_answer == "Donald Trump"

    assert ExtractiveAnswerer(nlp=load_nlp()).answer(question, passages).short_answer == "Helga Sand"
