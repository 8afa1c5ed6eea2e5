"""The ingest pipeline: drafts in, stored articles out, one outcome per item.

Drafts are taken in batches so the model embeds many chunks per forward pass and Chroma gets
few large writes. Within a batch each article is checked against the store first: an unchanged
article costs one metadata lookup and no embedding at all.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from ingest.chunking import Chunker
from ingest.embedding import Embedder
from ingest.identity import article_id, content_hash, text_fingerprint
from ingest.models import Article, ArticleDraft, IngestOutcome, IngestSummary, ReadFailure, ReadItem
from ingest.settings import IngestSettings
from ingest.store import ArchiveStore
from ingest.store.archive import ArticleVersion

log = logging.getLogger(__name__)

OutcomeHook = Callable[[IngestOutcome], None]


@dataclass
class _Pending:
    draft: ArticleDraft
    article: Article
    existed: bool


class Ingestor:
    """Stores drafts as articles with their chunks and embeddings."""

    def __init__(
        self, settings: IngestSettings, store: ArchiveStore, embedder: Embedder, chunker: Chunker | None = None
    ):
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.chunker = chunker or Chunker(
            embedder.tokenizer,
            max_tokens=settings.embed_max_tokens,
            overlap_tokens=settings.chunk_overlap_tokens,
            header_max_tokens=settings.header_max_tokens,
        )
        self.batch_articles = max(1, settings.ingest_batch_articles)

    def ingest(
        self, items: Iterable[ReadItem], on_outcome: OutcomeHook | None = None, summary: IngestSummary | None = None
    ) -> IngestSummary:
        """Store every good item and report every bad one; returns the run's summary.

        Pass ``summary`` to keep the totals even when the run is interrupted (Ctrl-C) midway.
        Store failures that concern the whole archive (server down, disk read-only) are raised
        as ``StoreError``: continuing would only fail every remaining item the same way.
        """
        summary = summary if summary is not None else IngestSummary()
        started = time.perf_counter()

        def record(outcome: IngestOutcome) -> None:
            summary.add(outcome)
            if on_outcome is not None:
                on_outcome(outcome)

        # Ids stored by this run. A source may carry the same URL twice with different text
        # (a page scraped on two days): the first copy is kept and later ones reported, so
        # running the same input again changes nothing instead of flip-flopping versions.
        seen: set[str] = set()
        # A delete killed between its two steps leaves invisible chunks with no article; a run
        # starts by clearing them, so the archive ends as a clean run would leave it.
        self.store.sweep_orphans()
        try:
            for batch in _batches(items, self.batch_articles):
                for outcome in self._ingest_batch(batch, seen):
                    record(outcome)
        finally:
            summary.seconds = round(time.perf_counter() - started, 3)
            summary.chunks_per_s = round(summary.chunks / summary.seconds, 2) if summary.seconds > 0 else 0.0
        return summary

    def ingest_one(self, draft: ArticleDraft) -> IngestOutcome:
        """Store one draft (the HTTP API's path)."""
        return self._ingest_batch([draft], set())[0]

    def _ingest_batch(self, batch: list[ReadItem], seen: set[str]) -> list[IngestOutcome]:
        outcomes: dict[int, IngestOutcome] = {}
        pending: dict[int, _Pending] = {}
        for at, item in enumerate(batch):
            if isinstance(item, ReadFailure):
                outcomes[at] = IngestOutcome(origin=item.origin, status="failed", reason=item.reason)
                continue
            problem = self._problem(item)
            if problem:
                outcomes[at] = IngestOutcome(
                    origin=item.origin, status="failed", title=item.title or None, reason=problem
                )
                continue
            article = article_from_draft(item)
            if article.id in seen:
                outcomes[at] = IngestOutcome(
                    origin=item.origin,
                    status="unchanged",
                    id=article.id,
                    title=article.title,
                    reason="the same URL came earlier in this run; the first copy is kept",
                )
                continue
            seen.add(article.id)
            pending[at] = _Pending(draft=item, article=article, existed=False)

        headers = self.store.get_headers([p.article.id for p in pending.values()])
        also_clean: list[tuple[str, str]] = []
        for at, p in list(pending.items()):
            header = headers.get(p.article.id)
            if header is None:
                continue
            p.existed = True
            stored_urls = _json_list(header.get("urls"))
            p.article.urls = list(dict.fromkeys(stored_urls + p.article.urls))
            if header.get("content_hash") == p.article.content_hash:
                also_clean.append((p.article.id, p.article.content_hash))
                outcomes[at] = _done(p, "unchanged", 0)
                del pending[at]

        self._merge_duplicates(pending, outcomes)

        versions: list[ArticleVersion] = []
        chunk_lists = {at: self.chunker.split(p.article) for at, p in pending.items()}
        headers_text = {at: self.chunker.header(p.article) for at, p in pending.items()}
        inputs = [self.chunker.embedding_input(headers_text[at], c) for at in pending for c in chunk_lists[at]]
        vectors = self.embedder.encode_bulk(inputs)
        offset = 0
        for at, p in pending.items():
            chunks = chunk_lists[at]
            p.article.chunk_count = len(chunks)
            versions.append(ArticleVersion(p.article, chunks, vectors[offset : offset + len(chunks)]))
            offset += len(chunks)
            outcomes[at] = _done(p, "updated" if p.existed else "created", len(chunks))
        self.store.save(versions, also_clean)
        return [outcomes[at] for at in sorted(outcomes)]

    def _merge_duplicates(self, pending: dict[int, _Pending], outcomes: dict[int, IngestOutcome]) -> None:
        """The same text under a second URL is stored once; the other URL is recorded on it."""
        new = {at: p for at, p in pending.items() if not p.existed}
        owners = self.store.find_by_fingerprints([p.article.fingerprint for p in new.values()])
        first_in_batch: dict[str, _Pending] = {}
        for at, p in new.items():
            owner = owners.get(p.article.fingerprint)
            if owner is None and p.article.fingerprint in first_in_batch:
                earlier = first_in_batch[p.article.fingerprint]
                if p.article.url:
                    earlier.article.urls.append(p.article.url)
                outcomes[at] = _done(
                    p,
                    "unchanged",
                    0,
                    article_id=earlier.article.id,
                    reason=f"same text as {earlier.article.id}; URL recorded",
                )
                del pending[at]
                continue
            if owner is None or owner == p.article.id:
                first_in_batch[p.article.fingerprint] = p
                continue
            if p.article.url:
                self.store.add_url(owner, p.article.url)
            outcomes[at] = _done(p, "unchanged", 0, article_id=owner, reason=f"same text as {owner}; URL recorded")
            del pending[at]

    def _problem(self, draft: ArticleDraft) -> str | None:
        if not draft.text.strip():
            return "no article text"
        if not draft.title.strip():
            return "no title"
        if len(draft.text) > self.settings.max_article_chars:
            return f"article text longer than {self.settings.max_article_chars} characters"
        return None


def article_from_draft(draft: ArticleDraft) -> Article:
    """The article a draft becomes: its id, hashes and fingerprint computed, not yet chunked or stored."""
    return Article(
        id=article_id(draft),
        title=draft.title.strip(),
        text=draft.text,
        source=draft.source,
        authors=draft.authors,
        published_at=draft.published_at,
        url=draft.url,
        urls=[draft.url] if draft.url else [],
        place=draft.place,
        content_hash=content_hash(draft),
        fingerprint=text_fingerprint(draft.text),
        ingested_at=datetime.now(UTC),
    )


def _done(
    p: _Pending, status: str, chunks: int, article_id: str | None = None, reason: str | None = None
) -> IngestOutcome:
    return IngestOutcome(
        origin=p.draft.origin,
        status=status,  # type: ignore[arg-type]
        id=article_id or p.article.id,
        title=p.article.title,
        chunks=chunks,
        reason=reason,
    )


def _json_list(value: object) -> list[str]:
    if not isinstance(value, str) or not value:
        return []
    loaded = json.loads(value)
    return [str(v) for v in loaded] if isinstance(loaded, list) else []


def _batches(items: Iterable[ReadItem], size: int) -> Iterator[list[ReadItem]]:
    batch: list[ReadItem] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
