"""The default answerer: no LLM, only the evidence's own sentences and the entities in them.

``answer`` reads what the question asks for (``question_types``), weighs every scored
sentence of the passages (its score relative to the best one, times a weight that falls with
the passage's rank), runs spaCy's entity recogniser over the most relevant sentences only,
and lets the entities of the expected type compete (``candidates``). The winner is the
short answer; the answer text is one to three of the sentences that name it, copied
verbatim from their passages and each followed by its ``[n]`` marker, so the citation
check finds every one of them word for word.

When no sentence is relevant enough there is nothing to say: ``answered`` is False and the
orchestrator writes the abstention. When sentences are relevant but none names an entity
of the expected type (a "why" question, "which of the following ..."), the answer is the
best sentence(s) and ``short_answer`` is None.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from service.answer.base import AnswersAtOnce
from service.answer.candidates import rank_candidates
from service.answer.coverage import NAME_WEIGHT, content_weights, coverage
from service.answer.durations import until_mentions
from service.answer.future_dates import asks_about_the_future, before_its_report
from service.answer.grouping import Candidate
from service.answer.mentions import Evidence, Mention, closed_class_mentions, entity_mentions
from service.answer.models import AnswerDraft
from service.answer.names import normalise
from service.answer.nlp import PIPELINE_LOCK, EntityCache, load_nlp
from service.answer.question_types import NAME_LABELS, QuestionType, classify
from service.answer.repeats import repeats
from service.answer.roles import RoleCache
from service.answer.scoring import Weights, vague_date
from service.answer.sentence_ends import asks, ends_sentence
from service.answer.several import asks_for_several, asks_for_two, join_listed, join_pair
from service.answer.weekdays import names_a_weekday
from service.retrieval.evidence import Passage
from service.stages import staged

__all__ = ["ExtractiveAnswerer"]

_Cache = TypeVar("_Cache", EntityCache, RoleCache)
_caches: dict[tuple[type, int], EntityCache | RoleCache] = {}
_caches_lock = threading.Lock()


def _shared_cache(kind: type[_Cache], nlp: Any) -> _Cache:
    """One cache of ``kind`` (entities, roles) per loaded pipeline, shared by every answerer in the process."""
    with _caches_lock:
        cache = _caches.get((kind, id(nlp)))
        if not isinstance(cache, kind) or cache.nlp is not nlp:
            cache = kind(nlp)
            _caches[(kind, id(nlp))] = cache
        return cache


_WORDS = re.compile(r"\w+")


def _drop_near_copies(evidence: list[Evidence], window: int, overlap: float = 0.75) -> list[Evidence]:
    """Among the first ``window`` sentences, keep one of each group of near-identical ones
    (a syndicated story lightly edited): copies are no independent agreement."""
    kept: list[Evidence] = []
    words: list[set[str]] = []
    for ev in evidence[:window]:
        w = set(_WORDS.findall(ev.sentence.text.lower()))
        if any(len(w & other) >= overlap * len(w | other) for other in words):
            continue
        kept.append(ev)
        words.append(w)
    return kept + evidence[window:]


def _fragments_last(chosen: list[Evidence]) -> list[Evidence]:
    """At most one fragment (a headline without a full stop), and last: followed by another
    sentence, it would run into it when the answer is split into sentences again."""
    whole = [ev for ev in chosen if ends_sentence(ev.sentence.text)]
    fragments = [ev for ev in chosen if not ends_sentence(ev.sentence.text)]
    return whole + fragments[:1]


# Questions whose answer is always an entity of one kind: no such entity, no answer.
_SPECIFIC_WH = frozenset({"who", "when", "where", "how many", "how much"})
# Questions asking for a date or a figure: the recogniser labels these reliably, so a weak fit
# ("8,000 people" for "how much did it cost?") means the evidence lacks the answer. Names are
# often mislabelled (a company tagged PERSON), so a weak label proves nothing for them.
_MEASURED_WH = frozenset({"when", "how many", "how much", "how long", "how old", "how measure"})


def _relative_timeliness(passages: list[Passage]) -> list[float]:
    """Each passage's timeliness relative to the most current one: when every passage is old alike,
    none is discounted."""
    timeliest = max((p.timeliness for p in passages), default=1.0)
    return [p.timeliness / timeliest for p in passages]


def _already_past(cand: Candidate, passages: list[Passage]) -> bool:
    """Is every mention of ``cand`` a date before the day its article was published?"""
    return all(
        m.label == "DATE" and before_its_report(m.text, passages[m.evidence.passage].published_at)
        for m in cand.mentions
    )


class ExtractiveAnswerer(AnswersAtOnce):
    """Answers from the evidence sentences alone: an entity as short answer, sentences as answer.

    ``nlp``: a spaCy pipeline with ``ner`` (and ``tagger``, for reading questions); default:
    the bundled small English pipeline, loaded on first use, once per process.
    ``min_sentence_score``: sentences scoring at or below it are not evidence.
    ``top_sentences``: how many of the most relevant sentences are searched for entities
    (the latency budget: entity recognition is the costly step).
    ``passage_decay``: passage ``i`` (0-based) weighs ``1 / (1 + passage_decay * i)``.
    ``relevance_power``: a sentence weighs ``(score / best score) ** relevance_power``.
    ``cache_entities``: remember the entities of sentences across calls (process-wide).
    ``expand_sentences``: how many of the most relevant sentences are searched, by plain string
    matching, for further mentions of the names the recogniser found (cheap support).
    ``min_fit``: the best candidate's label must fit the question at least this well (the
    label's prior), or the answerer declines (``declines``).
    Every answered draft carries its ``coverage``: the share of the question's content words its
    best sentence (with its headline) holds; the asker declines below ``min_coverage``.
    """

    name = "extractive"

    def __init__(
        self,
        nlp: Any | None = None,
        *,
        min_sentence_score: float = 0.0,
        top_sentences: int = 8,
        passage_decay: float = 0.15,
        relevance_power: float = 2.0,
        weights: Weights | None = None,
        max_sentences: int = 3,
        cache_entities: bool = True,
        expand_sentences: int = 24,
        min_fit: float = 0.5,
    ):
        self._nlp = nlp
        self.cache_entities = cache_entities
        self.expand_sentences = expand_sentences
        self.min_fit = min_fit
        self.min_sentence_score = min_sentence_score
        self.top_sentences = top_sentences
        self.passage_decay = passage_decay
        self.relevance_power = relevance_power
        self.weights = weights or Weights()
        self.max_sentences = max(1, min(3, max_sentences))
        self._questions: OrderedDict[str, QuestionType] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline (loaded on first use)."""
        if self._nlp is None:
            self._nlp = load_nlp()
        return self._nlp

    @staged("question type")
    def question_type(self, question: str) -> QuestionType:
        """What ``question`` asks for (remembered: the same questions come back)."""
        with self._lock:
            hit = self._questions.get(question)
        if hit is None:
            nlp = self.nlp
            with PIPELINE_LOCK:
                hit = classify(question, nlp)
            with self._lock:
                self._questions[question] = hit
                while len(self._questions) > 4096:
                    self._questions.popitem(last=False)
        return hit

    def answer(
        self,
        question: str,
        passages: list[Passage],
        already_said: Sequence[str] = (),
        as_of: date | None = None,
    ) -> AnswerDraft:
        """Draft an answer whose sentences are verbatim evidence, each marked ``[n]`` (1-based).

        A candidate that only repeats ``already_said`` (a follow-up's earlier answers) gives way to
        the next one: "where in Texas was it sold?" after "Missouri and Texas" is not "Missouri".
        """
        evidence = self.evidence(passages)
        if not evidence:
            return AnswerDraft(text="", short_answer=None, answered=False, answerer=self.name)
        qtype = self.question_type(question)
        best = self.best_candidate(question, qtype, evidence, passages, already_said)
        if self.declines(qtype, best):
            what = "name" if qtype.wh in ("which", "what", "who") else ("date" if qtype.wh == "when" else "figure")
            return AnswerDraft(
                text="",
                short_answer=None,
                answered=False,
                answerer=self.name,
                note=f"the evidence names no {what} of the kind the question asks for",
            )
        covered = self.coverage(question, qtype, best, evidence, passages)
        chosen = self._supporting(best, evidence)
        text = " ".join(f"{ev.sentence.text} [{ev.passage + 1}]" for ev in chosen)
        short = best.display if best else None
        return AnswerDraft(text=text, short_answer=short, answered=True, answerer=self.name, coverage=covered)

    def declines(self, qtype: QuestionType, best: Candidate | None) -> bool:
        """Whether to say the archive holds no answer: the question asks for a date or a figure
        and the best the evidence offers is a weak fit ("8,000 people" for "how much did it
        cost?") or, for "when", only a vague date ("late-night", "Monday"), or it asks who, when,
        where, how many or how much and the evidence names nothing of the kind. (An answer whose every
        sentence is about another year is declined by the ask flow, for every answerer:
        :mod:`service.answer.other_years`.) Names are often
        mislabelled, so a weak label declines a name question only when it is a nationality
        ("European" for "which hockey player?"): that is no mislabelled name."""
        if not qtype.wants_entity or qtype.closed_class:
            return False
        if best is None:
            return qtype.wh in _SPECIFIC_WH
        if qtype.wh not in _MEASURED_WH:
            return all(m.label == "NORP" for m in best.mentions) and qtype.prior("NORP") < self.min_fit
        if qtype.wh == "when" and all(
            m.label in ("DATE", "TIME") and vague_date(m.text) and not names_a_weekday(m.text) for m in best.mentions
        ):
            return True  # "late-night", "this week": no date a reader can place ("Monday" is, from the report's date)
        fit = max((qtype.prior(m.label) for m in best.mentions), default=0.0)
        return fit < self.min_fit

    def coverage(
        self,
        question: str,
        qtype: QuestionType,
        best: Candidate | None,
        evidence: list[Evidence],
        passages: list[Passage],
        name_weight: float = NAME_WEIGHT,
    ) -> float:
        """The best weighted share of the question's content words held by a sentence naming ``best``
        (with its article's headline); without a short answer, by the most relevant sentence."""
        weights = content_weights(question, qtype, name_weight)
        sentences = [m.evidence for m in best.mentions] if best else evidence[:1]
        return max(
            (coverage(weights, [ev.sentence.text, passages[ev.passage].article.title or ""]) for ev in sentences),
            default=0.0,
        )

    @staged("evidence")
    def evidence(self, passages: list[Passage]) -> list[Evidence]:
        """Relevant sentences, each once, weighted; best first. A question in an article (an explainer's
        subheading, "Who voted against the Epstein files?") is none: it reads like the question asked and
        states nothing (:func:`~service.answer.sentence_ends.asks`)."""
        rows: list[tuple[int, str, Any]] = []
        seen_at: set[tuple[str, int]] = set()
        seen_text: set[str] = set()
        for i, passage in enumerate(passages):
            for sentence in passage.sentences:
                if sentence.score <= self.min_sentence_score or not sentence.text.strip() or asks(sentence.text):
                    continue
                at = (passage.article.id, sentence.start)
                flat = " ".join(sentence.text.lower().split())
                if at in seen_at or flat in seen_text:  # chunk overlap, or a syndicated copy
                    continue
                seen_at.add(at)
                seen_text.add(flat)
                rows.append((i, passage.article.id, sentence))
        if not rows:
            return []
        floor = self.min_sentence_score
        top = max(s.score for _, _, s in rows) - floor
        timely = _relative_timeliness(passages)
        out = [
            Evidence(
                passage=i,
                article_id=article_id,
                sentence=s,
                weight=((s.score - floor) / top) ** self.relevance_power / (1.0 + self.passage_decay * i) * timely[i],
            )
            for i, article_id, s in rows
        ]
        out.sort(key=lambda ev: (-ev.weight, ev.passage, ev.sentence.start))
        return _drop_near_copies(out, 3 * self.top_sentences)

    @staged("candidates")
    def candidates(
        self, question: str, qtype: QuestionType, evidence: list[Evidence], passages: list[Passage] | None = None
    ) -> list[Candidate]:
        """Short-answer candidates, best first."""
        if not qtype.wants_entity:
            return []
        headlines: dict[str, tuple[str, float]] = {}
        sources: set[str] = set()
        timely = _relative_timeliness(passages or [])
        for i, p in enumerate(passages or []):
            if p.article.source:
                sources.add(p.article.source)
            if p.article.title and p.article.id not in headlines:
                headlines[p.article.id] = (p.article.title, timely[i] / (1.0 + self.passage_decay * i))
        scanned = evidence[: max(self.top_sentences, self.expand_sentences)]
        ranked: list[Candidate] = []
        # The most relevant sentences first; only when none names a fitting entity, further ones.
        for searched in (evidence[: self.top_sentences], scanned):
            if qtype.closed_class:
                mentions = closed_class_mentions(searched, qtype.closed_class)
            else:
                texts = [ev.sentence.text for ev in searched]
                cache = _shared_cache(EntityCache, self.nlp) if self.cache_entities else EntityCache(self.nlp)
                entities = cache.entities(texts)
                mentions = entity_mentions(searched, entities, qtype)
                if qtype.role and self.weights.role:
                    mentions = self._with_roles(mentions)
                if qtype.wh == "how long":
                    mentions = [*mentions, *until_mentions(searched)]
            ranked = rank_candidates(
                question, qtype, mentions, scanned, self.weights, list(headlines.values()), sorted(sources)
            )
            if ranked or len(searched) >= len(scanned):
                break
        return ranked

    def _with_roles(self, mentions: list[Mention]) -> list[Mention]:
        """The mentions, each with its role where its sentence names two or more candidates (parsed)."""
        names: dict[str, set[str]] = {}
        for m in mentions:
            if m.label in NAME_LABELS:  # who did what to whom: names, not the sums or dates they name
                names.setdefault(m.evidence.sentence.text, set()).add(normalise(m.text))
        contested = [text for text, found in names.items() if len(found) > 1]
        if not contested:
            return mentions
        roles = dict(zip(contested, _shared_cache(RoleCache, self.nlp).roles(contested), strict=True))
        out = []
        for m in mentions:
            found = roles.get(m.evidence.sentence.text, {}) if m.label in NAME_LABELS else {}
            role = next((r for at, r in found.items() if m.start <= at < m.end), None)
            out.append(replace(m, role=role) if role else m)
        return out

    def best_candidate(
        self,
        question: str,
        qtype: QuestionType,
        evidence: list[Evidence],
        passages: list[Passage] | None = None,
        already_said: Sequence[str] = (),
    ) -> Candidate | None:
        """The short answer's candidate, or None when no entity fits; for "which two", the best two.
        Candidates that repeat ``already_said`` are none, and so, for a question about a date still to
        come ("when is the funeral?"), are dates their reports place before the day they were written."""
        ranked = self.candidates(question, qtype, evidence, passages)
        if already_said:
            ranked = [c for c in ranked if not repeats(c.display, already_said)]
        if qtype.wh == "when" and passages and asks_about_the_future(question):
            ranked = [c for c in ranked if not _already_past(c, passages)]
        if len(ranked) >= 2 and asks_for_two(question):
            return join_pair(ranked[0], ranked[1])
        if len(ranked) >= 2 and asks_for_several(question, qtype):
            return join_listed(ranked) or ranked[0]
        return ranked[0] if ranked else None

    @staged("supporting sentences")
    def _supporting(self, best: Candidate | None, evidence: list[Evidence]) -> list[Evidence]:
        """One to three sentences: those naming the answer (in full where they can), from
        different articles; without a short answer, the most relevant sentence(s)."""
        if best is None:
            chosen = [evidence[0]]
            for ev in evidence[1:]:
                if len(chosen) >= min(2, self.max_sentences) or ev.weight < 0.8 * chosen[0].weight:
                    break
                if ev.article_id != chosen[0].article_id:
                    chosen.append(ev)
            return _fragments_last(chosen)
        full = best.display.lower()
        support: dict[tuple[int, int], Evidence] = {}
        for m in best.mentions:
            support[(m.evidence.passage, m.evidence.sentence.start)] = m.evidence

        def rank(ev: Evidence) -> float:
            in_full = 1.0 if full in ev.sentence.text.lower() else 0.8
            return ev.weight * in_full * (1.0 if ends_sentence(ev.sentence.text) else 0.7)

        ordered = sorted(support.values(), key=lambda ev: (-rank(ev), ev.passage, ev.sentence.start))
        chosen = [ordered[0]]
        for ev in ordered[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if ev.weight >= 0.5 * chosen[0].weight and ev.article_id not in {c.article_id for c in chosen}:
                chosen.append(ev)
        return _fragments_last(chosen)
