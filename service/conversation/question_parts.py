"""The parts of a tagged question a follow-up rewrite works with: its wh-phrase, names, noun phrases
and the "what about X?" forms. Tokens come from spaCy's tagger and recogniser (``Token``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from service.answer.head_nouns import is_light_head
from service.answer.wordlists import word_set

WH = word_set("wh_words")
NOUN_TAGS = ("NN", "NNS", "NNP", "NNPS")
NP_TAGS = frozenset("DT PRP$ JJ JJR JJS NN NNS NNP NNPS CD POS HYPH NML".split())
PREPOSITIONS = frozenset("in at on from to into near for of by across inside outside".split())
# Labels of a date or an amount: what "what about X?" swaps only for an X of the same label.
NOT_NAMED = frozenset("DATE TIME CARDINAL MONEY QUANTITY PERCENT ORDINAL".split())
WHAT_ABOUT = re.compile(r"^\s*(?:and\s+|but\s+)?(?:what|how)\s+about\s+(?P<x>.+?)\s*[?.!]*\s*$", re.IGNORECASE)
AND_X = re.compile(r"^\s*(?:and|or|but)\s+(?P<x>.+?)\s*[?.!]*\s*$", re.IGNORECASE)
_P = TypeVar("_P", bound=tuple[Any, ...])


@dataclass(frozen=True)
class Token:
    """A word as the tagger and recogniser read it: its Penn tag, entity label ("" for none) and offsets."""

    text: str
    tag: str
    ent: str
    start: int
    end: int


# Tags a text (the resolver's spaCy pipeline): how the earlier turns are read.
TokensOf = Callable[[str], list[Token]]


# Auxiliaries that need a bare verb after their subject ("how much will the line cost?"): not "is", "has".
_VERB_AUXILIARIES = word_set("auxiliary_verbs") - frozenset("is are was were be been being am has have had".split())


def with_main_verb(tokens: list[Token]) -> list[Token]:
    """The tokens with the main verb tagged as one: after "will", "does" and the like a question
    ends in its bare verb, which the small tagger often reads as the subject's last noun or an
    adjective ("will the Port Alden tram line cost?": "cost" as a noun; "when will it open?")."""
    words = [t.text.lower() for t in tokens]
    aux = next((i for i, w in enumerate(words) if w in _VERB_AUXILIARIES), None)
    if aux is None or any(t.tag.startswith("VB") for t in tokens[aux + 1 :]):
        return tokens
    last = len(tokens) - 1
    while last > aux and not tokens[last].text[:1].isalnum():
        last -= 1
    if last > aux + 1 and tokens[last].tag in ("NN", "JJ") and tokens[last].text.islower():
        return [*tokens[:last], replace(tokens[last], tag="VB"), *tokens[last + 1 :]]
    return tokens


def wh_phrase_end(tokens: list[Token]) -> int:
    """Index after the question's wh-phrase ("which country", "how many people", "who"); 0 without one."""
    for i, token in enumerate(tokens):
        if token.text.lower() not in WH:
            continue
        j = i + 1
        if token.text.lower() == "how" and j < len(tokens) and tokens[j].tag.startswith(("JJ", "RB")):
            j += 1
        while j < len(tokens) and _in_noun_phrase(tokens, j) and tokens[j].tag not in ("DT", "PRP$"):
            j += 1
        return j
    return 0


def entities(question: str, tokens: list[Token], start: int | None = None) -> list[tuple[str, str, int, int]]:
    """Runs of tokens with one entity label (or of proper nouns), from ``start`` (None: after the wh-phrase)."""
    found: list[tuple[str, str, int, int]] = []
    i = wh_phrase_end(tokens) if start is None else start
    while i < len(tokens):
        token = tokens[i]
        label = token.ent or ("PROPN" if token.tag in ("NNP", "NNPS") else "")
        if not label:
            i += 1
            continue
        j = i
        while (
            j + 1 < len(tokens)
            and (tokens[j + 1].ent or ("PROPN" if tokens[j + 1].tag in ("NNP", "NNPS") else "")) == label
        ):
            j += 1
        last = j
        while last > i and tokens[last].tag == "POS":  # the recogniser keeps "'s" in "Taylor Swift's"
            last -= 1
        found.append((question[token.start : tokens[last].end], label, token.start, tokens[last].end))
        i = j + 1
    return found


