"""The extractive decline rule: an answer must stand in a sentence about what the question asks."""

from __future__ import annotations

import pytest
from test_extractive import article, passage

from service.answer.ask import MIN_COVERAGE, AskRequest, off_the_question
from service.answer.coverage import content_weights, coverage, unmentioned_names
from service.answer.extractive import ExtractiveAnswerer
from service.answer.nlp import load_nlp
from service.answer.question_types import classify
from service.settings import ServiceSettings

OUSTED = article(
    "Nestle ousted its chief executive Laurent Freixe on Monday over a violation of its code of conduct. "
    "The company said an investigation found an undisclosed relationship with a subordinate.",
    title="Nestle ousts CEO",
)


@pytest.fixture(scope="module")
def answerer() -> ExtractiveAnswerer:
    return ExtractiveAnswerer(nlp=load_nlp())


def test_the_question_words_that_count_leave_out_the_asked_type_and_its_time_and_names_weigh_more() -> None:
    question = "Which NBA team fired its head coach this week?"
    weights = content_weights(question, classify(question, load_nlp()), name_weight=3.0)
    assert weights == {"nba": 3.0, "fired": 1.0, "head": 1.0, "coach": 1.0}


def test_the_words_of_how_many_and_how_much_ask_and_say_nothing_of_the_subject() -> None:
    question = "How many people died in the fire at the Zorbix plant?"
    weights = content_weights(question, classify(question, load_nlp()))
    assert "many" not in weights and set(weights) == {"died", "fire", "zorbi", "plant"}
    question = "how much does the new phone cost?"
    assert set(content_weights(question, classify(question, load_nlp()))) == {"new", "phone", "cost"}


def test_a_name_is_a_capitalised_word_inside_a_sentence_or_an_acronym_at_its_start() -> None:
    question = "Pilots reported a laser in Chicago. NASA said what?"
    weights = content_weights(question, classify(question, load_nlp()), name_weight=2.0)
    assert weights["chica"] == 2.0 and weights["nasa"] == 2.0 and weights["pilot"] == 1.0


def test_coverage_is_the_weighted_share_of_question_words_in_the_sentence_or_its_headline() -> None:
    weights = {"nba": 3.0, "fired": 1.0, "coach": 1.0}
    assert coverage(weights, ["The Titans fired coach Brian Callahan."]) == pytest.approx(2 / 5)
    assert coverage(weights, ["He was fired on Monday.", "NBA team fires its coach"]) == 1.0
    assert coverage({}, ["anything"]) == 1.0


def test_an_answer_from_a_story_about_something_else_is_declined(answerer: ExtractiveAnswerer) -> None:
    question = "Which company ousted its chief financial officer over accounting fraud?"
    draft = answerer.answer(question, [passage(OUSTED, question)])
    assert draft.short_answer == "Nestle"  # the nearest story's name, which the coverage rule then declines
    assert draft.coverage is not None and draft.coverage < MIN_COVERAGE
    assert off_the_question(AskRequest(question), draft, MIN_COVERAGE)
    assert not off_the_question(AskRequest(question), draft, 0.0)  # no threshold: answered as before


def test_the_same_story_answers_the_question_it_holds(answerer: ExtractiveAnswerer) -> None:
    question = "Which company ousted its chief executive over a code of conduct violation?"
    draft = answerer.answer(question, [passage(OUSTED, question)])
    assert draft.answered and draft.short_answer == "Nestle"
    assert not off_the_question(AskRequest(question), draft, MIN_COVERAGE)


def test_a_follow_up_is_not_held_to_the_words_its_rewrite_took_from_the_conversation(
    answerer: ExtractiveAnswerer,
) -> None:
    question = "Which company ousted its chief financial officer over accounting fraud?"
    draft = answerer.answer(question, [passage(OUSTED, question)])
    follow_up = AskRequest(question, asked="and its financial officer?")
    assert draft.coverage is not None and draft.coverage < MIN_COVERAGE
    assert not off_the_question(follow_up, draft, MIN_COVERAGE)


def test_the_names_a_question_gives_that_no_passage_mentions_are_found_as_written() -> None:
    texts = ["A cargo plane crashed near Louisville, Ky., on Tuesday.", "U.S. investigators arrive"]
    assert unmentioned_names("Where did the UPS cargo plane crash in the US?", texts) == ["UPS"]
    assert unmentioned_names("Where did the cargo plane crash in the U.S.?", texts) == []


def test_days_months_and_a_capitalised_first_word_are_no_names_a_passage_must_repeat() -> None:
    texts = ["The plane crashed on Nov. 4."]
    assert unmentioned_names("Where did the plane crash on Tuesday in November?", texts) == []
    assert unmentioned_names("Crashed planes: where did this one crash?", texts) == []


def test_the_coverage_rule_is_on_by_default_at_its_calibrated_threshold() -> None:
    assert ServiceSettings().min_coverage == MIN_COVERAGE > 0


def test_an_abbreviation_the_passages_spell_out_is_mentioned() -> None:
    texts = ["Taxpayers in the United States must file by April 15, the Internal Revenue Service said."]
    assert unmentioned_names("What is the filing deadline for most US taxpayers, says the IRS?", texts) == []
    assert unmentioned_names("What is the filing deadline for UK taxpayers?", texts) == ["UK"]


def test_a_follow_up_left_as_typed_is_held_to_the_rule_like_any_question(answerer: ExtractiveAnswerer) -> None:
    question = "Which company ousted its chief financial officer over accounting fraud?"
    draft = answerer.answer(question, [passage(OUSTED, question)])
    assert off_the_question(AskRequest(question, asked=question.upper()), draft, MIN_COVERAGE)
