"""A small, made-up news archive: articles chosen to exercise filters, time and duplicates."""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.models import ArticleDraft

UTC = UTC


def article(
    url: str, title: str, text: str, source: str, published: datetime | None, authors: list[str] | None = None
) -> ArticleDraft:
    return ArticleDraft(
        origin=url, url=url, title=title, text=text, source=source, published_at=published, authors=authors or []
    )


NEWS = [
    article(
        "https://harbour.example/tram",
        "Council approves river tram line",
        "The Port Alden city council voted 31 to 14 on Tuesday to build a tram line along the river. "
        "The transport department put the cost at 410 million euros. The line will have 19 stops.",
        "Harbour Times",
        datetime(2024, 3, 5, 9, 30, tzinfo=UTC),
        ["Lea Berg"],
    ),
    article(
        "https://bay.example/ferry",
        "Ferry crews strike for second day",
        "Ferry crews on the Skerry Island route walked out for a second day on Thursday. "
        "The Maritime Workers' Union said rosters left crews working 14-hour shifts.",
        "Bay Post",
        datetime(2024, 3, 7, 18, 5, tzinfo=UTC),
        ["Omar Haddad"],
    ),
    article(
        "https://bay.example/zorbix-old",
        "Zorbix Corp names a new chief executive",
        "Zorbix Corp named Helga Sand as chief executive in January. She replaces the founder, who retired.",
        "Bay Post",
        datetime(2023, 1, 20, tzinfo=UTC),
    ),
    article(
        "https://harbour.example/zorbix-new",
        "Zorbix chief executive resigns",
        "Zorbix Corp said on Monday that its chief executive Helga Sand had resigned and that Piet Nolan would lead the company.",
        "Harbour Times",
        datetime(2024, 3, 11, tzinfo=UTC),
    ),
    article(
        "https://wire.example/quake",
        "Earthquake shakes the northern coast",
        "A magnitude 5.8 earthquake shook the northern coast early on Sunday, damaging the old lighthouse at Kelm. "
        "No one was hurt, the coastguard said, but the lighthouse was closed to visitors.",
        "Wire Service",
        datetime(2024, 3, 10, 6, 0, tzinfo=UTC),
    ),
    article(
        "https://bay.example/quake-copy",
        "Quake damages Kelm lighthouse",
        "A magnitude 5.8 earthquake shook the northern coast early on Sunday, damaging the old lighthouse at Kelm. "
        "No one was hurt, the coastguard said, but the lighthouse was closed to visitors. Bay Post staff contributed.",
        "Bay Post",
        datetime(2024, 3, 10, 9, 0, tzinfo=UTC),
    ),
    article(
        "https://harbour.example/future",
        "Tram line opens to passengers",
        "The river tram line opened to passengers on Saturday, a year after the council vote.",
        "Harbour Times",
        datetime(2025, 6, 2, tzinfo=UTC),
    ),
]
