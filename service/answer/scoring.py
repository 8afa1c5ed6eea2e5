"""How much the evidence supports a candidate.

Every mention of a fitting entity in a relevant sentence votes for its candidate with that
sentence's weight (its relevance to the question times its passage's rank weight) times how
well the entity's label fits the question. Within one article, further mentions count for
less; each further article that names the same candidate multiplies its support (agreement
across independent reports is the strongest sign we have). A vote counts more where the
question's wh-phrase sits ("members of X") or beside its head noun ("the cartel X"), less for
the speaker of a statement ("..., Tokayev said") or a vague date.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from service.answer.grouping import CONFUSED_LABELS, Candidate, names_of, occurrences
from service.answer.mentions import Mention
from service.answer.names import normalise
from service.answer.question_types import NAME_LABELS, QuestionType
from service.answer.wordlists import entries, word_set
from service.retrieval.time_hints import YEAR

__all__ = ["Weights", "beside_head", "headline_support", "is_numeric", "score", "vague_date"]


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
    slot: float = 0.5  # a mention where the question's wh-phrase sits ("members of X", "X won")
    beside_head: float = 0.5  # a mention just after the question's head noun ("the cartel Tren de Aragua")
    role: float = 0.5  # a mention in the role the question asks about ("who won": the subject) vs the other


_TERM = re.compile(r"[^\W_]+")
# Heads of days with a name of their own ("which holiday": Diwali, not the date it fell on).
_NAMED_DAY_HEADS = word_set("heads_holiday") | {"festival"}
# Labels of names a head noun may stand right before ("the cartel Tren de Aragua").
_NAMEABLE = frozenset(NAME_LABELS) - {"LANGUAGE"}
_NUMERIC_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})
# The wh-words whose phrase an entity fills ("why" asks for a reason, never an entity).
_QUESTION_WORDS = word_set("wh_words") - {"why"}


def vague_date(text: str) -> bool:
    """A date that names no day, month, year or occasion: "this week", "Monday", "decades"."""
    if any(ch.isdigit() for ch in text):
        return False
    vague_words = word_set("weekdays") | word_set("relative_date_words")
    for word in re.findall(r"[^\W\d_]+", text):
        low = word.lower()
        if low in word_set("months") or (word[0].isupper() and low not in vague_words):
            return False
    return True


def _calendar_date(text: str) -> bool:
    """A date on the calendar (a year, a month or a weekday), not a span such as an age or a stay."""
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", text)}
    return bool(YEAR.search(text) or words & (word_set("months") | word_set("weekdays")))


# A date written as a modifier of a noun: "19th-century", "four-year", "six-hour".
_SPAN_MODIFIER = re.compile(r"^\S+-(?:century|year|month|week|day|hour|minute|decade)s?(?:-old)?$", re.IGNORECASE)


def _duration(text: str) -> bool:
    """A length of time ("three weeks", "43 days", "six months"): a count, then a unit of time."""
    words = text.lower().split()
    return len(words) >= 2 and words[-1].strip(".,") in word_set("time_units")


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


@cache
def _attribution_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ "X said" / "X, ... added" after a name, and "said X" / "according to X" before one."""
    verbs = "|".join(re.escape(v) for v in entries("speech_verbs"))
    after = re.compile(rf"^[\s,]*(?:(?:has|had|have)\s+)?(?:{verbs})\b")
    before = re.compile(r"(?:\bsaid|\bsays|\btold|\baccording to|\bsaid on \w+)[\s,]*$")
    return after, before


def _is_attribution(m: Mention) -> bool:
    """Is the mention the speaker of a statement ("..., Tokayev said")?"""
    if m.label not in {"PERSON", "ORG"}:
        return False
    text = m.evidence.sentence.text
    said_after, said_before = _attribution_patterns()
    return bool(said_after.match(text[m.end :]) or said_before.search(text[: m.start]))


