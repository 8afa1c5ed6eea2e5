"""Candidates that cannot be the answer, however well supported.

Names the question itself mentions are never answers: "Who did Tokayev say stormed Kazakhstan?"
is not answered "Kazakhstan" (nor "Kassym-Jomart Tokayev", nor "Israel" when it says "Israeli").
A plainly titled person ("President Donald Trump") is no answer to "which cartel". Outlets and
names outside a country or state list are left out by ``gazetteers``.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from service.answer.grouping import Candidate
from service.answer.names import acronym, clean, looks_like_acronym, normalise, tokens, without_brackets
from service.answer.plurals import PLAIN_S, singular
from service.answer.question_types import QuestionType
from service.answer.wordlists import entries, word_set

__all__ = ["in_question", "surely_person"]


@lru_cache(maxsize=256)
def _question_words(question: str) -> tuple[str, frozenset[str]]:
    """The question's words without a plural "-s", joined (between spaces) and as a set."""
    cleaned = re.sub(r"'s\b", "", without_brackets(clean(question)))
    words = [singular(t, endings=PLAIN_S) for t in tokens(cleaned)]
    return " " + " ".join(words) + " ", frozenset(words)


def in_question(cand: Candidate, qtype: QuestionType, question: str) -> bool:
    """Does the question itself name this candidate (so it cannot be the answer)?"""
    joined, words = _question_words(question)
    key_words = [singular(t, endings=PLAIN_S) for t in cand.key.split()]
    if not key_words:
        return True
    key = " ".join(key_words)
    if f" {key} " in joined:
        return True
    content = [t for t in key_words if t not in word_set("function_words")]
    numeric = any(ch.isdigit() for ch in key)
    if content and not numeric and all(t in words for t in content):
        return True
    last = key_words[-1]
    if not numeric and len(last) > 3 and last in words and last not in word_set("generic_name_words"):
        return True  # "Kassym-Jomart Tokayev" when the question says "Tokayev"
    if (
        len(key_words) == 1
        and len(key) >= 4
        and not numeric
        and any(w.startswith(key) and len(w) - len(key) <= 3 for w in words)
    ):
        return True  # "Israel" when the question says "Israeli"
    initials = {acronym(m.text) for m in cand.mentions} - {""}
    if initials & words:
        return True
    question_acronyms = {normalise(e) for e in qtype.entities if looks_like_acronym(e)}
    question_acronyms |= {t.lower().replace(".", "") for t in re.findall(r"\b[A-Z][A-Z.]{1,6}\b", question)}
    return len(key) > 1 and cand.key.replace(" ", "") in question_acronyms


@cache
def _titled() -> re.Pattern[str]:
    """A title and up to two capitalised words at the end of a text ("President Donald ", "Sen. ")."""
    titles = "|".join(re.escape(t) for t in entries("person_titles"))
    return re.compile(rf"(?:\b(?:{titles})\.?\s+(?:[A-Z][\w.'-]*\s+){{0,2}})$", re.IGNORECASE)


def surely_person(cand: Candidate) -> bool:
    """Is the candidate plainly a person: mostly tagged PERSON and somewhere titled
    ("President Donald Trump", "Sen. ...")? Being quoted as a speaker is no sign: companies
    "say" things as often, and the small pipeline tags many of them PERSON ("..., Nestlé said")."""
    labels = cand.labels
    if not labels or labels.most_common(1)[0][0] != "PERSON":
        return False
    for m in cand.mentions:
        before = m.evidence.sentence.text[max(0, m.start - 40) : m.start]
        if _titled().search(before):
            return True
    return False
