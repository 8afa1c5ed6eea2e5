"""What kind of answer a question wants: its wh-word, head noun and the entity labels that fit.

``classify("Which drug cartel ...?")`` gives ``wh="which"``, ``head="cartel"`` and the labels
(spaCy's OntoNotes names) an answer may carry, each with a prior: ``{"ORG": 1.0, ...}``.
Questions whose answer is no entity ("why", "how did", "what did she say?", "which of the following ...") get
no labels, or weak generic ones, and the extractive answerer then gives no short answer
rather than a wrong one.

The head noun is read from the question's part-of-speech tags when a spaCy pipeline is
given (the run of nouns and adjectives after the wh-word); without one, from a small
stop list. Only the last sentence that asks something counts: news quizzes often open
with a sentence of context ("X was shot this week. Where did the shooting occur?").
What each head noun asks for is ``head_nouns``' business.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from service.answer.head_nouns import (
    CLOSED_HEADS,
    HOW_MEASURE,
    HOW_OLD,
    head_singular,
    is_light_head,
    labels_for_head,
)
from service.answer.roles import Role, asked_role
from service.answer.wordlists import word_set

__all__ = ["NAME_LABELS", "QuestionType", "classify", "labels_for_head"]

NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE")

_WHO = {"PERSON": 1.0, "ORG": 0.9, "NORP": 0.6, "GPE": 0.5}
_WHERE = {"GPE": 1.0, "LOC": 1.0, "FAC": 0.9, "ORG": 0.3}
_WHEN = {"DATE": 1.0, "TIME": 0.8, "EVENT": 0.2}
_HOW_MANY = {"CARDINAL": 1.0, "QUANTITY": 0.8, "MONEY": 0.6, "PERCENT": 0.5}
_HOW_MANY_TIME = {"DATE": 1.0, "TIME": 0.9, "CARDINAL": 0.7, "QUANTITY": 0.5}
_HOW_MUCH = {"MONEY": 1.0, "QUANTITY": 0.9, "PERCENT": 0.7, "CARDINAL": 0.5}
# "UNTIL": an "until ..." clause (service/answer/durations.py), an answer to "how long will they stay?".
_HOW_LONG = {"DATE": 1.0, "TIME": 0.9, "UNTIL": 0.9, "QUANTITY": 0.8, "CARDINAL": 0.4}
# "what" with a head noun we do not know: any name, numbers hardly.
_GENERIC = {**{label: 0.6 for label in NAME_LABELS}, "PERSON": 0.7, "ORG": 0.7, "GPE": 0.7}

_TIME_UNITS = word_set("time_units")
_MEASURE_UNITS = word_set("measure_units")
_HOW_MANY_MEASURE = {"QUANTITY": 1.0, "CARDINAL": 0.8, "MONEY": 0.3}
_MEASURE_WORDS = word_set("measure_adjectives")
_HOW_MUCH_MONEY = {"MONEY": 1.0, "CARDINAL": 0.1}
_MONEY_VERBS = word_set("money_verbs")

_QUESTION_PIPES = frozenset({"tok2vec", "tagger", "attribute_ruler", "parser"})
_COPULA = frozenset("is are was were".split())
# What may stand between a verb or "of" and the noun it leads to ("what is the name of *these* ...").
_DETERMINERS = frozenset("the a an this that these those its their his her".split())
_WH_WORDS = word_set("wh_words")
_AUX = word_set("auxiliary_verbs")
# Words that are no part of what a question asks about: the small words names skip too, and
# the question's own fillers and auxiliaries.
_STOP = word_set("function_words") | word_set("question_fillers") | _AUX
_WORD = re.compile(r"[\w'’$%.-]+|[?!.,;:]")


@dataclass(frozen=True)
class QuestionType:
    """What a question asks for.

    ``wh``: "who", "where", "when", "how many", "how much", "how long", "how old", "how measure",
    "which", "what", "why", "how" or "" (no wh-word). ``labels`` maps entity labels to priors
    (empty: the answer is no entity). ``closed_class`` names a word list to match instead
    ("color"). ``entities``: names the pipeline recognised in the question (none when, as in
    the answerer, only the tagger runs on it; the question's words are checked directly).
    """

    wh: str
    head: str | None = None
    labels: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    closed_class: str | None = None
    entities: tuple[str, ...] = ()
    terms: frozenset[str] = frozenset()
    role: Role | None = None  # the role the wh-phrase plays: "agent" ("who won?"), "patient" ("who did he beat?")

    def prior(self, label: str) -> float:
        """How well an entity of ``label`` fits the question (0: not at all)."""
        return float(self.labels.get(label, 0.0))

    @property
    def wants_entity(self) -> bool:
        """Does any entity (or closed-class word) fit as a short answer?"""
        return bool(self.labels) or self.closed_class is not None


def _tokens(question: str, nlp: Any | None) -> tuple[list[tuple[str, str]], tuple[str, ...], Role | None]:
    """(word, fine-grained tag) pairs, the named entities of the question and the role it asks about."""
    if nlp is not None:
        # The tagger and parser alone: the question's own names are found by matching words, not by NER.
        doc = nlp(question, disable=[p for p in nlp.pipe_names if p not in _QUESTION_PIPES])
        role = asked_role(doc) if "parser" in nlp.pipe_names else None
        return [(t.text, t.tag_) for t in doc], tuple(e.text for e in doc.ents), role
    return [(w, "") for w in _WORD.findall(question)], (), None


def _asking_span(tokens: list[tuple[str, str]]) -> tuple[int, int]:
    """Token range of the last sentence holding a wh-word (the one that asks)."""
    bounds = [0]
    for i, (w, _) in enumerate(tokens[:-1]):
        if w in {".", "?", "!"}:
            bounds.append(i + 1)
    bounds.append(len(tokens))
    for a, b in reversed(list(pairwise(bounds))):
        if any(w.lower() in _WH_WORDS for w, _ in tokens[a:b]):
            return a, b
    return 0, len(tokens)


def _is_nominal(word: str, tag: str) -> bool:
    if tag:
        return tag.startswith(("NN", "JJ", "CD", "HYPH", "VBN")) and word.lower() not in _STOP
    return word.isalpha() and word.lower() not in _STOP and not word.lower().endswith("ed")


def _head_after(tokens: list[tuple[str, str]], i: int) -> tuple[str | None, list[str]]:
    """The noun run starting at token ``i`` and its head (last noun), following "type of X"."""
    run: list[str] = []
    j = i
    while j < len(tokens) and _is_nominal(*tokens[j]):
        run.append(tokens[j][0].lower())
        j += 1
    nouns = [w for w, (_, tag) in zip(run, tokens[i:j], strict=False) if not tag or tag.startswith("NN")]
    nouns = [n for n in nouns if n.isalpha() or "-" in n]
    if not nouns:
        return None, run
    head = nouns[-1]
    if is_light_head(head) and j + 1 < len(tokens) and tokens[j][0].lower() == "of":
        inner, inner_run = _head_after(tokens, _after_determiners(tokens, j + 1))
        if inner and (_head_labels(inner_run, inner) or not labels_for_head(head)):
            return inner, inner_run
    return head, nouns


def _all_names(tokens: list[tuple[str, str]], i: int) -> bool:
    """Whether the noun run starting at token ``i`` is proper nouns only (tagged NNP or NNPS)."""
    run = []
    for word, tag in tokens[i:]:
        if not _is_nominal(word, tag):
            break
        run.append(tag)
    return bool(run) and all(tag.startswith("NNP") for tag in run)


def _known_noun_ahead(tokens: list[tuple[str, str]], i: int, window: int = 6) -> str | None:
    """A known head noun a few words on ("which over-the-counter medication"), before any verb."""
    for word, tag in tokens[i : i + window]:
        if tag.startswith("VB") or word.lower() in _AUX:
            return None
        if (not tag or tag.startswith("NN")) and labels_for_head(word):
            return word.lower()
    return None


# Heads that say little ("which celestial event"): a closed-class word before them decides.
_VAGUE_HEADS = word_set("vague_heads")
_OPEN_WHAT = word_set("open_what_words")


def _closed_in_run(tokens: list[tuple[str, str]], i: int, window: int = 6) -> str | None:
    """A closed-class word among the first words after the wh-word, before any verb or adverb
    ("which celestial event", "which type of severe weather event")."""
    for word, tag in tokens[i : i + window]:
        w = word.lower()
        if w in {"most", "least", "more", "less"}:
            continue
        if tag.startswith(("VB", "RB", "MD")) or w in _AUX or w in {"?", ",", "."}:
            return None
        closed = CLOSED_HEADS.get(head_singular(w))
        if closed:
            return closed
    return None


def _head_labels(nouns: list[str], head: str) -> Mapping[str, float]:
    """Labels of the head, else of the nearest earlier noun in the run that we know."""
    for noun in [head, *reversed(nouns)]:
        labels = labels_for_head(noun)
        if labels:
            return labels
    return {}


def _after_determiners(span: Sequence[tuple[str, str]], i: int) -> int:
    """The index of the first word from ``i`` on that is not a determiner ("the", "its", "these")."""
    while i < len(span) and span[i][0].lower() in _DETERMINERS:
        i += 1
    return i


def _role_asked_about(span: list[tuple[str, str]], wh_at: int) -> str | None:
    """The role a "who is the X?" question names ("who is the chief librarian?": librarian): the
    answer is the person the evidence names beside it ("Chief librarian Elena Marsh")."""
    i = wh_at + 1
    if i >= len(span) or span[i][0].lower() not in _COPULA:
        return None
    head, _ = _head_after(span, _after_determiners(span, i + 1))
    return head_singular(head) if head else None


def classify(question: str, nlp: Any | None = None) -> QuestionType:
    """Read what ``question`` asks for; ``nlp`` (a spaCy pipeline with a tagger) sharpens it."""
    tokens, entities, role = _tokens(question, nlp)
    terms = frozenset(w.lower() for w, _ in tokens if w.isalnum() and w.lower() not in _STOP)
    a, b = _asking_span(tokens)
    span = tokens[a:b]
    words = [w.lower() for w, _ in span]
    wh_at = next((i for i, w in enumerate(words) if w in _WH_WORDS), None)
    # Every reading of this question shares what the question itself holds.
    base = QuestionType(wh="", entities=entities, terms=terms, role=role)
    if wh_at is None:
        if words and words[0] in _AUX:
            return base  # "can cyclists still cross?", "did the council approve it?": yes or no, never a name
        return replace(base, wh="", labels=MappingProxyType(dict(_GENERIC)))
    wh = words[wh_at]
    nxt = words[wh_at + 1] if wh_at + 1 < len(words) else ""

    def typed(kind: str, labels: Mapping[str, float], head: str | None = None) -> QuestionType:
        return replace(base, wh=kind, head=head, labels=MappingProxyType(dict(labels)))

    if wh in {"who", "whom", "whose"}:
        return typed("who", _WHO, _role_asked_about(span, wh_at))
    if wh == "where":
        return typed("where", _WHERE)
    if wh == "when":
        return typed("when", _WHEN)
    if wh == "why":
        return typed("why", {})
    if wh == "how":
        if nxt == "many":
            k = wh_at + 2
            if k < len(words) and words[k] == "of":
                k = _after_determiners(span, k + 1)
            unit, _ = _head_after(span, k)
            unit = unit or (words[wh_at + 2] if wh_at + 2 < len(words) else "")
            if unit in {"of", "more", "people", "person"}:
                unit = "" if unit in {"of", "more"} else unit
            if unit in _TIME_UNITS:
                return typed("how many", _HOW_MANY_TIME, unit)
            if unit in _MEASURE_UNITS:
                return typed("how many", _HOW_MANY_MEASURE, unit)
            return typed("how many", _HOW_MANY, unit or None)
        if nxt == "much":
            # "How much will the line cost?": the verb says it wants money, not any number.
            if _MONEY_VERBS.intersection(words):
                return typed("how much", _HOW_MUCH_MONEY)
            return typed("how much", _HOW_MUCH)
        if nxt == "long":
            return typed("how long", _HOW_LONG)
        if nxt == "old":
            return typed("how old", HOW_OLD)
        if nxt in _MEASURE_WORDS:
            return typed("how measure", HOW_MEASURE, nxt)
        return typed("how", {})

    last_word = next((w for w in reversed(words) if w.isalpha()), "")
    if wh == "what" and last_word in _MONEY_VERBS:
        return typed("how much", _HOW_MUCH_MONEY)  # "what will the line cost?", "what did they pay?": how much
    # which / what: find the head noun of "which X", "what X", "which of the following X",
    # or "what is the X (of Y)".
    i = wh_at + 1
    following = words[i : i + 3] == ["of", "the", "following"]
    if following:
        i += 3
    while i < len(words) and (
        words[i] in {"two", "three", "four", "one"} or (span[i][1] == "CD" and words[i].isalpha())
    ):
        i += 1
    if not following and i < len(words) and words[i] in _COPULA:
        # "what is the name of ...": the subject after the verb is the head.
        i = _after_determiners(span, i + 1)
    head, nouns = _head_after(span, i)
    if wh == "what" and (head is None or head in _OPEN_WHAT) and _OPEN_WHAT.intersection(words[wh_at + 1 :]):
        return typed("what", {})  # a statement or an event is asked for, not a name
    if head is not None and not _head_labels(nouns, head) and _all_names(span, i):
        # "which Ben & Jerry's co-founder": a name after the wh-word owns what is asked for; it is not its type.
        head = _known_noun_ahead(span, i, window=8) or head
        nouns = [head]
    if head is None:
        head = _known_noun_ahead(span, i)
        nouns = [head] if head else []
    if head is None:
        closed = _closed_in_run(span, i)
        if closed:
            return replace(base, wh=wh, head=None, closed_class=closed)
        return typed(wh, _GENERIC if wh == "which" else {**_GENERIC, **{k: 0.3 for k in ("CARDINAL", "MONEY", "DATE")}})
    closed = CLOSED_HEADS.get(head_singular(head))
    if not closed and (head_singular(head) in _VAGUE_HEADS or not labels_for_head(head)):
        closed = _closed_in_run(span, wh_at + 1)
    if closed:
        return replace(base, wh=wh, head=head, closed_class=closed)
    labels = _head_labels(nouns, head)
    if not labels:
        return typed(wh, _GENERIC, head)
    return typed(wh, labels, head_singular(head))
