"""How much the evidence supports a candidate: agreement across articles, the fit of a label, where it stands."""

from __future__ import annotations

from evidence_builder import evidence, mention

from service.answer.grouping import group_mentions
from service.answer.mentions import Mention
from service.answer.question_types import classify
from service.answer.scoring import Weights, headline_support, is_numeric, score, vague_date

WEIGHTS = Weights()


def support(question: str, found: list[Mention]) -> dict[str, float]:
    qtype = classify(question)
    return {key: score(cand, qtype, WEIGHTS, question) for key, cand in group_mentions(found).items()}


def test_agreement_across_articles_beats_repetition_in_one() -> None:
    one = [evidence(f"Acme won the contract, report {i} said.", passage=0, article="a1") for i in range(3)]
    many = [evidence("Globex won the contract.", passage=i, article=f"b{i}") for i in range(1, 3)]
    found = [mention(ev, "Acme", "ORG") for ev in one] + [mention(ev, "Globex", "ORG") for ev in many]
    scores = support("Which company won the contract?", found)
    assert scores["globex"] > scores["acme"]


def test_the_speaker_of_a_statement_counts_for_less_than_its_subject() -> None:
    said = evidence("Troops arrived in the capital, Tokayev said.")
    subject = evidence("Nazarbayev stepped down as head of the council.", passage=1, article="a2")
    scores = support(
        "Who leads the council?", [mention(said, "Tokayev", "PERSON"), mention(subject, "Nazarbayev", "PERSON")]
    )
    assert scores["nazarbayev"] == 2 * scores["tokayev"]


def test_a_vague_date_is_barely_an_answer_to_when_and_none_to_which_holiday() -> None:
    assert vague_date("this week") and vague_date("Monday") and vague_date("decades")
    assert not vague_date("August 31") and not vague_date("2025") and not vague_date("Diwali")
    ev = evidence("The festival began this week on August 31.")
    scores = support(
        "When did the festival begin?", [mention(ev, "this week", "DATE"), mention(ev, "August 31", "DATE")]
    )
    assert scores["this week"] < scores["august 31"]
    assert support("Which holiday began?", [mention(ev, "this week", "DATE")]) == {"this week": 0.0}


def test_a_name_beside_the_questions_head_noun_counts_for_more() -> None:
    beside = evidence("Members of the cartel Tren de Aragua were arrested.")
    elsewhere = evidence("Police in Chile arrested members of Tren de Aragua.", passage=0, article="a1")
    question = "Which cartel had members arrested?"
    assert (
        support(question, [mention(beside, "Tren de Aragua", "ORG")])["tren de aragua"]
        > support(question, [mention(elsewhere, "Tren de Aragua", "ORG")])["tren de aragua"]
    )


def test_a_headline_naming_a_candidate_supports_it_but_numbers_are_told_apart() -> None:
    ev = evidence("Globex Corporation won the contract for 400 million dollars.")
    grouped = group_mentions([mention(ev, "Globex Corporation", "ORG"), mention(ev, "400 million dollars", "MONEY")])
    headlines = [("Globex Corporation wins bridge deal", 1.0), ("City budget", 0.5)]
    assert headline_support(grouped["globex corporation"], headlines) == 1.0
    assert not is_numeric(grouped["globex corporation"])
    assert is_numeric(grouped["400 million dollars"])


def test_a_time_of_day_without_a_time_is_barely_an_answer_to_when() -> None:
    ev = evidence("The late-night host returns on September 23.")
    scores = support(
        "When does the host return?", [mention(ev, "late-night", "TIME"), mention(ev, "September 23", "DATE")]
    )
    assert scores["late-night"] < scores["september 23"]


def test_an_age_is_never_a_year_or_a_month() -> None:
    ev = evidence("The 31-year-old founder started the group in 2012 and spoke in May.")
    found = [mention(ev, "31-year-old", "DATE"), mention(ev, "2012", "DATE"), mention(ev, "May", "DATE")]
    scores = support("How old was the founder?", found)
    assert scores["31-year-old"] > 0 and scores["2012"] == 0 and scores["may"] == 0


def test_a_length_of_time_is_never_a_year_or_a_month() -> None:
    ev = evidence("The department has 30 days to release the files, passed on November 18 after a 2018 law.")
    found = [mention(ev, "30 days", "DATE"), mention(ev, "November 18", "DATE"), mention(ev, "2018", "DATE")]
    scores = support("How long does the department have to release the files?", found)
    assert scores["30 days"] > 0 and scores["november 18"] == 0 and scores["2018"] == 0
