"""Questions that ask for several names at once: "which countries are they from?", "which two states?".

One name answers only part of such a question. When the evidence lists several fitting
candidates in one sentence ("Russia, Armenia, Belarus, Kyrgyzstan and Tajikistan"), the short
answer is that list, in the sentence's order, supported by the sentence. "Which two" questions
get the best two candidates as one answer ("Missouri and Texas").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.answer.grouping import Candidate
from service.answer.mentions import Mention
from service.answer.plurals import is_plural_of
from service.answer.question_types import NAME_LABELS, QuestionType

__all__ = ["asks_for_several", "asks_for_two", "join_listed", "join_pair"]

_ASKING = re.compile(r"\b(?:which|what)\s+((?:[\w-]+\s+){0,2}?[\w-]+)\b", re.IGNORECASE)
# Labels whose plural head noun asks for a list of names, not a number or a date.
# ", X" or " and X" right after a listed name: the list goes on, whatever label X was given.
_MORE = re.compile(r"^(?:,\s*(?:and\s+)?|\s+and\s+)((?:[A-Z][\w'’.-]*)(?:\s+[A-Z][\w'’.-]*)*)")
_TWO = re.compile(r"\b(?:which|what)\s+two\b|\bwho\s+(?:are|were|will\s+be)\s+the\s+two\b", re.IGNORECASE)


def asks_for_two(question: str) -> bool:
    """ "Which two states ...?": one name would answer only half of it."""
    return _TWO.search(question) is not None


def join_pair(first: Candidate, second: Candidate) -> Candidate:
    """Two candidates as one answer ("Missouri and Texas"), in the order a sentence naming
    both gives them, else best first; supported by the mentions of both."""
    a, b = first, second
    for m in first.mentions:
        together = [
            n
            for n in second.mentions
            if n.evidence.passage == m.evidence.passage and n.evidence.sentence.start == m.evidence.sentence.start
        ]
        if together:
            if together[0].start < m.start:
                a, b = second, first
            break
    return Candidate(
        key=f"{a.key} and {b.key}",
        mentions=[*a.mentions, *b.mentions],
        score=a.score + b.score,
        display=f"{a.display} and {b.display}",
    )


def asks_for_several(question: str, qtype: QuestionType) -> bool:
    """Whether the question's head noun is plural ("which countries", "what companies") and names are wanted."""
    head = qtype.head
    if not head or not any(label in NAME_LABELS for label in qtype.labels):
        return False
    return any(
        is_plural_of(word, head) for found in _ASKING.finditer(question) for word in found.group(1).lower().split()
    )


def join_listed(ranked: Sequence[Candidate]) -> Candidate | None:
    """The candidates one evidence sentence lists together, as one answer; None when no sentence names two.

    Of the sentences naming two or more ranked candidates, the one whose candidates score most
    in sum wins; its candidates are joined in the order it gives them ("A, B and C").
    """
    by_sentence: dict[tuple[int, int], dict[str, tuple[Mention, Candidate]]] = {}
    for cand in ranked:
        for m in cand.mentions:
            at = (m.evidence.passage, m.evidence.sentence.start)
            by_sentence.setdefault(at, {}).setdefault(cand.key, (m, cand))
    listing = [named for named in by_sentence.values() if len(named) >= 2]
    if not listing:
        return None
    best = max(listing, key=lambda named: sum(c.score for _, c in named.values()))
    members = sorted(best.values(), key=lambda pair: pair[0].start)
    names = [c.display for _, c in members] + _listed_after(members[-1][0])
    display = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return Candidate(
        key=" and ".join(c.key for _, c in members),
        mentions=[m for m, _ in members],
        score=sum(c.score for _, c in members),
        display=display,
    )


def _listed_after(last: Mention) -> list[str]:
    """Names the sentence lists after ``last`` that the recogniser labelled otherwise
    ("... Kyrgyzstan and Tajikistan", with Tajikistan tagged a nationality)."""
    text = last.evidence.sentence.text
    more: list[str] = []
    at = last.end
    while True:
        found = _MORE.match(text[at:])
        if not found:
            return more
        more.append(found.group(1).rstrip("."))
        at += found.end()
