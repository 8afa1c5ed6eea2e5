"""Every way the evidence writes one name becomes one candidate."""

from __future__ import annotations

from collections.abc import Iterable

from evidence_builder import evidence, mention

from service.answer.grouping import Candidate, expand, group_mentions, merge_variants, merge_with_head
from service.answer.question_types import classify


def keys(candidates: Iterable[Candidate]) -> list[str]:
    return sorted(c.key for c in candidates)


def test_an_acronym_joins_the_long_name_it_abbreviates() -> None:
    ev = evidence("The Collective Security Treaty Organization (CSTO) sent troops; the CSTO said more would come.")
    found = [mention(ev, "Collective Security Treaty Organization", "ORG"), mention(ev, "CSTO", "ORG", 1)]
    merged = merge_variants(group_mentions(found))
    assert keys(merged) == ["collective security treaty organization"]
    assert len(merged[0].mentions) == 2


def test_a_surname_joins_the_full_name_even_when_labelled_otherwise() -> None:
    ev = evidence("Carlos Alcaraz won the final. Alcaraz lifted the trophy.")
    merged = merge_variants(group_mentions([mention(ev, "Carlos Alcaraz", "PERSON"), mention(ev, "Alcaraz", "ORG", 1)]))
    assert keys(merged) == ["carlos alcaraz"]


def test_a_short_name_two_full_names_end_with_stays_apart() -> None:
    ev = evidence("North Korea and South Korea met; Korea was the topic.")
    found = [mention(ev, "North Korea", "GPE"), mention(ev, "South Korea", "GPE"), mention(ev, "Korea", "GPE", 2)]
    assert keys(merge_variants(group_mentions(found))) == ["korea", "north korea", "south korea"]


def test_plural_and_singular_closed_class_words_are_one_answer() -> None:
    ev = evidence("A winter storm came after two winter storms.")
    found = [mention(ev, "winter storm", "WEATHER"), mention(ev, "winter storms", "WEATHER")]
    assert keys(group_mentions(found).values()) == ["winter storm"]


def test_a_place_joins_its_name_with_the_head_noun_asked_for() -> None:
    ev = evidence("Gaza City was hit; Gaza was without power.")
    grouped = merge_variants(group_mentions([mention(ev, "Gaza City", "GPE"), mention(ev, "Gaza", "GPE", 1)]))
    assert keys(merge_with_head(grouped, classify("Which city was hit?"))) == ["gaza city"]


def test_names_the_recogniser_missed_are_found_again_in_the_evidence() -> None:
    first = evidence("Globex Corporation won the bridge contract.")
    second = evidence("Shares of Globex Corporation rose.", passage=1, article="a2")
    (cand,) = group_mentions([mention(first, "Globex Corporation", "ORG")]).values()
    expand(cand, [first, second])
    assert cand.articles == {"a1", "a2"}
