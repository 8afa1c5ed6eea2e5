"""Does a newly stored article match a watched topic? The answer step's own sentence scoring decides.

An article matches a topic when its best sentence, scored against the topic exactly as an answer's
evidence sentences are scored against a question (``service.retrieval.sentences``: embedding
similarity mixed with the share of the topic's stemmed terms, weighted by rarity), reaches the
threshold. That sentence is the alert's quote, so what a journalist reads is what matched.

The threshold is calibrated by ``bench/watch_threshold.py`` on the RealTime QA development
questions (bench/README.md has the figures); ``NEWSDESK_WATCH_THRESHOLD`` overrides it.
An article sharing no stemmed term with the topic (title included) is not scored at all: it
costs nothing, and an alert that names none of the watched words would puzzle its reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ingest.embedding import Embedder
from ingest.lexical.tokens import tokenize
from ingest.models import Article
from service.retrieval.evidence import Passage, Sentence
from service.retrieval.sentences import score_sentences
from service.watches.store import Watch


@dataclass(frozen=True)
class Match:
    """A watch, a new article that matches it, and the article's sentence that matched best."""

    watch: Watch
    article: Article
    sentence: Sentence


class TopicMatcher:
    """Scores articles against watched topics with the retrieval's sentence scoring."""

    def __init__(self, embedder: Embedder, threshold: float):
        self.embedder = embedder
        self.threshold = threshold
        self._vector = lru_cache(maxsize=1024)(self._encode)

    def _encode(self, topic: str) -> np.ndarray:
        return np.asarray(self.embedder.encode([topic])[0], dtype=np.float32)

    def best_sentence(self, topic: str, article: Article) -> Sentence | None:
        """The article's sentence that answers ``topic`` best, scored; None when no term is shared."""
        terms = set(tokenize([topic])[0])
        if not terms or not terms.intersection(tokenize([f"{article.title}\n{article.text}"])[0]):
            return None
        passage = Passage(article=article, start=0, end=len(article.text), text=article.text, score=0.0)
        score_sentences(topic, [passage], self.embedder, self._vector(topic))
        return max(passage.sentences, key=lambda s: s.score, default=None)

    def matches(self, watches: Sequence[Watch], articles: Iterable[Article]) -> list[Match]:
        """Every (watch, article) pair whose best sentence reaches the threshold."""
        found: list[Match] = []
        for article in articles:
            for watch in watches:
                sentence = self.best_sentence(watch.topic, article)
                if sentence is not None and sentence.score >= self.threshold:
                    found.append(Match(watch, article, sentence))
        return found
