"""Hybrid retrieval: dense (Chroma) and lexical (BM25) results fused, filtered, diversified.

1. Read the question: relative time ("this week") against ``as_of``, outlet names.
2. Dense and lexical candidates under the same filters; as_of hides anything newer.
3. Reciprocal rank fusion, then a recency preference when the question asks for the latest.
4. Diversity: at most a few passages per article; near-identical passages (syndicated
   copies) collapse into the earliest-published one.
5. Sentences of the chosen passages are scored against the question.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from ingest.embedding import Embedder
from ingest.lexical.tokens import tokenize
from ingest.store import ArchiveStore, ChunkHit
from ingest.store.filters import UNDATED_TS, article_filter, timestamp
from service.retrieval.evidence import Passage, RetrievalResult
from service.retrieval.lexical import LexicalHit, LexicalSearch
from service.retrieval.near_duplicates import Shingles, jaccard, shingles
from service.retrieval.outlet_hints import read_outlet_hint
from service.retrieval.sentences import score_sentences
from service.retrieval.time_hints import read_time_hint
from service.stages import stage, staged

# Which retrievers supply candidates: both (answers always use both), or one of them alone.
Using = Literal["hybrid", "dense", "lexical"]


@dataclass(frozen=True)
class RetrievalConfig:
    """Knobs of hybrid retrieval (defaults tuned on the development questions)."""

    dense_candidates: int = 40
    lexical_candidates: int = 40
    rrf_k: int = 60
    lexical_weight: float = 1.0
    max_per_article: int = 2
    duplicate_jaccard: float = 0.5
    recency_half_life_days: float = 14.0
    # A follow-up's passages from the articles earlier turns cited gain this share of a first rank
    # in the fusion (measured on the follow-up set: bench/README.md).
    context_weight: float = 0.5


class HybridRetriever:
    """Finds the evidence passages for a question."""

    def __init__(
        self, store: ArchiveStore, embedder: Embedder, lexical: LexicalSearch, config: RetrievalConfig | None = None
    ):
        self.store = store
        self.embedder = embedder
        self.lexical = lexical
        self.config = config or RetrievalConfig()

    def retrieve(
        self,
        question: str,
        *,
        k: int = 8,
        as_of: datetime | None = None,
        sources: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        prefer_articles: Sequence[str] = (),
        asked: str | None = None,
        context: str | None = None,
        using: Using = "hybrid",
    ) -> RetrievalResult:
        """The ``k`` best passages for ``question``, best first, with sentences scored.

        For a follow-up, ``question`` is the rewrite that stands alone and ``asked`` the follow-up
        as typed (sentences are scored against both); ``prefer_articles`` (the conversation's
        earlier citations) lifts passages of those articles. A follow-up is about what the
        rewrite filled in: only articles that mention it (a word of it), or that the
        conversation cited, can answer it. ``context`` (a follow-up's conversation topic) is
        searched along with ``question``, but sentences are scored against ``question`` alone, so
        the topic brings its story's passages without making the topic's own sentences the
        answer. ``using`` limits the candidates to one retriever
        (``dense`` or ``lexical``: to see what each finds, e.g. how soon a write reaches them).
        """
        as_of = _aware(as_of) if as_of else datetime.now(UTC)
        until = min(_aware(until), as_of) if until else as_of
        since = _aware(since) if since else None
        hint = read_time_hint(question, as_of)
        unknown_sources: dict[str, list[str]] = {}
        if sources:
            outlets = self.lexical.outlets_named(sources)
            sources, unknown_sources = outlets.names, outlets.unknown
        else:
            sources = read_outlet_hint(question, self.lexical.sources()) or None
        window = max(since, hint.since) if since and hint.since else (since or hint.since)

        follow_up = asked is not None and asked != "" and asked != question
        searched = f"{question} {context}" if context else question
        texts = [question, asked] if asked and follow_up else [question]
        with stage("encode"):
            vectors = self.embedder.encode([*texts, searched] if context else texts)
        question_vector = vectors[0]
        search_vector = vectors[-1] if context else question_vector
        ranked = self._fused(searched, search_vector, sources, window, until, using)
        if not ranked and window is not None and window != since:
            # The wording's window held nothing: widen to the caller's own filters, keep the
            # preference for recent news.
            window = since
            ranked = self._fused(searched, search_vector, sources, window, until, using)
        if prefer_articles:
            ranked = self._prefer_articles(ranked, prefer_articles)
        if hint.prefer_recent:
            ranked = self._prefer_recent(ranked, as_of)
        about = (
            frozenset(tokenize([question])[0]) - frozenset(tokenize([asked])[0]) if follow_up and asked else frozenset()
        )
        passages = self._passages(self._diverse(ranked, k), about, frozenset(prefer_articles))
        if follow_up:
            score_sentences(question, passages, self.embedder, question_vector, asked_vector=vectors[1])
        else:
            score_sentences(question, passages, self.embedder, question_vector)
        return RetrievalResult(
            passages=passages,
            as_of=as_of,
            since=window,
            until=until,
            sources=list(sources) if sources else None,
            prefer_recent=hint.prefer_recent,
            asks_latest=hint.asks_latest,
            # Only a question asking for the latest news reads it (``service/answer/latest_news.py``).
            newest_published=self.lexical.newest_published(sources=sources, until=until) if hint.asks_latest else None,
            unknown_sources=unknown_sources,
        )

    @staged("fuse dense+BM25")
    def _fused(
        self,
        question: str,
        vector: object,
        sources: Sequence[str] | None,
        since: datetime | None,
        until: datetime | None,
        using: Using = "hybrid",
    ) -> list[_Candidate]:
        cfg = self.config
        where = article_filter(sources=sources, since=since, until=until)
        dense: list[ChunkHit] = []
        lexical: list[LexicalHit] = []
        if using != "lexical":
            share, among = dense_plan(self.store, self.lexical, sources=sources, since=since, until=until)
            with stage("Chroma query_chunks"):
                dense = self.store.query_chunks(vector, cfg.dense_candidates, where=where, share=share, among=among)  # type: ignore[arg-type]
        if using != "dense":
            with stage("BM25"):
                lexical = self.lexical.search(
                    question, cfg.lexical_candidates, sources=sources, since=since, until=until
                )
        found: dict[tuple[str, int, int], _Candidate] = {}
        for rank, hit in enumerate(dense):
            key = (hit.article.id, hit.chunk.start, hit.chunk.end)
            found[key] = _Candidate(
                hit.article.id,
                hit.chunk.start,
                hit.chunk.end,
                hit.chunk.text,
                float(timestamp(hit.article.published_at)),
            )
            found[key].score += 1.0 / (cfg.rrf_k + rank + 1)
        for rank, lhit in enumerate(lexical):
            key = (lhit.article_id, lhit.start, lhit.end)
            if key not in found:
                found[key] = _Candidate(lhit.article_id, lhit.start, lhit.end, lhit.text, lhit.published_ts)
            found[key].score += cfg.lexical_weight / (cfg.rrf_k + rank + 1)
        return sorted(found.values(), key=lambda c: -c.score)

    def _prefer_articles(self, candidates: list[_Candidate], articles: Sequence[str]) -> list[_Candidate]:
        preferred = set(articles)
        lift = self.config.context_weight / (self.config.rrf_k + 1)
        for c in candidates:
            if c.article_id in preferred:
                c.score += lift
        return sorted(candidates, key=lambda c: -c.score)

    def _timeliness(self, published_ts: float, as_of: datetime) -> float:
        """1 for news of ``as_of``'s day, falling towards 0.5 (the excess halves every half-life); 0.5 undated."""
        if published_ts <= UNDATED_TS:
            return 0.5
        age_days = max(0.0, (as_of.timestamp() - published_ts) / 86400)
        return 0.5 + 0.5 * math.exp(-age_days * math.log(2) / self.config.recency_half_life_days)

    @staged("recency")
    def _prefer_recent(self, candidates: list[_Candidate], as_of: datetime) -> list[_Candidate]:
        for c in candidates:
            c.timeliness = self._timeliness(c.published_ts, as_of)
            c.score *= c.timeliness
        return sorted(candidates, key=lambda c: -c.score)

    @staged("diversity")
    def _diverse(self, ranked: list[_Candidate], k: int) -> list[_Candidate]:
        chosen: list[_Candidate] = []
        seen: list[Shingles] = []
        per_article: dict[str, int] = {}
        for c in ranked:
            if len(chosen) >= k:
                break
            if per_article.get(c.article_id, 0) >= self.config.max_per_article:
                continue
            mine = shingles(c.text)
            twin = next(
                (
                    i
                    for i, other in enumerate(chosen)
                    if other.article_id != c.article_id and jaccard(mine, seen[i]) >= self.config.duplicate_jaccard
                ),
                None,
            )
            if twin is not None:
                kept = chosen[twin]
                if c.published_ts < kept.published_ts:  # credit the earliest copy, keep the better rank
                    c.score, c.also_in = kept.score, kept.also_in + [kept.article_id]
                    chosen[twin], seen[twin] = c, mine
                elif c.article_id not in kept.also_in:
                    kept.also_in.append(c.article_id)
                continue
            chosen.append(c)
            seen.append(mine)
            per_article[c.article_id] = per_article.get(c.article_id, 0) + 1
        return chosen

    @staged("load passages")
    def _passages(
        self, chosen: list[_Candidate], about: frozenset[str] = frozenset(), cited: frozenset[str] = frozenset()
    ) -> list[Passage]:
        """Load the chosen passages' articles (only these few texts are fetched); with ``about``,
        keep those of articles in ``cited`` or mentioning a word of it."""
        articles = self.store.get_articles([c.article_id for c in chosen])
        if about:
            articles = {
                i: a
                for i, a in articles.items()
                if i in cited or about.intersection(tokenize([f"{a.title}\n{a.text}"])[0])
            }
        passages = []
        for c in chosen:
            article = articles.get(c.article_id)
            if article is None or article.text[c.start : c.end] != c.text:
                continue  # deleted or changed since it was found, or off the follow-up's subject
            passages.append(
                Passage(
                    article=article,
                    start=c.start,
                    end=c.end,
                    text=c.text,
                    score=c.score,
                    also_in=c.also_in,
                    timeliness=c.timeliness,
                )
            )
        return passages


def dense_plan(
    store: ArchiveStore,
    lexical: LexicalSearch,
    *,
    sources: Sequence[str] | None,
    since: datetime | None,
    until: datetime | None,
) -> tuple[float | None, list[str] | None]:
    """What the lexical index tells the store's dense query about a filter: the share of chunks it
    admits, and every article it admits when they are few enough to rank exactly (``query_chunks``)."""
    if not sources and since is None and until is None:
        return None, None
    share = lexical.share(sources=sources, since=since, until=until)
    limit, stored = store.exact_search_limit()
    if share is None or share * stored > limit:  # a wide window is not worth listing
        return share, None
    return share, lexical.window(sources=sources, since=since, until=until, max_chunks=limit)


@dataclass
class _Candidate:
    """A chunk found by either retriever, before its article's text is loaded."""

    article_id: str
    start: int
    end: int
    text: str
    published_ts: float
    score: float = 0.0
    also_in: list[str] = field(default_factory=list)
    timeliness: float = 1.0


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
