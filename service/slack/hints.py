"""Hints in a Slack question: "as of 2022-01-10" sets ``as_of``; "from Reuters" narrows the outlets.

People in Slack cannot pass ``--as-of`` or ``--source``, so they say it in words::

    who sent peacekeepers, as of 10 January 2022?      -> as_of 2022-01-10
    according to Reuters, who sent peacekeepers?       -> sources ["Reuters"]
    who sent peacekeepers? from the Bay Post or Reuters -> sources ["Bay Post", "Reuters"]

Only outlets the archive holds are read as outlets (so "help from Russia" stays a question about
Russia), under any of their known spellings ("from the Associated Press" names the archive's "AP";
``ingest.normalise.outlets``), after a cue: "from", "according to", "per", "(as) reported by". The hint is removed from
the question, which is then asked as the rest reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from dateutil import parser as date_parser

from ingest.normalise.outlets import spellings_of

_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_MONTH = r"[A-Za-z]{3,9}\.?"
_DATE = (
    rf"\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{4}}/\d{{1,2}}/\d{{1,2}}"
    rf"|{_DAY}\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+{_DAY},?\s+\d{{4}}"
)
_AS_OF = re.compile(rf"[,;(]?\s*\bas\s+(?:of|at|on)\s+(?P<date>{_DATE})\)?", re.IGNORECASE)
_CUE = r"(?:according\s+to|from|per|(?:as\s+)?reported\s+by)"
_JOIN = r"\s*(?:,|and|or|&)\s*"


@dataclass(frozen=True)
class Hints:
    """The question with its hints taken out, and what they asked for."""

    question: str
    as_of: date | None = None
    sources: list[str] = field(default_factory=list)


def read_as_of(question: str) -> tuple[str, date | None]:
    """``question`` without its "as of DATE" and the date (None when there is none, or it is no date)."""
    for found in _AS_OF.finditer(question):
        try:
            day = date_parser.parse(found.group("date"), dayfirst=False, fuzzy=False).date()
        except (ValueError, OverflowError):
            continue
        return tidy(question[: found.start()] + " " + question[found.end() :]), day
    return question, None


def read_outlets(question: str, known_outlets: Iterable[str]) -> tuple[str, list[str]]:
    """``question`` without its "from OUTLET (or OUTLET)" and the stored outlets it named."""
    known = list(known_outlets)
    # An outlet's own name wins over another outlet's spelling of it ("Associated Press" beside "AP").
    names = {_bare(s): o for o in known for s in sorted(spellings_of(o)) if len(_bare(s)) >= 2}
    names.update({_bare(o).lower(): o for o in known if len(_bare(o)) >= 2})
    if not names:
        return question, []
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    one = rf"(?:the\s+)?(?:{alternatives})"
    pattern = re.compile(rf"[,;]?\s*\b{_CUE}\s+(?P<list>{one}(?:{_JOIN}{one})*)\b", re.IGNORECASE)
    found = pattern.search(question)
    if not found:
        return question, []
    named = re.findall(rf"\b(?:{alternatives})\b", found.group("list"), flags=re.IGNORECASE)
    outlets = list(dict.fromkeys(names[n.lower()] for n in named))
    return tidy(question[: found.start()] + " " + question[found.end() :]), outlets


def read_hints(question: str, known_outlets: Iterable[str] = ()) -> Hints:
    """All hints in ``question`` (see the module docstring)."""
    rest, as_of = read_as_of(question)
    rest, sources = read_outlets(rest, known_outlets)
    return Hints(question=rest, as_of=as_of, sources=sources)


def tidy(text: str) -> str:
    """Spaces and punctuation left tidy after a phrase was cut out."""
    text = " ".join(text.split())
    text = re.sub(r"\s+([?.!,;:)])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"([,;:])(?=[?.!]|$)", "", text)
    text = re.sub(r",{2,}", ",", text)
    return text.strip().lstrip(",;: ").strip()


def _bare(outlet: str) -> str:
    return re.sub(r"^the\s+", "", outlet.strip(), flags=re.IGNORECASE)
