"""An answer whose every sentence speaks of another year than the one asked about is no answer."""

from __future__ import annotations

from datetime import date

from service.answer.other_years import other_years

NOV_2025 = date(2025, 11, 3)


def test_a_question_naming_a_year_is_not_answered_from_sentences_about_another() -> None:
    question = "Who won the 2025 Zorbix Prize?"
    assert other_years(question, NOV_2025, ["Helga Sand won the Zorbix Prize in 2023."], "Helga Sand") == ["2023"]
    assert other_years(question, NOV_2025, ["Helga Sand won the 2025 Zorbix Prize."], "Helga Sand") == []


def test_a_question_naming_no_year_asks_about_the_last_few_years() -> None:
    question = "Who won the mayoral election?"
    old = ["Adams won the mayoralty after winning the 2021 Democratic primary."]
    assert other_years(question, NOV_2025, old, "Adams") == ["2021"]
    assert other_years(question, NOV_2025, ["Mamdani led the polls all through 2025."], "Mamdani") == []
    assert other_years(question, NOV_2025, ["Sand set the record in 2023."], "Sand") == []


def test_one_sentence_naming_no_year_keeps_the_answer() -> None:
    sentences = ["Adams won the mayoralty in 2021.", "Adams won the vote, officials said."]
    assert other_years("Who won the mayoral election?", NOV_2025, sentences, "Adams") == []


def test_a_when_question_or_a_year_answer_may_rest_on_an_earlier_year() -> None:
    fell = ["The Berlin Wall fell in November 1989."]
    assert other_years("When did the Berlin Wall fall?", NOV_2025, fell, "November 1989") == []
    assert other_years("In which year did the Berlin Wall fall?", NOV_2025, fell, "1989") == []
