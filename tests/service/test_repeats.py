"""A follow-up's short answer that only repeats what the conversation already said is no answer to it."""

from __future__ import annotations

from service.answer.repeats import repeats


def test_an_earlier_answer_given_again_is_a_repeat() -> None:
    assert repeats("three", ["how many times has the Fed cut in january?", "three"])
    assert repeats("Louisville, Kentucky", ["Louisville"])  # the earlier answer, with more words


def test_a_name_of_the_question_searched_is_a_repeat() -> None:
    assert repeats("Jannik Sinner", ["who did Jannik Sinner beat?"])
    assert repeats("the US Open", ["final score? (context: Jannik Sinner won the us open men's final)"])


def test_something_new_is_no_repeat() -> None:
    assert not repeats("Carlos Alcaraz", ["who did Jannik Sinner beat?", "Jannik Sinner"])
    assert not repeats("Sinnerman", ["Jannik Sinner"])  # whole words only
    assert not repeats("", ["anything"])


def test_a_name_said_in_the_possessive_is_a_repeat() -> None:
    assert repeats("Oxford", ["what is Merriam-Webster's word of the year? (context: Oxford's word of the year)"])
    assert repeats("Oxford’s", ["Oxford"])