@lru_cache(maxsize=256)
def _slot_context(question: str, head: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """Content words just before the question's wh-phrase ("members of which cartel": members)
    and just after it ("which player won ...": won), as 5-letter stems."""
    skipped = word_set("function_words") | word_set("slot_fillers")
    words = _TERM.findall(question.lower())
    at = max((i for i, w in enumerate(words) if w in _QUESTION_WORDS), default=None)
    if at is None:
        return frozenset(), frozenset()
    left = [w for w in words[max(0, at - 3) : at] if w not in skipped]
    j = at + 1
    if head:
        stem = head[:4]
        for k in range(at + 1, min(len(words), at + 6)):
            if words[k].startswith(stem):
                j = k + 1
                break
    right = [w for w in words[j : j + 3] if w not in skipped][:1]
    return frozenset(w[:5] for w in left[-1:]), frozenset(w[:5] for w in right)


def _in_slot(m: Mention, left: frozenset[str], right: frozenset[str]) -> bool:
    text = m.evidence.sentence.text.lower()
    before = {w[:5] for w in _TERM.findall(text[max(0, m.start - 40) : m.start])[-4:]}
    after = {w[:5] for w in _TERM.findall(text[m.end : m.end + 30])[:3]}
    return bool(left & before) or bool(right & after)


def beside_head(text: str, start: int, end: int, head: str) -> bool:
    """Is the mention next to the question's head noun: "the drug cartel Tren de Aragua",
    "the fast-food chain McDonald's"? (A sign of its type the recogniser may miss.)"""
    stem = head.lower()[: max(4, len(head) - 1)]
    before = _TERM.findall(text[max(0, start - 30) : start].lower())[-2:]
    return any(w.startswith(stem) and len(w) <= len(head) + 2 for w in before)


def _prior(m: Mention, label: str, qtype: QuestionType, weights: Weights, question: str, top: float) -> float | None:
    """How much one mention's vote counts for the question, before its sentence's weight;
    None when its label does not fit the question (no vote at all)."""
    prior = qtype.prior(label) if label in qtype.labels else (1.0 if qtype.closed_class else 0.0)
    named_by_role = bool(
        weights.beside_head
        and prior > 0
        and qtype.wh in {"which", "what", "who"}
        and qtype.head
        and m.label in _NAMEABLE
        and beside_head(m.evidence.sentence.text, m.start, m.end, qtype.head)
    )
    if named_by_role:
        prior = max(prior, top) * (1.0 + weights.beside_head)
    if m.label == "DATE" and qtype.wh in ("how old", "how long") and _calendar_date(m.text):
        prior = 0.0  # an age or a length of time is "31 years", "43 days", never "2022", "last May" or "Thursday"
    elif m.label in ("DATE", "TIME") and qtype.wh in ("how old", "how long") and _duration(m.text):
        pass  # "three weeks" names no day, and is just what "how long" asks for
    elif m.label in ("DATE", "TIME") and vague_date(m.text):
        # "this week", "late-night" may answer "when", never "which holiday".
        prior *= weights.relative_date if qtype.wh in {"when", "how long", "how many"} else 0.0
    elif m.label in ("DATE", "TIME") and qtype.wh == "when" and _SPAN_MODIFIER.search(m.text):
        prior = 0.0  # "the 19th-century customs house", "a four-year restoration": no time anything happens
    elif m.label == "DATE" and qtype.head in _NAMED_DAY_HEADS and any(ch.isdigit() for ch in m.text):
        prior = 0.0  # "which holiday": Diwali, not the "Monday, Oct. 20" it fell on
    if prior <= 0 or prior < weights.min_prior:
        return None
    if weights.slot and question:
        left, right = _slot_context(question, qtype.head)
        if qtype.role == "patient":
            right = frozenset()  # "who was awarded ...": "X awarded" names the giver, not the one asked for
        if _in_slot(m, left, right):
            prior *= 1.0 + weights.slot
    if weights.role and qtype.role and m.role:
        prior *= 1.0 + weights.role if m.role == qtype.role else 1.0 / (1.0 + weights.role)
    if _is_attribution(m) and not named_by_role:  # "Chief librarian Elena Marsh said": asked for, not a source
        prior *= weights.attribution
    if qtype.wh == "how many" and qtype.head and not _names_unit(m, qtype.head):
        prior *= weights.unit
    if weights.proximity:
        positions = _term_positions(m.evidence.sentence.text, qtype.terms)
        prior *= 1.0 - weights.proximity + weights.proximity * _proximity(m, positions)
    return prior


def score(cand: Candidate, qtype: QuestionType, weights: Weights, question: str = "") -> float:
    """The candidate's support: one vote per sentence (its best-fitting mention), summed per
    article with further sentences discounted, multiplied for each further article."""
    per_sentence: dict[tuple[int, int], tuple[str, float]] = {}
    top = max(qtype.labels.values(), default=1.0)
    # A short form ("Alcaraz", tagged ORG) takes the label of the full name it was folded into
    # ("Carlos Alcaraz", PERSON) when the recogniser confuses the two.
    full = Counter(m.label for m in cand.mentions if normalise(m.text) == cand.key)
    full_label = full.most_common(1)[0][0] if full and len(cand.key.split()) > 1 else None
    for m in cand.mentions:
        label = m.label
        if (
            full_label
            and label != full_label
            and any({label, full_label} <= g for g in CONFUSED_LABELS)
            and normalise(m.text) != cand.key
        ):
            label = full_label
        prior = _prior(m, label, qtype, weights, question, top)
        if prior is None:
            continue
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


def is_numeric(cand: Candidate) -> bool:
    """Is every mention of the candidate a number (a count, a sum, a share)?"""
    return all(m.label in _NUMERIC_LABELS for m in cand.mentions)


def headline_support(cand: Candidate, headlines: Sequence[tuple[str, float]]) -> float:
    """The summed weights of the headlines that name the candidate."""
    names = names_of(cand)
    return sum(weight for title, weight in headlines if names and occurrences(title, names))
