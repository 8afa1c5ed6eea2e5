"""How newsdesk eval scores an answer against a quiz's choices."""

from __future__ import annotations

from datetime import date

from service.evaluation.realtimeqa import Question, is_correct, load_questions, mentions, picks_gold

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


def test_the_quotation_marks_around_a_titled_choice_are_not_part_of_its_name() -> None:
    film = Question(
        id="q", date=date(2026, 1, 8), text="Which film?", choices=["“F1”", "“Sinners”", "“Bugonia”", "“Wings”"], gold=1
    )
    assert is_correct(film, "Sinners", "…", answered=True)
    assert mentions("the Handmaid's Tale", "“The Handmaid’s Tale”")


def quiz(gold: str, *others: str) -> Question:
    return Question(id="q", date=date(2026, 1, 8), text="Which?", choices=[gold, *others], gold=0)


def test_by_choice_a_short_answer_picks_the_gold_choice_it_names_in_other_words() -> None:
    assert picks_gold(quiz("Tesla’s Elon Musk", "Apple’s Tim Cook", "Meta’s Mark Zuckerberg"), "Elon Musk")
    assert picks_gold(quiz("United Kingdom", "France", "Canada"), "UK")
    assert picks_gold(quiz("UN General Assembly", "World Economic Forum", "G7 Summit"), "U.N. General Assembly")
    assert picks_gold(quiz("Davos, Switzerland", "Paris, France", "Berlin, Germany"), "Davos")
    assert picks_gold(quiz("Skimo (Ski Mountaineering)", "Speed skiing", "Skijoring"), "ski mountaineering")
    assert picks_gold(
        quiz("Minnesota and Illinois", "Ohio and Pennsylvania", "Texas and Florida"), "Minnesota, Illinois"
    )


def test_by_choice_a_short_answer_that_names_only_a_detail_or_a_half_or_fits_two_choices_is_wrong() -> None:
    museum = quiz("The Louvre in Paris", "Prado Museum in Madrid", "British Museum in London")
    assert not picks_gold(museum, "Paris")
    assert not picks_gold(quiz("Missouri and Texas", "California and Texas", "Ohio and Florida"), "Texas")
    assert not picks_gold(quiz("Missouri and Texas", "Ohio and Florida", "Maine and Iowa"), "Texas")
    assert not picks_gold(quiz("Donald Trump Jr.", "Donald Trump", "Eric Trump"), "Trump")
    assert not picks_gold(quiz("United Kingdom", "France", "Canada"), "United States")
    assert not picks_gold(quiz("United Kingdom", "France", "Canada"), None)
