"""How a short answer is written: the way the articles write the name, in full.

A candidate is shown as the most common way the articles write its full name, with its acronym
when they use one too ("Collective Security Treaty Organization (CSTO)"), and a place with the
state or country the articles write after it ("Plymouth, Massachusetts").
"""

from __future__ import annotations

import re
from collections import Counter

from service.answer.gazetteers import is_country_or_state
from service.answer.grouping import Candidate
from service.answer.head_nouns import CLOSED_CLASSES
from service.answer.names import acronym, looks_like_acronym, normalise, surface

__all__ = ["PLACE_HEADS", "display", "fold_regions", "region_of"]

# Heads of places that sit inside a state or country, written after them ("which city"): fewer
# than heads_place.txt, whose countries and states need no region.
PLACE_HEADS = frozenset("city town village county municipality capital suburb".split())
_REGION_AFTER = re.compile(r",\s+((?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+)")


def display(cand: Candidate) -> str:
    """The most common way the articles write the candidate's full name, with its acronym when
    the articles use one too: "Collective Security Treaty Organization (CSTO)" (a reader may
    know either form)."""
    closed = any(m.label.lower() in CLOSED_CLASSES for m in cand.mentions)
    own = [m for m in cand.mentions if closed or normalise(m.text) == cand.key] or cand.mentions
    counts = Counter(surface(m.text) for m in own)
    best = max(counts.values())
    # Ties: the form of the most relevant mention.
    by_relevance = sorted(own, key=lambda m: -m.evidence.weight)
    shown = next((surface(m.text) for m in by_relevance if counts[surface(m.text)] == best), surface(own[0].text))
    initials = acronym(shown)
    if not initials or looks_like_acronym(shown):  # "U.S." is its own short form, not "U.S. (U.S.)"
        return shown
    short = next(
        (
            surface(m.text)
            for m in cand.mentions
            if looks_like_acronym(m.text) and surface(m.text).replace(".", "").lower() == initials
        ),
        None,
    )
    return f"{shown} ({short})" if short and f"({short})" not in shown else shown


def region_of(cand: Candidate) -> str | None:
    """The state or country the articles write after a place ("Plymouth, Massachusetts",
    "Oslo, Norway"): a bare "Plymouth" leaves the reader guessing."""
    if is_country_or_state(cand.key):
        return None
    regions: Counter[str] = Counter()
    for m in cand.mentions:
        after = _REGION_AFTER.match(m.evidence.sentence.text, m.end)
        if after and is_country_or_state(normalise(after.group(1))):
            regions[after.group(1)] += 1
    return regions.most_common(1)[0][0] if regions else None


def fold_regions(candidates: list[Candidate], regions: dict[str, str]) -> list[Candidate]:
    """ "Plymouth, Massachusetts" also answers for "Massachusetts": the place and its region are
    one answer, written in full, with the support of both. ``regions``: candidate key -> the key
    of the region shown after it."""
    by_key = {c.key: c for c in candidates}
    folded: set[str] = set()
    for cand in candidates:
        if cand.key in folded or cand.key not in regions:
            continue
        region = by_key.get(regions[cand.key])
        if region is not None and region is not cand and region.key not in folded:
            cand.score += region.score
            cand.mentions.extend(region.mentions)
            folded.add(region.key)
    return [c for c in candidates if c.key not in folded]
