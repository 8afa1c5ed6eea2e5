"""Short-answer candidates: the entities of the expected type in the evidence, merged and scored.

Every mention of a fitting entity in a relevant sentence votes for its candidate with that
sentence's weight (its relevance to the question times its passage's rank weight) times
how well the entity's label fits the question. Within one article, further mentions count
for less; each further article that names the same candidate multiplies its support
(agreement across independent reports is the strongest sign we have).

Variants of one name become one candidate: case, a leading "the", a possessive, a
parenthetical ("... Organization (CSTO)"), dotted initials ("U.S."), hedges on numbers
("about 8,000"), an acronym of a longer name in the same evidence ("CSTO"), and a person's
surname alone ("Alcaraz" for "Carlos Alcaraz"). Names the question itself mentions are
never candidates: "Who did Tokayev say stormed Kazakhstan?" is not answered "Kazakhstan".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from service.answer.question_types import CLOSED_CLASSES, QuestionType
from service.retrieval.evidence import Sentence

__all__ = ["Candidate", "Evidence", "Mention", "Weights", "normalise", "rank_candidates"]


@dataclass(frozen=True)
class Weights:
    """How candidate support adds up (tuned with ``bench/extractive_dev.py``)."""

    same_article: float = 0.3  # each further sentence of an article that already counted
    agreement: float = 0.5  # each further article multiplies support by (1 + agreement)
    relative_date: float = 0.3  # "this week", "Monday": barely an answer to "when"
    attribution: float = 0.5  # "..., Tokayev said": the source of a statement, rarely its answer


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


# ---------------------------------------------------------------------------- normalising

_STOP = frozenset("the a an of and for in on at to by with from as is was were are be this that".split())
# Last words of names that say what, not who: "Gaza City" is not named by "which city".
_GENERIC_NAME_WORDS = frozenset(
    """city state states county island islands river lake mountain mount university college school airport
    museum party house day week year years times post news company group department international national
    league cup awards award festival prize street square park center centre hospital court church bridge""".split()
)
_HEDGES = (
    "an estimated", "estimated", "about", "around", "approximately", "roughly", "nearly", "almost", "more than",
    "less than", "fewer than", "over", "under", "some", "up to", "at least", "just over", "just under", "only",
)
_HEDGE_RE = re.compile(r"^(?:" + "|".join(re.escape(h) for h in _HEDGES) + r")\s+")
_TOKEN = re.compile(r"[\w$%£€]+(?:[.,'&+-][\w$%]+)*\.?")
_PAREN = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_RELATIVE_DATE = re.compile(
    r"^(?:(?:this|last|next|past|coming|previous|earlier|later)\b.*|today|tonight|yesterday|tomorrow|now|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day(?: (?:morning|afternoon|evening|night))?|"
    r"(?:the )?(?:weekend|week|day|month|year|years|decades?|recent (?:days|weeks|months|years)))$"
)


def _clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(t.split())


def surface(text: str) -> str:
    """A mention as it may be shown: no leading "the", possessive or trailing punctuation."""
    t = _clean(text).strip(" \"'\u201c\u201d,;:-")
    t = re.sub(r"^(?:the|The|THE)\s+", "", t)
    t = re.sub(r"'s?$", "", t)
    return t.strip()


def _tokens(text: str) -> list[str]:
    out = []
    for tok in _TOKEN.findall(_clean(text).lower()):
        if any(ch.isalpha() for ch in tok):
            tok = tok.replace(".", "").replace("'", "")
        else:
            tok = tok.rstrip(".").replace(",", "")
        if tok:
            out.append(tok)
    return out


def normalise(text: str) -> str:
    """The key variants of one name share: lower case, no "the", possessive, brackets or hedges."""
    t = _PAREN.sub("", _clean(text).lower())
    t = re.sub(r"'s\b", "", t)
    t = _HEDGE_RE.sub("", t)
    tokens = _tokens(t)
    while tokens and tokens[0] in {"the", "a", "an"}:
        tokens = tokens[1:]
    return " ".join(tokens)


def acronym(text: str) -> str:
    """Initials of the capitalised words of ``text`` ("Collective Security Treaty Organization" -> "csto")."""
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", _PAREN.sub("", text)) if w.lower() not in _STOP]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).lower()


def _looks_like_acronym(text: str) -> bool:
    t = surface(text).replace(".", "")
    return 2 <= len(t) <= 6 and t.isalpha() and t.isupper()


# ---------------------------------------------------------------------------- mentions


_ORG_LAST_WORDS = frozenset(
    """corporation corp corp. inc inc. co co. company companies ltd ltd. llc plc group holdings bank airlines
    airways motors industries technologies systems partners ventures university college institute foundation
    association agency ministry department council committee commission party union league federation""".split()
)
_LOC_FIRST_WORDS = frozenset("mount mt. lake river gulf cape".split())


def relabel(text: str, label: str) -> str:
    """Fix the small model's plainest slips: "Globex Corporation" is no PERSON."""
    words = text.lower().split()
    if not words:
        return label
    if label in {"PERSON", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "FAC"} and words[-1] in _ORG_LAST_WORDS:
        return "ORG"
    if label in {"PERSON", "ORG", "GPE"} and words[0] in _LOC_FIRST_WORDS and len(words) > 1:
        return "LOC"
    return label


