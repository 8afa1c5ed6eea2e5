"""Names of a known kind: news outlets, countries and US states.

Outlets write the articles and are (almost) never the answer, unless the question asks for one
("which broadcaster"). "Which country" / "which state" accept only a country / a US state.
The names themselves are data: outlets in ``ingest.normalise.outlets`` (the one list newsdesk
keeps), countries and states in ``wordlists/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from ingest.normalise.outlets import outlet_names
from service.answer.wordlists import word_set

__all__ = ["OUTLET_HEADS", "STATE_HEADS", "fits_gazetteer", "is_country_or_state", "is_outlet"]

# Heads for which an outlet is the expected answer ("which broadcaster was sued").
OUTLET_HEADS = frozenset(
    "broadcaster network channel newspaper magazine outlet publication paper station agency service show".split()
)
_COUNTRY_HEADS = frozenset("country nation".split())
STATE_HEADS = frozenset("state".split())


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@cache
def _squashed_outlets() -> frozenset[str]:
    return frozenset(_squash(name) for name in outlet_names())


def is_outlet(key: str, sources: Iterable[str] = ()) -> bool:
    """Is ``key`` (a normalised name) a news outlet: a known one, or the articles' own source
    ("usatoday.com" names "USA TODAY")?"""
    sq = _squash(key)
    if not sq:
        return False
    if sq in _squashed_outlets():
        return True
    for source in sources:
        host = source.lower().removeprefix("www.")
        if re.search(r"\.(?:gov|mil|int|org|edu)(?:\.[a-z]{2})?$", host):
            continue  # nasa.gov, un.org: institutions, which may well be the answer
        host = re.sub(r"\.(?:co|com)?\.?[a-z]{2,3}$", "", host)
        name = _squash(host)
        if name and (sq == name or sq == _squash(host)):
            return True
    return False


def _gazetteer_key(key: str) -> str:
    return key.replace(".", "").replace(" of the ", " of ").strip()


@cache
def _keys(list_name: str) -> frozenset[str]:
    return frozenset(_gazetteer_key(name) for name in word_set(list_name))


def is_country_or_state(key: str) -> bool:
    """Is ``key`` (a normalised name) a country or a US state?"""
    return _gazetteer_key(key) in _keys("countries") or _gazetteer_key(key) in _keys("us_states")


def fits_gazetteer(cand_key: str, head: str | None) -> bool:
    """For "which country" / "which state": is the candidate one (a city is not)?"""
    if head in _COUNTRY_HEADS:
        return _gazetteer_key(cand_key) in _keys("countries")
    if head in STATE_HEADS:
        return _gazetteer_key(cand_key) in _keys("us_states")
    return True
