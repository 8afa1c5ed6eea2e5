"""The archive newest first, its outlets counted, and a date window's articles, from the lexical index's state.

Chroma cannot sort or count by a field: the store's own listing (``ArchiveStore.list_articles``)
reads every article's record for each page, and ``source_counts`` reads them all to count. That is
work in proportion to the archive for every ``GET /v1/articles`` or ``newsdesk stats``. The lexical
index's state keeps each article's outlet and publication time under SQL indexes, so a page is a
range read there, then one read of that page's records from the store (the records, and whether
an article still exists, come from the store: Chroma stays the one source of truth).

The state trails the store by at most one catch-up (this process's writes: not at all). Until the
follower has caught up in this process (a server's first build of its index, or an index written
by a version that recorded no dates), the store's own listing answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ingest.lexical.follower import LexicalFollower
from ingest.lexical.index import LexicalFilter
from ingest.models import Article


def newest_articles(
    follower: LexicalFollower,
    *,
    sources: Sequence[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Article]:
    """Stored articles, newest first (undated last), narrowed by outlet and publication date; no text."""
    store = follower.store
    if not follower.lists_articles():
        return store.list_articles(sources=sources, since=since, until=until, limit=limit, offset=offset)
    ids = follower.index.newest(LexicalFilter(sources, since, until), limit, offset)
    found = store.get_articles(ids, with_text=False)
    # An article deleted since the last catch-up is in the state but no longer in the store.
    return [found[i] for i in ids if i in found]


def outlet_counts(follower: LexicalFollower) -> dict[str, int]:
    """Stored articles per outlet ("(unknown)" for none), most first."""
    if not follower.lists_articles():
        return follower.store.source_counts()
    counts: dict[str, int] = {}
    for source, n in follower.index.outlet_counts().items():
        name = source or "(unknown)"
        counts[name] = counts.get(name, 0) + n
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def window_articles(
    follower: LexicalFollower,
    *,
    sources: Sequence[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    max_chunks: int,
) -> list[str] | None:
    """Every stored article within the outlet and date filters, when they hold at most ``max_chunks``
    chunks; None when they hold more, or while the state cannot list the archive."""
    if not follower.lists_articles():
        return None
    return follower.index.window(LexicalFilter(sources, since, until), max_chunks)