def entity_mentions(
    evidence: Sequence[Evidence], entities: Sequence[Iterable[tuple[int, int, str]]], qtype: QuestionType
) -> list[Mention]:
    """Mentions of entities whose label fits ``qtype`` (entities as ``(start, end, label)``)."""
    out = []
    for ev, ents in zip(evidence, entities, strict=True):
        text = ev.sentence.text
        for start, end, label in ents:
            label = relabel(text[start:end], label)
            if qtype.prior(label) > 0:
                out.append(Mention(ev, start, end, text[start:end], label))
    return out


def closed_class_mentions(evidence: Sequence[Evidence], name: str) -> list[Mention]:
    """Mentions of the words of a closed class ("color": red, green, ...)."""
    words = CLOSED_CLASSES[name]
    pattern = re.compile(r"\b(" + "|".join(sorted(words, key=len, reverse=True)) + r")\b", re.IGNORECASE)
    out = []
    for ev in evidence:
        for m in pattern.finditer(ev.sentence.text):
            out.append(Mention(ev, m.start(), m.end(), m.group(0), name.upper()))
    return out


# ---------------------------------------------------------------------------- candidates


def _group(mentions: Sequence[Mention]) -> dict[str, Candidate]:
    by_key: dict[str, Candidate] = {}
    for m in mentions:
        key = normalise(m.text)
        if key:
            by_key.setdefault(key, Candidate(key)).mentions.append(m)
    return by_key


def _merge_variants(by_key: dict[str, Candidate]) -> list[Candidate]:
    """Fold acronyms and bare surnames into the full name they stand for."""
    full_by_acronym: dict[str, list[Candidate]] = defaultdict(list)
    persons_by_surname: dict[str, list[Candidate]] = defaultdict(list)
    for cand in by_key.values():
        texts = {m.text for m in cand.mentions}
        for t in texts:
            a = acronym(t)
            if a and len(a) >= 2:
                full_by_acronym[a].append(cand)
                break
        tokens = cand.key.split()
        if len(tokens) >= 2 and cand.labels.get("PERSON", 0) * 2 >= len(cand.mentions):
            persons_by_surname[tokens[-1]].append(cand)
    merged: set[str] = set()
    for cand in list(by_key.values()):
        if cand.key in merged:
            continue
        target: Candidate | None = None
        tokens = cand.key.split()
        if any(_looks_like_acronym(m.text) for m in cand.mentions):
            options = [c for c in full_by_acronym.get(cand.key.replace(" ", ""), []) if c is not cand]
            if len({id(c) for c in options}) == 1:
                target = options[0]
        if target is None and len(tokens) == 1:
            options = [c for c in persons_by_surname.get(tokens[0], []) if c is not cand]
            if len({c.key for c in options}) == 1:
                target = options[0]
        if target is not None and target.key not in merged:
            target.mentions.extend(cand.mentions)
            merged.add(cand.key)
    return [c for c in by_key.values() if c.key not in merged]


def _display(cand: Candidate) -> str:
    """The most common way the articles write the candidate's full name."""
    own = [m for m in cand.mentions if normalise(m.text) == cand.key] or cand.mentions
    counts = Counter(surface(m.text) for m in own)
    best = max(counts.values())
    # Ties: the form of the most relevant mention.
    for m in sorted(own, key=lambda m: -m.evidence.weight):
        if counts[surface(m.text)] == best:
            return surface(m.text)
    return surface(own[0].text)


def _question_words(question: str) -> tuple[str, set[str]]:
    tokens = _tokens(_PAREN.sub("", question).replace("'s ", " "))
    return " " + " ".join(tokens) + " ", set(tokens)


