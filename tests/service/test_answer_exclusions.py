"""Candidates that cannot be the answer: names the question itself mentions, and plainly titled persons."""

from __future__ import annotations

from evidence_builder import evidence, mention

from service.answer.exclusions import in_question, surely_person
from service.answer.grouping import Candidate, group_mentions
from service.answer.question_types import classify


def candidate(text: str, written: str, label: str) -> Candidate:
    (cand,) = group_mentions([mention(evidence(text), written, label)]).values()
    return cand


def named(question: str, text: str, written: str, label: str = "GPE") -> bool:
    return in_question(candidate(text, written, label), classify(question), question)


def test_a_name_the_question_mentions_is_not_an_answer() -> None:
    question = "Who did Tokayev say stormed Kazakhstan?"
    assert named(question, "Gunmen stormed Kazakhstan.", "Kazakhstan")
    assert named(question, "Kassym-Jomart Tokayev spoke.", "Kassym-Jomart Tokayev", "PERSON")
    assert not named(question, "Terrorists trained abroad, the CSTO said.", "CSTO", "ORG")


def test_a_country_is_named_by_its_adjective_and_a_name_by_its_acronym() -> None:
    assert named("Why did Israeli troops move?", "Israel moved troops.", "Israel")
    assert named(
        "What did the CSTO do?",
        "The Collective Security Treaty Organization met.",
        "Collective Security Treaty Organization",
        "ORG",
    )


def test_a_generic_last_word_in_the_question_does_not_name_a_place() -> None:
    assert not named("Which city was hit?", "Strikes hit Gaza City.", "Gaza City")


def test_a_plural_in_the_question_names_the_singular() -> None:
    assert named("Which states sued the Lakers?", "The Laker sued.", "Laker", "ORG")


def test_a_titled_person_is_surely_a_person_but_a_quoted_company_is_not() -> None:
    assert surely_person(candidate("President Donald Trump signed it.", "Donald Trump", "PERSON"))
    assert not surely_person(candidate("Nestlé said prices would rise.", "Nestlé", "PERSON"))
    assert not surely_person(candidate("Governor of Texas", "Texas", "GPE"))
