"""The loaded parts every command and request shares: settings, model, store, retriever, answerer.

Each part loads on first use and then lives for the process, so a CLI command that only
lists articles never loads the model, and a server loads everything once at start.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from functools import cached_property
from typing import Any

from langchain_core.language_models import BaseChatModel

from ingest.embedding import Embedder, embedding_identity, load_embedder
from ingest.feeds import FeedPoller, FeedState
from ingest.lexical import LexicalFollower, attach_lexical_index
from ingest.pipeline import Ingestor
from ingest.store import ArchiveStore, StoreError, open_store
from service.answer.ask import Asker
from service.answer.backends.registry import backend_factory, make_chat_model
from service.answer.base import StreamingAnswerer
from service.background import BackgroundThread, start_background
from service.conversation.chat import Chat
from service.conversation.resolve import make_resolver
from service.conversation.store import ConversationStore, conversation_store_path
from service.retrieval.hybrid import HybridRetriever
from service.retrieval.lexical import LexicalSearch
from service.settings import ServiceSettings


class Runtime:
    """Lazily loaded, process-wide parts of newsdesk."""

    def __init__(self, settings: ServiceSettings):
        backend_factory(settings.llm)  # an unknown NEWSDESK_LLM stops here, naming the known backends
        self.settings = settings
        self._lock = threading.RLock()

    @cached_property
    def embedder(self) -> Embedder:
        """The embedding model (seconds to load; once per process)."""
        with self._lock:
            return load_embedder(self.settings.ingest)

    @cached_property
    def store(self) -> ArchiveStore:
        """The archive, opened for the embedder's vector space (without loading the model).

        The data folder's lexical index is attached at once, so every write through this
        process reaches it as it commits, whichever command makes it.
        """
        with self._lock:
            name, dimension = embedding_identity(self.settings.ingest)
            store = open_store(self.settings.ingest, name, dimension)
            self._lexical_follower = attach_lexical_index(self.settings.ingest, store)
            return store

    @property
    def lexical_follower(self) -> LexicalFollower:
        """What keeps this data folder's lexical index in step with the store (change feed, repair)."""
        _ = self.store  # opening the store attaches the index
        return self._lexical_follower

    @cached_property
    def ingestor(self) -> Ingestor:
        """The ingest pipeline over this runtime's store and embedder."""
        with self._lock:
            return Ingestor(self.settings.ingest, self.store, self.embedder)

    @cached_property
    def feeds(self) -> FeedState:
        """The feed subscriptions of this machine (``$NEWSDESK_DATA_DIR/feeds.sqlite3``)."""
        with self._lock:
            return FeedState(self.settings.ingest.feeds_path)

    def feed_poller(self, write_lock: AbstractContextManager[Any] | None = None) -> FeedPoller:
        """A poller of this machine's feeds, storing through this runtime's ingest pipeline (loaded when needed)."""
        return FeedPoller(self.settings.ingest, self.feeds, lambda: self.ingestor, write_lock=write_lock)

    @cached_property
    def lexical(self) -> LexicalSearch:
        """BM25 search over this data folder's lexical index (``ingest.lexical``)."""
        with self._lock:
            return LexicalSearch(self.lexical_follower)

    @cached_property
    def retriever(self) -> HybridRetriever:
        """Dense + lexical retrieval with filters, diversity and sentence scoring."""
        with self._lock:
            return HybridRetriever(self.store, self.embedder, self.lexical)

    @cached_property
    def chat_model(self) -> BaseChatModel | None:
        """The LLM the settings name (None: none), shared by the answerer and the follow-up rewrite."""
        with self._lock:
            return make_chat_model(self.settings)

    @cached_property
    def answerer(self) -> StreamingAnswerer:
        """The answerer the settings choose (extractive unless an LLM is configured)."""
        # Imported here: spaCy and the LLM clients take a second to import, which commands
        # that never answer (ingest, list, stats) should not pay.
        from service.answer.choose import make_answerer

        with self._lock:
            return make_answerer(self.settings, self.chat_model, self.embedder if self.chat_model else None)

    @cached_property
    def asker(self) -> Asker:
        """Retrieval, answerer and citation check together: the ``ask`` API."""
        with self._lock:
            return Asker(
                self.retriever,
                self.answerer,
                self.embedder,
                min_evidence=self.settings.min_evidence,
                min_coverage=self.settings.min_coverage,
            )

    @cached_property
    def conversations(self) -> ConversationStore:
        """The conversations of this machine (``$NEWSDESK_DATA_DIR/conversations.sqlite3``)."""
        settings = self.settings
        with self._lock:
            return ConversationStore(
                conversation_store_path(settings.ingest.data_dir),
                ttl_s=settings.conversation_ttl_s,
                max_turns=settings.conversation_max_turns,
                max_bytes=settings.conversation_max_bytes,
            )

    @cached_property
    def chat(self) -> Chat:
        """Asking within conversations: follow-ups read against earlier turns."""
        with self._lock:
            return Chat(self.asker, self.conversations, make_resolver(self.settings, self.chat_model))

    def warm_up(self, *, wait_for_index: bool = True) -> None:
        """Load everything now (servers call this at start so the first request is not slow).

        With ``wait_for_index`` (commands, evaluations) the lexical index is brought up to date
        first, building it if this data folder has none yet. Servers pass False and leave that
        to ``watch_store``'s thread: they serve at once, with what the index holds meanwhile.
        """
        _ = self.asker  # building it loads the model, answerer and store
        if wait_for_index:
            self.lexical_follower.catch_up()

    def watch_store(self) -> BackgroundThread:
        """Keep the lexical index in step with the store (the change feed) from a background thread.

        Servers call this once at start, and stop the returned thread at shutdown.
        """
        return start_background(self._watch, "lexical-follow")

    def _watch(self, stop: threading.Event) -> None:
        # The store may be unreachable at start: keep trying to open it, then follow its changes.
        every_s = self.settings.lexical_refresh_s
        while not stop.is_set():
            try:
                follower = self.lexical_follower
            except StoreError:
                stop.wait(max(every_s, 1.0))
                continue
            follower.follow(stop, every_s)
            return