def in_question(cand: Candidate, qtype: QuestionType, question: str) -> bool:
    """Does the question itself name this candidate (so it cannot be the answer)?"""
    joined, words = _question_words(question)
    key = cand.key
    if f" {key} " in joined:
        return True
    tokens = key.split()
    content = [t for t in tokens if t not in _STOP]
    if content and not any(ch.isdigit() for ch in key) and all(t in words for t in content):
        return True
    if len(tokens[-1]) > 3 and tokens[-1] in words and tokens[-1] not in _GENERIC_NAME_WORDS:
        return True  # "Kassym-Jomart Tokayev" when the question says "Tokayev"
    initials = {acronym(m.text) for m in cand.mentions} - {""}
    if initials & words:
        return True
    question_acronyms = {normalise(e) for e in qtype.entities if _looks_like_acronym(e)}
    question_acronyms |= {t.lower().replace(".", "") for t in re.findall(r"\b[A-Z][A-Z.]{1,6}\b", question)}
    return key.replace(" ", "") in question_acronyms and len(key) > 1


_SAID_AFTER = re.compile(
    r"^[\s,]*(?:(?:has|had|have)\s+)?(?:said|says|told|added|wrote|tweeted|posted|noted|stated|explained|argued|"
    r"claimed|asserted|insisted|announced|warned|according)\b"
)
_SAID_BEFORE = re.compile(r"(?:\bsaid|\bsays|\btold|\baccording to|\bsaid on \w+)[\s,]*$")


def _is_attribution(m: Mention) -> bool:
    """Is the mention the speaker of a statement ("..., Tokayev said")?"""
    if m.label not in {"PERSON", "ORG"}:
        return False
    text = m.evidence.sentence.text
    return bool(_SAID_AFTER.match(text[m.end :]) or _SAID_BEFORE.search(text[: m.start]))


def _score(cand: Candidate, qtype: QuestionType, weights: Weights) -> float:
    # One vote per sentence: the best-fitting mention in it.
    per_sentence: dict[tuple[int, int], tuple[str, float]] = {}
    for m in cand.mentions:
        prior = qtype.prior(m.label) if m.label in qtype.labels else (1.0 if qtype.closed_class else 0.0)
        if m.label == "DATE" and _RELATIVE_DATE.match(normalise(m.text)):
            prior *= weights.relative_date
        if _is_attribution(m):
            prior *= weights.attribution
        vote = m.evidence.weight * prior
        where = (m.evidence.passage, m.evidence.sentence.start)
        if vote > per_sentence.get(where, ("", -1.0))[1]:
            per_sentence[where] = (m.evidence.article_id, vote)
    per_article: dict[str, list[float]] = defaultdict(list)
    for article_id, vote in per_sentence.values():
        per_article[article_id].append(vote)
    support = 0.0
    for votes in per_article.values():
        votes.sort(reverse=True)
        support += votes[0] + weights.same_article * sum(votes[1:])
    return support * (1.0 + weights.agreement) ** (len(per_article) - 1)


def _expand(cand: Candidate, evidence: Sequence[Evidence]) -> None:
    """Add the mentions the recogniser missed: the candidate's names (and acronym) written
    elsewhere in the evidence, case and word boundaries respected."""
    names = {surface(m.text) for m in cand.mentions}
    names |= {acronym(n).upper() for n in names if len(acronym(n)) >= 3}
    names = {n for n in names if len(n) >= 2}
    if not names:
        return
    label = cand.labels.most_common(1)[0][0]
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])")
    taken = {(m.evidence.passage, m.evidence.sentence.start, m.start) for m in cand.mentions}
    covered = [(m.evidence.passage, m.evidence.sentence.start, m.start, m.end) for m in cand.mentions]
    for ev in evidence:
        for found in pattern.finditer(ev.sentence.text):
            where = (ev.passage, ev.sentence.start, found.start())
            if where in taken or any(
                p == ev.passage and s == ev.sentence.start and a <= found.start() < b for p, s, a, b in covered
            ):
                continue
            taken.add(where)
            cand.mentions.append(Mention(ev, found.start(), found.end(), found.group(0), label))


def rank_candidates(
    question: str,
    qtype: QuestionType,
    mentions: Sequence[Mention],
    evidence: Sequence[Evidence] = (),
    weights: Weights = Weights(),
) -> list[Candidate]:
    """Candidates for the short answer, best first (empty when nothing fits).

    ``evidence``: the sentences the mentions came from, searched again for names the
    recogniser missed.
    """
    candidates = _merge_variants(_group(mentions))
    out = []
    for cand in candidates:
        if in_question(cand, qtype, question):
            continue
        _expand(cand, evidence)
        cand.score = _score(cand, qtype, weights)
        if cand.score <= 0:
            continue
        cand.display = _display(cand)
        out.append(cand)
    out.sort(key=lambda c: (-c.score, -len(c.articles), -max(m.evidence.weight for m in c.mentions), c.key))
    return out
