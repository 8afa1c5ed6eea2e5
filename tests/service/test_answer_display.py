"""How a short answer is written: as the articles write the name, in full, with its acronym or region."""

from __future__ import annotations

from evidence_builder import evidence, mention

from service.answer.display import display, fold_regions, region_of
from service.answer.grouping import group_mentions, merge_variants


def test_a_name_is_shown_as_most_articles_write_it_with_the_acronym_they_use() -> None:
    ev = evidence("The Collective Security Treaty Organization (CSTO) met; the CSTO agreed.")
    found = [mention(ev, "Collective Security Treaty Organization", "ORG"), mention(ev, "CSTO", "ORG", 1)]
    (cand,) = merge_variants(group_mentions(found))
    assert display(cand) == "Collective Security Treaty Organization (CSTO)"


def test_the_most_common_spelling_wins() -> None:
    evs = [evidence("the Taliban government"), evidence("The Taliban said"), evidence("THE TALIBAN")]
    found = [
        mention(evs[0], "the Taliban", "ORG"),
        mention(evs[1], "The Taliban", "ORG"),
        mention(evs[2], "THE TALIBAN", "ORG"),
    ]
    (cand,) = group_mentions(found).values()
    assert display(cand) == "Taliban"


def test_a_place_is_shown_with_the_state_the_articles_write_after_it() -> None:
    ev = evidence("The ship landed in Plymouth, Massachusetts, in 1620.")
    (cand,) = group_mentions([mention(ev, "Plymouth", "GPE")]).values()
    assert region_of(cand) == "Massachusetts"


def test_a_state_or_country_gets_no_region() -> None:
    ev = evidence("Storms hit Texas, United States.")
    (cand,) = group_mentions([mention(ev, "Texas", "GPE")]).values()
    assert region_of(cand) is None


def test_a_place_and_its_region_are_one_answer_with_the_support_of_both() -> None:
    ev = evidence("The ship landed in Plymouth, Massachusetts.")
    grouped = group_mentions([mention(ev, "Plymouth", "GPE"), mention(ev, "Massachusetts", "GPE")])
    grouped["plymouth"].score, grouped["massachusetts"].score = 1.0, 0.5
    (folded,) = fold_regions(list(grouped.values()), {"plymouth": "massachusetts"})
    assert folded.key == "plymouth" and folded.score == 1.5
