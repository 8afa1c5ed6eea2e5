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

import threading
from collections import OrderedDict
from typing import Any

from service.answer.candidates import (
    Candidate,
    Evidence,
    Weights,
    closed_class_mentions,
    entity_mentions,
    rank_candidates,
)
from service.answer.models import AnswerDraft
from service.answer.nlp import EntityCache, load_nlp
from service.answer.question_types import QuestionType, classify
from service.retrieval.evidence import Passage

__all__ = ["ExtractiveAnswerer"]

_caches: dict[int, EntityCache] = {}
_caches_lock = threading.Lock()


def _entity_cache(nlp: Any) -> EntityCache:
    """One entity cache per loaded pipeline, shared by every answerer in the process."""
    with _caches_lock:
        cache = _caches.get(id(nlp))
        if cache is None or cache.nlp is not nlp:
            cache = _caches[id(nlp)] = EntityCache(nlp)
        return cache


class ExtractiveAnswerer:
    """Answers from the evidence sentences alone: an entity as short answer, sentences as answer.

    ``nlp``: a spaCy pipeline with ``ner`` (and ``tagger``, for reading questions); default:
    the bundled small English pipeline, loaded on first use, once per process.
    ``min_sentence_score``: sentences scoring at or below it are not evidence.
    ``top_sentences``: how many of the most relevant sentences are searched for entities
    (the latency budget: entity recognition is the costly step).
    ``passage_decay``: passage ``i`` (0-based) weighs ``1 / (1 + passage_decay * i)``.
    ``relevance_power``: a sentence weighs ``(score / best score) ** relevance_power``.
    ``cache_entities``: remember the entities of sentences across calls (process-wide).
    """

    name = "extractive"

    def __init__(
        self,
        nlp: Any | None = None,
        *,
        min_sentence_score: float = 0.0,
        top_sentences: int = 12,
        passage_decay: float = 0.15,
        relevance_power: float = 2.0,
        weights: Weights | None = None,
        max_sentences: int = 3,
        cache_entities: bool = True,
    ):
        self._nlp = nlp
        self.cache_entities = cache_entities
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

    def question_type(self, question: str) -> QuestionType:
        """What ``question`` asks for (remembered: the same questions come back)."""
        with self._lock:
            hit = self._questions.get(question)
        if hit is None:
            hit = classify(question, self.nlp)
            with self._lock:
                self._questions[question] = hit
                while len(self._questions) > 4096:
                    self._questions.popitem(last=False)
        return hit

    def answer(self, question: str, passages: list[Passage]) -> AnswerDraft:
        """Draft an answer whose sentences are verbatim evidence, each marked ``[n]`` (1-based)."""
        evidence = self.evidence(passages)
        if not evidence:
            return AnswerDraft(text="", short_answer=None, answered=False, answerer=self.name)
        qtype = self.question_type(question)
        best = self.best_candidate(question, qtype, evidence)
        chosen = self._supporting(best, evidence)
        text = " ".join(f"{ev.sentence.text} [{ev.passage + 1}]" for ev in chosen)
        return AnswerDraft(
            text=text, short_answer=best.display if best else None, answered=True, answerer=self.name
        )

    def evidence(self, passages: list[Passage]) -> list[Evidence]:
        """Relevant sentences, each once, weighted; best first."""
        rows: list[tuple[int, str, Any]] = []
        seen_at: set[tuple[str, int]] = set()
        seen_text: set[str] = set()
        for i, passage in enumerate(passages):
            for sentence in passage.sentences:
                if sentence.score <= self.min_sentence_score or not sentence.text.strip():
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
        out = [
            Evidence(
                passage=i,
                article_id=article_id,
                sentence=s,
                weight=((s.score - floor) / top) ** self.relevance_power / (1.0 + self.passage_decay * i),
            )
            for i, article_id, s in rows
        ]
        out.sort(key=lambda ev: (-ev.weight, ev.passage, ev.sentence.start))
        return out

    def candidates(self, question: str, qtype: QuestionType, evidence: list[Evidence]) -> list[Candidate]:
        """Short-answer candidates, best first."""
        if not qtype.wants_entity:
            return []
        searched = evidence[: self.top_sentences]
        if qtype.closed_class:
            mentions = closed_class_mentions(searched, qtype.closed_class)
        else:
            texts = [ev.sentence.text for ev in searched]
            cache = _entity_cache(self.nlp) if self.cache_entities else EntityCache(self.nlp)
            entities = cache.entities(texts)
            mentions = entity_mentions(searched, entities, qtype)
        return rank_candidates(question, qtype, mentions, searched, self.weights)

    def best_candidate(self, question: str, qtype: QuestionType, evidence: list[Evidence]) -> Candidate | None:
        """The short answer's candidate, or None when no entity fits."""
        ranked = self.candidates(question, qtype, evidence)
        return ranked[0] if ranked else None

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
            return chosen
        full = best.display.lower()
        support: dict[tuple[int, int], Evidence] = {}
        for m in best.mentions:
            support[(m.evidence.passage, m.evidence.sentence.start)] = m.evidence

        def rank(ev: Evidence) -> float:
            return ev.weight * (1.0 if full in ev.sentence.text.lower() else 0.8)

        ordered = sorted(support.values(), key=lambda ev: (-rank(ev), ev.passage, ev.sentence.start))
        chosen = [ordered[0]]
        for ev in ordered[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if ev.weight >= 0.5 * chosen[0].weight and ev.article_id not in {c.article_id for c in chosen}:
                chosen.append(ev)
        return chosen
