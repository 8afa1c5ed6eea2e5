"""Mentions of possible answers in the evidence sentences: the entities the recogniser found, with
its plainest slips fixed, and the words of a closed class ("which color": red, green, ...).

An ``Evidence`` is one scored sentence of a passage; a ``Mention`` is a stretch of it that may
answer the question, with its entity label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from service.answer.head_nouns import CLOSED_CLASSES, asks_for_a_person
from service.answer.question_types import QuestionType
from service.answer.roles import Role
from service.answer.wordlists import entries, word_set
from service.retrieval.evidence import Sentence

__all__ = ["Evidence", "Mention", "closed_class_mentions", "entity_mentions", "relabel"]


@dataclass(frozen=True)
class Evidence:
    """One scored sentence of passage ``passage`` (0-based) and its weight for this question."""

    passage: int
    article_id: str
    sentence: Sentence
    weight: float


@dataclass(frozen=True)
class Mention:
    """An entity as written in an evidence sentence (``sentence.text[start:end] == text``)."""

    evidence: Evidence
    start: int
    end: int
    text: str
    label: str
    role: Role | None = None  # where the sentence was parsed (``roles``): the doer or the one acted on


def relabel(text: str, label: str) -> str:
    """Fix the small model's plainest slips: "Globex Corporation" is no PERSON."""
    words = text.lower().split()
    if not words:
        return label
    if label in {"PERSON", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "FAC"} and words[-1] in word_set(
        "organisation_last_words"
    ):
        return "ORG"
    if label in {"PERSON", "ORG", "GPE"} and words[0] in word_set("location_first_words") and len(words) > 1:
        return "LOC"
    return label


@cache
def _currency_after() -> re.Pattern[str]:
    """A currency word right after a number ("410 million euros"), the longest form first."""
    words = sorted(entries("currencies"), key=len, reverse=True)
    return re.compile(r"\s+(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def entity_mentions(
    evidence: Sequence[Evidence], entities: Sequence[Iterable[tuple[int, int, str]]], qtype: QuestionType
) -> list[Mention]:
    """Mentions of entities whose label fits ``qtype`` (entities as ``(start, end, label)``)."""
    out = []
    brands = word_set("possessive_brands")
    # "who is the mayor?": a name right after the role may be one the recogniser missed ("Mayor Ana Ruiz").
    role = _after_role(qtype.head) if qtype.head and asks_for_a_person(qtype.head) and qtype.prior("PERSON") else None
    for ev, found in zip(evidence, entities, strict=True):
        ents = list(found)
        text = ev.sentence.text
        for start, end, label in ents:
            label = relabel(text[start:end], label)
            if label == "CARDINAL":  # "410 million euros": the small model misses spelled-out currencies
                currency = _currency_after().match(text, end)
                if currency:
                    end, label = currency.end(), "MONEY"
            if label == "MONEY":  # the recogniser leaves the currency sign out: "$" "2,000"
                while start > 0 and text[start - 1] in "$\u00a3\u20ac\u00a5":
                    start -= 1
            if text[end : end + 2] in {"'s", "\u2019s"} and text[start:end].lower() in brands:
                end += 2  # "McDonald's" is the name, not McDonald's possession
                label = "ORG"
            if qtype.head and label in {"GPE", "LOC", "FAC", "ORG"}:
                # "Gaza City" when the recogniser only took "Gaza" and the question asks "which city".
                tail = " " + qtype.head.capitalize()
                if text.startswith(tail, end) and not text[end + len(tail) : end + len(tail) + 1].isalnum():
                    end += len(tail)
            if qtype.prior(label) > 0:
                out.append(Mention(ev, start, end, text[start:end], label))
        if role is not None:
            out.extend(_named_after_role(ev, ents, role))
    return out


@cache
def _after_role(head: str) -> re.Pattern[str]:
    """A run of capitalised words right after the role noun ``head`` ("Mayor Ana Ruiz")."""
    return re.compile(rf"\b(?i:{re.escape(head)})s?\s+(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,3}})")


def _named_after_role(ev: Evidence, ents: Iterable[tuple[int, int, str]], role: re.Pattern[str]) -> list[Mention]:
    """The names ``role`` finds after the role a question asks about ("who is the mayor?": "Mayor Ana Ruiz
    called ..."), where the recogniser found no entity: the small model misses names it has not seen, and
    the role noun before one is the surest sign it is a person's."""
    text = ev.sentence.text
    found = []
    for m in role.finditer(text):
        start, end = m.span("name")
        if not any(s < end and start < e for s, e, _ in ents):
            found.append(Mention(ev, start, end, text[start:end], "PERSON"))
    return found


@cache
def _closed_pattern(name: str) -> re.Pattern[str]:
    """Words and phrases of a closed class, longest first, plurals too, spaces or hyphens between words."""
    alternatives = []
    for phrase in sorted(CLOSED_CLASSES[name], key=len, reverse=True):
        parts = [re.escape(p) for p in re.split(r"[\s-]+", phrase)]
        alternatives.append(r"[\s-]+".join(parts))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?:e?s)?(?![\w-])", re.IGNORECASE)


def closed_class_mentions(evidence: Sequence[Evidence], name: str) -> list[Mention]:
    """Mentions of the words of a closed class ("color": red, green, ...)."""
    pattern = _closed_pattern(name)
    out = []
    for ev in evidence:
        for m in pattern.finditer(ev.sentence.text):
            out.append(Mention(ev, m.start(), m.end(), m.group(0), name.upper()))
    return out
