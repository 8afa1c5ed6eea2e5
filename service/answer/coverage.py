"""How much of the question an answer's sentence speaks to: the extractive decline signal.

A short answer is only worth giving when it stands in a sentence about what was asked. The
question's content words, besides the wh-word and the head noun that name the answer's type
("which *cartel*", "*how many* days") and its words of time ("this week"), say what that is:
"Which NBA team fired its head coach this week?" asks about *NBA*, *fired*, *head*, *coach*. The
coverage of a sentence is the weighted share of those words it holds, compared on their first five
letters ("fired" matches "fires"), with the headline of its article counted as part of the sentence
(a story's sentences often leave its subject to the headline: "He was shot at Utah Valley
University"). The names the question gives (*NBA*, *Collins*, *Brown University*) weigh more than
its other words: they are what a near miss gets wrong (the NFL's Titans for the NBA question,
Dictionary.com's word for Collins'), while its other words are often paraphrased ("teens" for
"under 16"). An answer whose best sentence covers little of the question names something from a
nearby story, not the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from service.answer.names import looks_like_acronym
from service.answer.question_types import QuestionType
from service.answer.wordlists import word_set

__all__ = ["NAME_WEIGHT", "content_weights", "coverage", "unmentioned_names"]

_WORD = re.compile(r"[^\W_]+")
# "U.S.", "U.N.": an abbreviation written with stops is the same name as "US", "UN".
_DOTTED_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,}")
_SENTENCE_START = re.compile(r"(?:^|[.?!]\s+)[\"'\u201c\u2018]?([^\W_]+)")
STEM = 5
# How much more a name of the question counts than another content word (calibrated on dev with
# bench/calibrate_abstention.py).
NAME_WEIGHT = 2.0
# Words that ask ("which", "how") or place the question in time ("this week", "last year") rather
# than say what it is about.
_NOT_CONTENT = word_set("wh_words") | word_set("time_units") | word_set("relative_date_words") | word_set("weekdays")
# Names of days and months are written many ways ("Oct.", "Tuesday's"): no sign of another story.
_CALENDAR = word_set("weekdays") | word_set("months")


def _stem(word: str) -> str:
    return word.lower()[:STEM]


def _name_words(question: str) -> set[str]:
    """Words of the question written as names: capitalised other than at a sentence's start, or all capitals."""
    starts = {m.start(1) for m in _SENTENCE_START.finditer(question)}
    return {
        m.group(0).lower()
        for m in _WORD.finditer(question)
        if m.group(0)[0].isupper() and (m.start() not in starts or m.group(0).isupper() and len(m.group(0)) > 1)
    }


def content_weights(question: str, qtype: QuestionType, name_weight: float = NAME_WEIGHT) -> dict[str, float]:
    """The stems of the question's content words (without its wh-word, head noun and words of time),
    each with its weight: ``name_weight`` for a name, 1 for another word."""
    head = _stem(qtype.head) if qtype.head else None
    asking = set(qtype.wh.split())  # "how many", "how old": the wh-phrase's words ask, they say no subject
    names = _name_words(question)
    weights: dict[str, float] = {}
    for term in qtype.terms:
        if term in _NOT_CONTENT or term in asking or term.isdigit() or len(term) < 2 or _stem(term) == head:
            continue
        stem = _stem(term)
        weights[stem] = max(weights.get(stem, 0.0), name_weight if term in names else 1.0)
    return weights


def coverage(weights: Mapping[str, float], texts: Iterable[str]) -> float:
    """The weighted share of the stems in ``weights`` that some word of ``texts`` starts with (1.0 when none)."""
    total = sum(weights.values())
    if not total:
        return 1.0
    found = _stems(texts)
    return sum(w for stem, w in weights.items() if stem in found) / total


def _undotted(text: str) -> str:
    return _DOTTED_ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text)


def _stems(texts: Iterable[str]) -> set[str]:
    """The stems of every word of ``texts``, abbreviations undotted ("U.S." is "us")."""
    return {_stem(w) for text in texts for w in _WORD.findall(_undotted(text))}


def unmentioned_names(question: str, texts: Iterable[str]) -> list[str]:
    """The names ``question`` gives that no word of ``texts`` starts like (compared as ``coverage`` does).

    A question naming something the evidence never mentions ("Where did the *UPS* cargo plane
    crash?" asked before that crash, when the archive holds only other crashes) is about a story
    the archive does not hold: whatever the evidence names instead answers another question.
    """
    question = _undotted(question)
    texts = list(texts)
    found = _stems(texts)
    as_written = {w.lower(): w for w in reversed(_WORD.findall(question))}
    return sorted(
        as_written[n] for n in _names(question) if _stem(n) not in found and not _spelled_out(as_written[n], texts)
    )


def gives_names(question: str) -> bool:
    """Whether ``question`` gives any name :func:`unmentioned_names` would look for (before reading any text)."""
    return bool(_names(_undotted(question)))


def _names(question: str) -> set[str]:
    """The names (lower case) of an undotted question: capitalised words, not days, months or single letters."""
    return {n for n in _name_words(question) - _CALENDAR if len(n) > 1}


def _spelled_out(name: str, texts: list[str]) -> bool:
    """Whether an abbreviation ("US", "FBI") stands spelled out in ``texts`` ("United States",
    "Federal Bureau of Investigation"): capitalised words whose initials are its letters (the reverse
    of ``names.acronym``, searched inside longer names too: "United States Postal Service")."""
    if not looks_like_acronym(name):
        return False
    initials = r"\s+(?:(?:of|the|and|for)\s+)?".join(rf"{letter}[\w'-]*" for letter in name)
    return any(re.search(rf"\b{initials}", text) for text in texts)
