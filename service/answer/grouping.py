"""Mentions grouped into candidates: every way the evidence writes one name becomes one candidate.

Variants of one name share a key (``names.normalise``). Beyond that, an acronym joins the one
longer name in the evidence it abbreviates ("CSTO"), a short form joins the one full name it
ends ("Alcaraz" for "Carlos Alcaraz", not "Korea" when both Koreas are named), and "Gaza" joins
"Gaza City" when the question asks "which city". A candidate's names are then searched again in
the evidence for the mentions the recogniser missed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from service.answer.head_nouns import CLOSED_CLASSES
from service.answer.mentions import Evidence, Mention
from service.answer.names import acronym, looks_like_acronym, normalise, surface
from service.answer.plurals import singular
from service.answer.question_types import QuestionType

__all__ = [
    "CONFUSED_LABELS",
    "Candidate",
    "expand",
    "group_mentions",
    "merge_variants",
    "merge_with_head",
    "names_of",
    "occurrences",
]

# Labels the small recogniser confuses with each other: "Alcaraz" (ORG) is "Carlos Alcaraz" (PERSON).
CONFUSED_LABELS = ({"PERSON", "ORG"}, {"GPE", "LOC"})


@dataclass
class Candidate:
    """One possible short answer and every mention that supports it."""

    key: str
    mentions: list[Mention] = field(default_factory=list)
    score: float = 0.0
    display: str = ""

    @property
    def articles(self) -> set[str]:
        """Ids of the articles that mention it."""
        return {m.evidence.article_id for m in self.mentions}

    @property
    def labels(self) -> Counter[str]:
        """How often each entity label was given to it."""
        return Counter(m.label for m in self.mentions)


def _closed_key(key: str) -> str:
    """ "winter storms" and "winter storm" are one answer (closed-class words only)."""
    words = key.split()
    return " ".join([*words[:-1], singular(words[-1])])


def group_mentions(mentions: Sequence[Mention]) -> dict[str, Candidate]:
    """The mentions by key, each key a candidate."""
    by_key: dict[str, Candidate] = {}
    for m in mentions:
        key = normalise(m.text)
        if key and m.label.lower() in CLOSED_CLASSES:
            key = _closed_key(key)
        if key:
            by_key.setdefault(key, Candidate(key)).mentions.append(m)
    return by_key


def _compatible(a: set[str], b: set[str]) -> bool:
    if a & b:
        return True
    return any(a & group and b & group for group in CONFUSED_LABELS)


def merge_variants(
    by_key: dict[str, Candidate], kept_apart: Callable[[Candidate], bool] = lambda cand: False
) -> list[Candidate]:
    """Fold acronyms and short forms into the one full name they stand for: "CSTO" into
    "Collective Security Treaty Organization", "Alcaraz" into "Carlos Alcaraz", "Lions" into
    "Detroit Lions" (not "Korea" when both "North Korea" and "South Korea" are there).

    A candidate ``kept_apart`` is folded into nothing: a name the question gives ("the Fed") is no
    support for a longer name ending in it ("New York Fed" would collect every "Fed")."""
    full_by_acronym: dict[str, list[Candidate]] = defaultdict(list)
    by_suffix: dict[tuple[str, ...], list[Candidate]] = defaultdict(list)
    for cand in by_key.values():
        for a in {acronym(m.text) for m in cand.mentions} - {""}:
            full_by_acronym[a].append(cand)
        tokens = tuple(cand.key.split())
        for k in range(1, len(tokens)):
            by_suffix[tokens[k:]].append(cand)
    merged: dict[str, Candidate] = {}
    for cand in sorted(by_key.values(), key=lambda c: len(c.key)):
        if kept_apart(cand):
            continue
        target: Candidate | None = None
        if any(looks_like_acronym(m.text) for m in cand.mentions):
            options = {c.key: c for c in full_by_acronym.get(cand.key.replace(" ", ""), []) if c is not cand}
            if len(options) == 1:
                target = next(iter(options.values()))
        if target is None and not any(ch.isdigit() for ch in cand.key):
            labels = set(cand.labels)
            options = {
                c.key: c
                for c in by_suffix.get(tuple(cand.key.split()), [])
                if c is not cand and _compatible(labels, set(c.labels))
            }
            if len(options) == 1:
                target = next(iter(options.values()))
        while target is not None and target.key in merged:
            target = merged[target.key]
        if target is not None and target is not cand:
            target.mentions.extend(cand.mentions)
            merged[cand.key] = target
    return [c for c in by_key.values() if c.key not in merged]


def merge_with_head(candidates: list[Candidate], qtype: QuestionType) -> list[Candidate]:
    """ "Which city": "Gaza" and "Gaza City" are one answer, written in full."""
    if not qtype.head:
        return candidates
    by_key = {c.key: c for c in candidates}
    out = []
    for cand in candidates:
        longer = by_key.get(f"{cand.key} {qtype.head}")
        if longer is not None and longer is not cand:
            longer.mentions.extend(cand.mentions)
        else:
            out.append(cand)
    return out


def occurrences(text: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of ``names`` (longest first, case-sensitive, whole words) in ``text``, never overlapping."""
    spans: list[tuple[int, int]] = []
    for name in names:
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            before = text[at - 1] if at else " "
            after = text[end] if end < len(text) else " "
            if (
                not (before.isalnum() or before in "-_")
                and not (after.isalnum() or after in "-_")
                and not _inside_a_number(text, at, end)
                and not any(a < end and at < b for a, b in spans)
            ):
                spans.append((at, end))
            at = text.find(name, at + 1)
    return spans


def _inside_a_number(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is only part of a longer figure: "200" in "1,200", "3" in "3.5 million"."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return (len(before) == 2 and before[0].isdigit() and before[1] in ",.") or (
        len(after) == 2 and after[0] in ",." and after[1].isdigit()
    )


def names_of(cand: Candidate) -> list[str]:
    """How the candidate is written (and its acronym), longest first."""
    names = {surface(m.text) for m in cand.mentions}
    names |= {acronym(n).upper() for n in names if len(acronym(n)) >= 3}
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


def expand(cand: Candidate, evidence: Sequence[Evidence]) -> None:
    """Add the mentions the recogniser missed: the candidate's names (and acronym) written
    elsewhere in the evidence, case and word boundaries respected."""
    names = names_of(cand)
    if not names:
        return
    label = cand.labels.most_common(1)[0][0]
    covered: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for m in cand.mentions:
        covered[(m.evidence.passage, m.evidence.sentence.start)].append((m.start, m.end))
    for ev in evidence:
        taken = covered[(ev.passage, ev.sentence.start)]
        for start, end in occurrences(ev.sentence.text, names):
            if any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            cand.mentions.append(Mention(ev, start, end, ev.sentence.text[start:end], label))
