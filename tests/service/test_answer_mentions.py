"""Mentions of possible answers: the recogniser's entities with its plainest slips fixed, and closed-class words."""

from __future__ import annotations

from evidence_builder import evidence

from service.answer.mentions import closed_class_mentions, entity_mentions, relabel
from service.answer.question_types import classify


def spans(text: str, *entities: tuple[str, str]) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of each ``(written, label)`` as the recogniser would give them."""
    return [(text.index(written), text.index(written) + len(written), label) for written, label in entities]


def test_a_sum_of_money_keeps_its_currency_word() -> None:
    text = "The club paid 410 million euros for the stadium."
    found = entity_mentions([evidence(text)], [spans(text, ("410 million", "CARDINAL"))], classify("How much?"))
    assert [(m.text, m.label) for m in found] == [("410 million euros", "MONEY")]


def test_a_sum_of_money_keeps_its_currency_sign() -> None:
    text = "Tickets cost $2,000 each."
    found = entity_mentions([evidence(text)], [spans(text, ("2,000", "MONEY"))], classify("How much did tickets cost?"))
    assert [m.text for m in found] == ["$2,000"]


def test_a_brand_name_is_not_taken_for_a_person() -> None:
    text = "McDonald's said it would raise wages."
    found = entity_mentions(
        [evidence(text)], [spans(text, ("McDonald", "PERSON"))], classify("Which chain raised wages?")
    )
    assert [(m.text, m.label) for m in found] == [("McDonald's", "ORG")]


def test_a_company_or_a_mountain_is_relabelled_by_its_telling_word() -> None:
    assert relabel("Globex Corporation", "PERSON") == "ORG"
    assert relabel("Mount Everest", "PERSON") == "LOC"
    assert relabel("Jane Corporal", "PERSON") == "PERSON"


def test_a_place_takes_the_head_noun_the_question_asks_for() -> None:
    text = "Strikes hit Gaza City on Monday."
    found = entity_mentions([evidence(text)], [spans(text, ("Gaza", "GPE"))], classify("Which city was hit?"))
    assert [m.text for m in found] == ["Gaza City"]


def test_only_entities_that_fit_the_question_are_mentions() -> None:
    text = "Kenya sent 400 police officers."
    ents = spans(text, ("Kenya", "GPE"), ("400", "CARDINAL"))
    found = entity_mentions([evidence(text)], [ents], classify("How many officers did Kenya send?"))
    assert [m.text for m in found] == ["400"]


def test_closed_class_words_are_found_with_their_plurals_and_longest_phrase_first() -> None:
    text = "A total lunar eclipse follows two winter storms."
    assert [m.text for m in closed_class_mentions([evidence(text)], "sky")] == ["total lunar eclipse"]
    assert [m.text for m in closed_class_mentions([evidence(text)], "weather")] == ["winter storms"]
