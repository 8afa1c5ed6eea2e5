"""Scoring evidence sentences: a sentence that two passages share is embedded once and scores alike in both."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from ingest.embedding import Embedder
from ingest.models import Article
from service.retrieval.evidence import Passage
from service.retrieval.sentences import score_sentences

STORY = (
    "Peacekeepers of the Russia-led Collective Security Treaty Organization were deployed to Kazakhstan. "
    "President Tokayev said the troops would stay until the situation is stable. "
    "Protests began over a rise in fuel prices."
)


class CountingEmbedder:
    """The real embedder, remembering every text it was asked to embed."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self.texts: list[str] = []

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        self.texts.extend(texts)
        return self.embedder.encode(texts, batch_size)


def copy_of(text: str, outlet: str) -> Passage:
    digest = hashlib.sha256(f"{outlet}:{text}".encode()).hexdigest()
    article = Article(id=digest[:12], title="Kazakhstan", text=text, source=outlet, content_hash=digest)
    return Passage(article=article, start=0, end=len(text), text=text, score=1.0)


def test_a_syndicated_sentence_is_embedded_once_and_scores_alike_in_both_copies(embedder: Embedder) -> None:
    question = "Who sent peacekeepers to Kazakhstan?"
    passages = [copy_of(STORY, "Wire A"), copy_of(STORY, "Wire B")]
    counting = CountingEmbedder(embedder)

    score_sentences(question, passages, counting, embedder.encode([question])[0])  # type: ignore[arg-type]

    assert sorted(counting.texts) == sorted(set(counting.texts))  # no sentence twice
    assert len(counting.texts) == 3  # the story's three sentences
    first, second = passages
    assert [s.text for s in first.sentences] == [s.text for s in second.sentences]
    # The same vector either way (a matrix product may round the last bits differently per row).
    assert [s.score for s in first.sentences] == pytest.approx([s.score for s in second.sentences], abs=1e-6)
    best = max(passages[0].sentences, key=lambda s: s.score)
    assert best.text.startswith("Peacekeepers of the Russia-led")


def test_sentences_without_the_questions_words_are_not_embedded_past_the_first_eight(embedder: Embedder) -> None:
    question = "How many peacekeepers did the treaty organization send to Kazakhstan?"
    related = [f"The treaty organization sent {n} hundred peacekeepers to Kazakhstan on day {n}." for n in range(2, 12)]
    unrelated = ["Protests began over a rise in fuel prices.", "The weather in Almaty was cold and clear."]
    passages = [copy_of(" ".join(related + unrelated), "Wire A")]
    counting = CountingEmbedder(embedder)

    score_sentences(question, passages, counting, embedder.encode([question])[0])  # type: ignore[arg-type]

    assert set(counting.texts) == set(related)  # ten sentences with the question's words, none without
    scores = {s.text: s.score for s in passages[0].sentences}
    assert set(scores) == set(related + unrelated)  # every sentence is still scored, and can be quoted
    assert max(scores[t] for t in unrelated) < min(scores[t] for t in related)
