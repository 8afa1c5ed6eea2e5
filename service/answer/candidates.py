"""Short-answer candidates: the entities of the expected type in the evidence, merged, filtered and ranked.

The steps, each in its own module:

* ``mentions``: the entities (or closed-class words) in the evidence sentences that fit the question;
* ``grouping``: variants of one name become one candidate ("CSTO", "Alcaraz", "U.S.");
* ``exclusions`` and ``gazetteers``: names the question itself mentions, news outlets (unless the
  question asks for one: "which broadcaster"), a city for "which country", a plainly titled person
  for "which cartel" are never answers;
* ``scoring``: support from every mention, its sentence's weight, the fit of its label, agreement
  across articles and the headlines;
* ``display``: how the winner is written ("Collective Security Treaty Organization (CSTO)",
  "Plymouth, Massachusetts").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial

from service.answer.display import PLACE_HEADS, display, fold_regions, region_of
from service.answer.exclusions import in_question, surely_person
from service.answer.gazetteers import OUTLET_HEADS, STATE_HEADS, fits_gazetteer, is_outlet
from service.answer.grouping import Candidate, expand, group_mentions, merge_variants, merge_with_head
from service.answer.mentions import Evidence, Mention
from service.answer.names import normalise
from service.answer.question_types import QuestionType
from service.answer.scoring import Weights, headline_support, is_numeric, score

__all__ = ["rank_candidates"]

_DEFAULT_WEIGHTS = Weights()
# "Which Indian state": another country's states, for which the US states are no list.
_FOREIGN_STATE = re.compile(r"\b(?!(?:Which|What|US|American|In|The|A|This|That)\b)[A-Z][a-z]+\s+states?\b")


def rank_candidates(
    question: str,
    qtype: QuestionType,
    mentions: Sequence[Mention],
    evidence: Sequence[Evidence] = (),
    weights: Weights = _DEFAULT_WEIGHTS,
    headlines: Sequence[tuple[str, float]] = (),
    sources: Sequence[str] = (),
) -> list[Candidate]:
    """Candidates for the short answer, best first (empty when nothing fits).

    ``evidence``: the sentences the mentions came from, searched again for names the
    recogniser missed. ``headlines``: (title, passage weight) of each article the passages
    come from; a headline that names a candidate adds ``weights.title`` times its weight.
    ``sources``: the articles' sources (outlet names or hosts): outlets are never answers,
    unless the question asks for one ("which broadcaster").
    """
    wants_outlet = qtype.head in OUTLET_HEADS
    gazetteer_head = qtype.head
    if qtype.head in STATE_HEADS and _FOREIGN_STATE.search(question):
        gazetteer_head = None
    asked = partial(in_question, qtype=qtype, question=question)
    candidates = merge_with_head(merge_variants(group_mentions(mentions), kept_apart=asked), qtype)
    out = []
    regions: dict[str, str] = {}  # candidate key -> key of the region written after it
    for cand in candidates:
        if in_question(cand, qtype, question):
            continue
        if not wants_outlet and is_outlet(cand.key, sources):
            continue
        if gazetteer_head and not fits_gazetteer(cand.key, gazetteer_head):
            continue
        if qtype.labels and qtype.prior("PERSON") < 0.5 and surely_person(cand):
            continue  # "President Donald Trump" is no cartel, however often the evidence names him
        expand(cand, evidence)
        cand.score = score(cand, qtype, weights, question)
        # A number in a headline says little about the question; a name there says a lot.
        if cand.score > 0 and weights.title and headlines and not is_numeric(cand):
            cand.score += weights.title * headline_support(cand, headlines)
        if cand.score <= 0:
            continue
        cand.display = display(cand)
        region = region_of(cand) if qtype.wh == "where" or qtype.head in PLACE_HEADS else None
        if region:
            cand.display = f"{cand.display}, {region}"
            regions[cand.key] = normalise(region)
        out.append(cand)
    out = fold_regions(out, regions)
    out.sort(key=lambda c: (-c.score, -len(c.articles), -max(m.evidence.weight for m in c.mentions), c.key))
    return out
