"""Stand-ins for fast, in-process tests of the app: a store, a runtime, settings that ignore the environment."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.models import Article
from service.conversation.chat import Chat
from service.conversation.followup import HeuristicResolver
from service.conversation.store import ConversationStore, conversation_store_path
from service.settings import ServiceSettings

UTC = UTC


def make_article(text: str = "Alpha beta gamma. The council voted 31 to 14. Delta epsilon.", **kw: Any) -> Article:
    """A stored-looking article."""
    values: dict[str, Any] = {
        "id": "0123456789abcdef",
        "title": "Council vote",
        "text": text,
        "source": "Harbour Times",
        "authors": ["Lea Berg"],
        "published_at": datetime(2024, 3, 5, 9, 30, tzinfo=UTC),
        "url": "https://harbour.example/tram",
        "content_hash": "h" * 16,
        "chunk_count": 1,
    }
    values.update(kw)
    return Article(**values)


class FakeStore:
    """A store holding a few articles; records every call so tests can see it was (not) asked."""

    def __init__(self, *articles: Article, fail_with: Exception | None = None):
        self.articles = {a.id: a for a in articles}
        self.calls: list[tuple[str, Any]] = []
        self.fail_with = fail_with

    def _call(self, name: str, arg: Any = None) -> None:
        self.calls.append((name, arg))
        if self.fail_with is not None:
            raise self.fail_with

    def get_article(self, article_id: str) -> Article | None:
        self._call("get_article", article_id)
        return self.articles.get(article_id)

    def get_articles(self, ids: Sequence[str], *, with_text: bool = True) -> dict[str, Article]:
        self._call("get_articles", list(ids))
        return {i: self.articles[i] for i in ids if i in self.articles}

    def list_articles(self, **kw: Any) -> list[Article]:
        self._call("list_articles", kw)
        found = list(self.articles.values())
        return found[kw.get("offset", 0) : kw.get("offset", 0) + kw.get("limit", 50)]

    def delete_article(self, article_id: str) -> bool:
        self._call("delete_article", article_id)
        return self.articles.pop(article_id, None) is not None

    def count(self) -> dict[str, int]:
        self._call("count")
        return {"articles": len(self.articles), "chunks": len(self.articles)}


class StoreOnlyFollower:
    """A lexical follower that has not caught up: article listings come from the store itself."""

    def __init__(self, store: FakeStore):
        self.store = store

    def lists_articles(self) -> bool:
        return False


class FakeRuntime:
    """What the app uses of a Runtime: settings, store, asker, retriever, ingestor, and real conversations
    (the SQLite store in a folder of its own, the heuristic rewrite) over that asker."""

    def __init__(
        self,
        settings: ServiceSettings,
        store: FakeStore | None = None,
        asker: Any = None,
        retriever: Any = None,
        ingestor: Any = None,
    ):
        self.settings = settings
        self.store = store if store is not None else FakeStore(make_article())
        self.lexical_follower = StoreOnlyFollower(self.store)
        self.asker = asker
        self.retriever = retriever
        self.ingestor = ingestor
        # A TemporaryDirectory removes itself when the runtime is collected or the test run ends.
        self._folder = tempfile.TemporaryDirectory(prefix="newsdesk-conversations-")
        self.conversations = ConversationStore(
            conversation_store_path(Path(self._folder.name)),
            ttl_s=settings.conversation_ttl_s,
            max_turns=settings.conversation_max_turns,
            max_bytes=settings.conversation_max_bytes,
        )
        self.chat = Chat(asker, self.conversations, HeuristicResolver())


def service_settings(**kw: Any) -> ServiceSettings:
    """Service settings that ignore the environment and ``.env``."""
    values: dict[str, Any] = {"api_keys": [], "protect_reads": False, "cors_origins": [], "host": "127.0.0.1"}
    values.update(kw)
    return ServiceSettings(_env_file=None, **values)
