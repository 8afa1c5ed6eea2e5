"""What a question's head noun asks for: an organisation for "which cartel", a colour for "which color"."""

from __future__ import annotations

from service.answer.head_nouns import CLOSED_CLASSES, CLOSED_HEADS, head_singular, labels_for_head
from service.answer.question_types import classify


def test_a_head_noun_names_the_kind_of_entity_that_answers_it() -> None:
    assert max(labels_for_head("cartel"), key=labels_for_head("cartel").get) == "ORG"
    assert max(labels_for_head("senator"), key=labels_for_head("senator").get) == "PERSON"
    assert max(labels_for_head("river"), key=labels_for_head("river").get) == "LOC"
    assert labels_for_head("price") == {"MONEY": 1.0, "CARDINAL": 0.3}


def test_a_plural_head_noun_asks_for_what_its_singular_does() -> None:
    assert head_singular("countries") == "country"
    assert head_singular("businesses") == "business"
    assert labels_for_head("Countries") == labels_for_head("country")


def test_an_unknown_head_noun_asks_for_nothing_in_particular() -> None:
    assert labels_for_head("thingamajig") == {}
    assert head_singular("widgets") == "widgets"


def test_kinds_of_answer_without_a_label_are_closed_classes_of_words() -> None:
    assert CLOSED_HEADS["colour"] == "color" and "turquoise" in CLOSED_CLASSES["color"]
    assert CLOSED_HEADS["virus"] == "disease" and "measles" in CLOSED_CLASSES["disease"]
    assert "friday" in CLOSED_CLASSES["weekday"]


def test_how_strong_asks_for_a_measurement() -> None:
    asked = classify("how strong were the hurricane's winds?")
    assert asked.wh == "how measure" and asked.prior("QUANTITY") == 1.0


def test_a_range_asks_for_a_percentage_or_an_amount() -> None:
    asked = classify("what range did the fed cut rates to?")
    assert asked.prior("PERCENT") == 1.0 and asked.prior("ORG") == 0.0
