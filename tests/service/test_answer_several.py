"""Questions asking for several names: "which two states", "which countries"."""

from __future__ import annotations

from evidence_builder import evidence, mention

from service.answer.grouping import group_mentions
from service.answer.question_types import classify
from service.answer.several import asks_for_several, asks_for_two, join_listed, join_pair


def test_which_two_asks_for_two_names() -> None:
    assert asks_for_two("Which two states sued the company?")
    assert asks_for_two("Who were the two finalists?")
    assert not asks_for_two("Which state sued the company?")


def test_two_names_are_joined_in_the_order_a_sentence_gives_them() -> None:
    ev = evidence("Missouri and Texas sued the company.")
    grouped = group_mentions([mention(ev, "Missouri", "GPE"), mention(ev, "Texas", "GPE")])
    for cand in grouped.values():
        cand.display = cand.mentions[0].text
    pair = join_pair(grouped["texas"], grouped["missouri"])
    assert pair.display == "Missouri and Texas"


def test_a_plural_head_noun_asks_for_several_names() -> None:
    question = "Which countries have sent troops?"
    assert asks_for_several(question, classify(question))
    question = "Which country has sent troops?"
    assert not asks_for_several(question, classify(question))


def test_names_listed_in_one_sentence_are_one_answer() -> None:
    ev = evidence("Russia, Armenia and Belarus sent troops.")
    grouped = group_mentions([mention(ev, "Russia", "GPE"), mention(ev, "Armenia", "GPE")])
    for cand in grouped.values():
        cand.display, cand.score = cand.mentions[0].text, 1.0
    listed = join_listed(list(grouped.values()))
    assert listed is not None and listed.display == "Russia, Armenia and Belarus"
