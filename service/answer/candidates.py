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
from functools import lru_cache

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
    min_prior: float = 0.0  # labels that fit the question less than this are ignored
    proximity: float = 0.0  # share of a vote that depends on being near the question's words
    unit: float = 0.5  # "how many days": a number without "days" after it
    title: float = 0.5  # support from each passage whose article's headline names the candidate


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
_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_VAGUE_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday the this last next past coming previous
    earlier later recent early late mid today tonight yesterday tomorrow now""".split()
)


def vague_date(text: str) -> bool:
    """A date that names no day, month, year or occasion: "this week", "Monday", "decades"."""
    if any(ch.isdigit() for ch in text):
        return False
    for word in re.findall(r"[^\W\d_]+", text):
        low = word.lower()
        if low in _MONTHS or (word[0].isupper() and low not in _VAGUE_WORDS):
            return False
    return True


_TERM = re.compile(r"[^\W_]+")


def _term_positions(text: str, terms: frozenset[str]) -> list[int]:
    """Where the question's words (compared by their first five letters) occur in ``text``."""
    stems = {t[:5] for t in terms if len(t) > 2}
    return [m.start() for m in _TERM.finditer(text.lower()) if m.group(0)[:5] in stems]


def _proximity(m: Mention, positions: list[int]) -> float:
    """1 next to a question word, falling with the distance in characters; 0 with none."""
    if not positions:
        return 0.0
    dist = min(0 if m.start <= p < m.end else min(abs(p - m.start), abs(p - m.end)) for p in positions)
    return 1.0 / (1.0 + dist / 40.0)


def _names_unit(m: Mention, unit: str) -> bool:
    """Does "how many <unit>" find its unit in or just after the mention ("10 inmates")?"""
    stem = unit.lower()[:5]
    after = m.evidence.sentence.text[m.start : m.end + 40].lower()
    return any(w[:5] == stem for w in _TERM.findall(after)[:6])


def _clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(t.split())


def surface(text: str) -> str:
    """A mention as it may be shown: no leading "the", no quotes or punctuation around it."""
    t = _clean(text).strip(" \"\u201c\u201d,;:-")
    t = re.sub(r"^(?:the|The|THE)\s+", "", t)
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
            if label == "MONEY":  # the recogniser leaves the currency sign out: "$" "2,000"
                while start > 0 and text[start - 1] in "$\u00a3\u20ac\u00a5":
                    start -= 1
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
    """Fold acronyms and short forms into the one full name they stand for: "CSTO" into
    "Collective Security Treaty Organization", "Alcaraz" into "Carlos Alcaraz", "Lions" into
    "Detroit Lions" (not "Korea" when both "North Korea" and "South Korea" are there)."""
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
        target: Candidate | None = None
        if any(_looks_like_acronym(m.text) for m in cand.mentions):
            options = {c.key: c for c in full_by_acronym.get(cand.key.replace(" ", ""), []) if c is not cand}
            if len(options) == 1:
                target = next(iter(options.values()))
        if target is None and not any(ch.isdigit() for ch in cand.key):
            labels = set(cand.labels)
            options = {
                c.key: c for c in by_suffix.get(tuple(cand.key.split()), []) if c is not cand and labels & set(c.labels)
            }
            if len(options) == 1:
                target = next(iter(options.values()))
        while target is not None and target.key in merged:
            target = merged[target.key]
        if target is not None and target is not cand:
            target.mentions.extend(cand.mentions)
            merged[cand.key] = target
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


def _stem(token: str) -> str:
    return token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token


@lru_cache(maxsize=256)
def _question_words(question: str) -> tuple[str, frozenset[str]]:
    cleaned = re.sub(r"'s\b", "", _PAREN.sub("", _clean(question)))
    tokens = [_stem(t) for t in _tokens(cleaned)]
    return " " + " ".join(tokens) + " ", frozenset(tokens)


