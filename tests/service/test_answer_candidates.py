"""Ranking the short-answer candidates: the filters and the order a reader sees."""

from __future__ import annotations

from evidence_builder import evidence, mention

from service.answer.candidates import rank_candidates
from service.answer.mentions import Mention
from service.answer.question_types import classify


def ranked(question: str, found: list[Mention], sources: tuple[str, ...] = ()) -> list[str]:
    return [c.display for c in rank_candidates(question, classify(question), found, sources=sources)]


def test_a_news_outlet_is_no_answer_unless_the_question_asks_for_one() -> None:
    ev = evidence("Reuters reported that Globex bought the network.")
    found = [mention(ev, "Reuters", "ORG"), mention(ev, "Globex", "ORG")]
    assert ranked("Which company bought the network?", found) == ["Globex"]
    assert "Reuters" in ranked("Which agency reported the sale?", found)


def test_which_country_is_answered_by_a_country_not_a_city() -> None:
    ev = evidence("Troops landed in Almaty, Kazakhstan, on Monday.")
    found = [mention(ev, "Almaty", "GPE"), mention(ev, "Kazakhstan", "GPE")]
    assert ranked("Which country did the troops land in?", found) == ["Kazakhstan"]


def test_a_place_is_shown_with_its_region_and_takes_the_regions_support() -> None:
    ev = evidence("The ship landed in Plymouth, Massachusetts.")
    found = [mention(ev, "Plymouth", "GPE"), mention(ev, "Massachusetts", "GPE")]
    assert ranked("Where did the ship land?", found) == ["Plymouth, Massachusetts"]


def test_the_best_supported_candidate_comes_first() -> None:
    evs = [evidence("Globex won the contract.", passage=i, article=f"a{i}") for i in range(2)]
    other = evidence("Acme bid for the contract.", passage=2, article="a2")
    found = [mention(ev, "Globex", "ORG") for ev in evs] + [mention(other, "Acme", "ORG")]
    assert ranked("Which company won the contract?", found) == ["Globex", "Acme"]


def test_a_name_the_question_gives_lends_no_support_to_a_longer_name_ending_in_it() -> None:
    evs = [evidence(f"The Fed cut rates for the {n} time.", passage=n, article=f"a{n}") for n in range(3)]
    vote = evidence("Voting against were Stephen Miran and New York Fed staff.", passage=3, article="a3")
    miran = evidence("Miran was the lone vote against the Fed's action.", passage=4, article="a4")
    found = [mention(ev, "Fed", "ORG") for ev in evs]
    found += [mention(vote, "Stephen Miran", "PERSON"), mention(vote, "New York Fed", "ORG")]
    found += [mention(miran, "Miran", "PERSON")]
    assert ranked("Who voted against the Fed's rate cut?", found)[0] == "Stephen Miran"
