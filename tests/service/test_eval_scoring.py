"""How newsdesk eval scores an answer against a quiz's choices."""

from __future__ import annotations

from datetime import date

from service.evaluation.realtimeqa import Question, is_correct, load_questions, mentions

QUIZ = Question(
    id="q", date=date(2025, 9, 4), text="Which country?", choices=["Pakistan", "Afghanistan", "India", "Japan"], gold=1
)


def test_the_gold_choice_alone_in_the_short_answer_is_correct() -> None:
    assert is_correct(QUIZ, "Afghanistan", "…", answered=True)


def test_naming_another_choice_too_is_wrong() -> None:
    assert not is_correct(QUIZ, "Afghanistan or Pakistan", "…", answered=True)


def test_without_a_short_answer_the_answer_text_is_scored() -> None:
    assert is_correct(QUIZ, None, "The quake struck Afghanistan [1].", answered=True)


def test_an_abstention_is_never_correct() -> None:
    assert not is_correct(QUIZ, "Afghanistan", "", answered=False)


def test_matching_ignores_case_curly_quotes_and_a_leading_the_but_not_word_boundaries() -> None:
    assert mentions("new york times", "The New York Times")
    assert mentions("Ben & Jerry's", "Ben & Jerry’s")
    assert not mentions("Indiana", "India")


def test_a_choice_inside_the_gold_choice_does_not_count_against_it() -> None:
    quiz = Question(
        id="q", date=date(2025, 9, 4), text="Who?", choices=["Korea", "North Korea", "Japan", "China"], gold=1
    )
    assert is_correct(quiz, "North Korea", "…", answered=True)


def test_the_development_split_holds_only_questions_before_2026(shared_dir) -> None:  # type: ignore[no-untyped-def]
    dev = load_questions(shared_dir / "datasets" / "realtimeqa_2025-09_to_2026-04", "dev")
    assert len(dev) == 180
    assert all(q.date < date(2026, 1, 1) for q in dev)