def in_question(cand: Candidate, qtype: QuestionType, question: str) -> bool:
    """Does the question itself name this candidate (so it cannot be the answer)?"""
    joined, words = _question_words(question)
    tokens = [_stem(t) for t in cand.key.split()]
    if not tokens:
        return True
    key = " ".join(tokens)
    if f" {key} " in joined:
        return True
    content = [t for t in tokens if t not in _STOP]
    numeric = any(ch.isdigit() for ch in key)
    if content and not numeric and all(t in words for t in content):
        return True
    last = tokens[-1]
    if not numeric and len(last) > 3 and last in words and last not in _GENERIC_NAME_WORDS:
        return True  # "Kassym-Jomart Tokayev" when the question says "Tokayev"
    if len(tokens) == 1 and len(key) >= 4 and not numeric and any(
        w.startswith(key) and len(w) - len(key) <= 3 for w in words
    ):
        return True  # "Israel" when the question says "Israeli"
    initials = {acronym(m.text) for m in cand.mentions} - {""}
    if initials & words:
        return True
    question_acronyms = {normalise(e) for e in qtype.entities if _looks_like_acronym(e)}
    question_acronyms |= {t.lower().replace(".", "") for t in re.findall(r"\b[A-Z][A-Z.]{1,6}\b", question)}
    return len(key) > 1 and cand.key.replace(" ", "") in question_acronyms


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
        if prior < weights.min_prior:
            continue
        if m.label == "DATE" and vague_date(m.text):
            # "this week" may answer "when", never "which holiday".
            prior *= weights.relative_date if qtype.wh in {"when", "how long", "how many"} else 0.0
        if _is_attribution(m):
            prior *= weights.attribution
        if qtype.wh == "how many" and qtype.head and not _names_unit(m, qtype.head):
            prior *= weights.unit
        if weights.proximity:
            positions = _term_positions(m.evidence.sentence.text, qtype.terms)
            prior *= 1.0 - weights.proximity + weights.proximity * _proximity(m, positions)
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


def _occurrences(text: str, names: Sequence[str]) -> list[tuple[int, int]]:
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
                and not any(a < end and at < b for a, b in spans)
            ):
                spans.append((at, end))
            at = text.find(name, at + 1)
    return spans


def _names(cand: Candidate) -> list[str]:
    """How the candidate is written (and its acronym), longest first."""
    names = {surface(m.text) for m in cand.mentions}
    names |= {acronym(n).upper() for n in names if len(acronym(n)) >= 3}
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


def _expand(cand: Candidate, evidence: Sequence[Evidence]) -> None:
    """Add the mentions the recogniser missed: the candidate's names (and acronym) written
    elsewhere in the evidence, case and word boundaries respected."""
    names = _names(cand)
    if not names:
        return
    label = cand.labels.most_common(1)[0][0]
    covered: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for m in cand.mentions:
        covered[(m.evidence.passage, m.evidence.sentence.start)].append((m.start, m.end))
    for ev in evidence:
        taken = covered[(ev.passage, ev.sentence.start)]
        for start, end in _occurrences(ev.sentence.text, names):
            if any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            cand.mentions.append(Mention(ev, start, end, ev.sentence.text[start:end], label))


def _headline_support(cand: Candidate, headlines: Sequence[tuple[str, float]]) -> float:
    names = _names(cand)
    return sum(weight for title, weight in headlines if names and _occurrences(title, names))


def _merge_with_head(candidates: list[Candidate], qtype: QuestionType) -> list[Candidate]:
    """"Which city": "Gaza" and "Gaza City" are one answer, written in full."""
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


def rank_candidates(
    question: str,
    qtype: QuestionType,
    mentions: Sequence[Mention],
    evidence: Sequence[Evidence] = (),
    weights: Weights = Weights(),
    headlines: Sequence[tuple[str, float]] = (),
) -> list[Candidate]:
    """Candidates for the short answer, best first (empty when nothing fits).

    ``evidence``: the sentences the mentions came from, searched again for names the
    recogniser missed. ``headlines``: (title, passage weight) of each article the passages
    come from; a headline that names a candidate adds ``weights.title`` times its weight.
    """
    candidates = _merge_with_head(_merge_variants(_group(mentions)), qtype)
    out = []
    for cand in candidates:
        if in_question(cand, qtype, question):
            continue
        _expand(cand, evidence)
        cand.score = _score(cand, qtype, weights)
        if cand.score > 0 and weights.title and headlines:
            cand.score += weights.title * _headline_support(cand, headlines)
        if cand.score <= 0:
            continue
        cand.display = _display(cand)
        out.append(cand)
    out.sort(key=lambda c: (-c.score, -len(c.articles), -max(m.evidence.weight for m in c.mentions), c.key))
    return out
