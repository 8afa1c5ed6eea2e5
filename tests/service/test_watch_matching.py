"""Which new stories alert a watched topic: the answer step's sentence scoring against a calibrated threshold."""

from __future__ import annotations

from ingest.embedding import Embedder
from ingest.models import Article
from ingest.store import ArchiveStore
from service.settings import ServiceSettings
from service.watches.matching import TopicMatcher
from service.watches.store import Watch

THRESHOLD = ServiceSettings().watch_threshold


def stored(store: ArchiveStore, title_word: str) -> Article:
    (found,) = [a for a in store.list_articles(limit=100) if title_word in a.title]
    return store.get_articles([found.id])[found.id]


def test_a_story_on_the_topic_matches_with_a_verbatim_sentence_about_it(
    news_store: ArchiveStore, embedder: Embedder
) -> None:
    seed = stored(news_store, "Kazakhstan")
    sentence = TopicMatcher(embedder, THRESHOLD).best_sentence("kazakhstan peacekeepers", seed)
    assert sentence is not None and sentence.score >= THRESHOLD
    assert seed.text[sentence.start : sentence.end] == sentence.text
    assert "peacekeep" in sentence.text.lower() or "kazakhstan" in sentence.text.lower()


def test_a_story_off_the_topic_does_not_match(news_store: ArchiveStore, embedder: Embedder) -> None:
    matcher = TopicMatcher(embedder, THRESHOLD)
    ferry, seed = stored(news_store, "Ferry"), stored(news_store, "Kazakhstan")
    assert matcher.best_sentence("kazakhstan peacekeepers", ferry) is None  # no word in common: not even scored
    watches = [Watch("w1", "C1", "ferry crews strike", "U1", 0.0), Watch("w2", "C1", "tram line cost", "U1", 0.0)]
    matches = matcher.matches(watches, [ferry, seed])
    assert [(m.watch.id, m.article.id) for m in matches] == [("w1", ferry.id)]