def noun_phrases(question: str, tokens: list[Token], start: int) -> list[tuple[str, bool]]:
    """Noun phrases after the wh-phrase, without their determiner, each with whether it is plural."""
    phrases: list[tuple[str, bool]] = []
    i = start
    while i < len(tokens):
        if tokens[i].tag not in NP_TAGS:
            i += 1
            continue
        j = i
        while j < len(tokens) and _in_noun_phrase(tokens, j):
            j += 1
        run = tokens[i:j]
        while run and run[0].tag in ("DT", "PRP$", "POS"):
            run = run[1:]
        nouns = [t for t in run if t.tag in NOUN_TAGS and t.ent not in ("CARDINAL", "QUANTITY")]
        light = j < len(tokens) and tokens[j].text.lower() == "of" and run and is_light_head(run[-1].text)
        if nouns and not light:  # "the names of the turkeys": the turkeys are what "they" may be
            last = max(k for k, t in enumerate(run) if t.tag in NOUN_TAGS)
            run = run[: last + 1]
            phrases.append((question[run[0].start : run[-1].end], run[-1].tag in ("NNS", "NNPS")))
        i = j
    return phrases


def _in_noun_phrase(tokens: list[Token], i: int) -> bool:
    """Whether the token at ``i`` carries a noun phrase on: a noun-phrase tag, or the "&" inside a name
    ("Ben & Jerry's", "Procter & Gamble")."""
    if tokens[i].text == "&":
        return 0 < i < len(tokens) - 1 and tokens[i - 1].tag.startswith("NNP") and tokens[i + 1].tag.startswith("NNP")
    return tokens[i].tag in NP_TAGS


def counted(question: str, tokens: list[Token], wh_end: int) -> str | None:
    """The plural noun a "how many" wh-phrase counts ("how many inmates escaped?": "inmates")."""
    words = [t.text.lower() for t in tokens[:wh_end]]
    at = words.index("how") if "how" in words else -1
    if at < 0 or words[at + 1 : at + 2] != ["many"]:
        return None
    nouns = [t for t in tokens[at + 2 : wh_end] if t.tag in ("NNS", "NNPS")]
    return question[nouns[0].start : nouns[-1].end] if nouns else None


def has_subject(tokens: list[Token]) -> bool:
    """Whether the question names something of its own (a noun outside its wh-phrase)."""
    start = wh_phrase_end(tokens)
    return any(t.tag in NOUN_TAGS and t.text.lower() not in WH for t in tokens[start:]) or any(
        t.tag == "PRP" for t in tokens
    )


def next_is_nominal(tokens: list[Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].tag.startswith(("NN", "JJ", "CD"))


def without_preposition(replacement: str) -> str:
    """The X of "what about X?" without a leading preposition ("in 2023" → "2023")."""
    replacement = replacement.strip().rstrip("?.! ")
    return re.sub(r"^(?:in|for|at|on|from|of|with|about|during)\s+", "", replacement, flags=re.IGNORECASE)


def whole(text: str, repeated: Sequence[str]) -> str:
    """The earlier answer ``text`` is part of, else ``text``: the tagger reads "how many songs are on
    Life of a Showgirl?" as the noun "Life" and the name "Showgirl"."""
    if not repeated:
        return text
    part = re.compile(rf"(?<!\w){re.escape(text.lower())}(?!\w)")
    return next((answer for answer in repeated if part.search(answer.lower())), text)


def once(phrases: list[_P]) -> list[_P]:
    """``phrases`` without a repeat of an earlier one's text (two parts widened to one answer)."""
    seen: set[str] = set()
    kept: list[_P] = []
    for phrase in phrases:
        if phrase[0] not in seen:
            seen.add(phrase[0])
            kept.append(phrase)
    return kept
