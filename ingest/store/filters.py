"""Outlet and date filters over stored records: the ``where`` Chroma reads, and the same test in Python
for rows already fetched. Dates are stored as epoch seconds (``published_ts``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

# Undated articles sort and filter as if published at the dawn of time: "until"/as-of filters
# keep them (they cannot be placed after any date), "since" filters drop them.
UNDATED_TS = -(2**53)


def timestamp(value: datetime | None) -> int:
    """Seconds since the epoch for range filters (naive datetimes read as UTC; undated: ``UNDATED_TS``)."""
    if value is None:
        return UNDATED_TS
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


def article_filter(
    *, sources: Sequence[str] | None = None, since: datetime | None = None, until: datetime | None = None
) -> dict[str, Any] | None:
    """A Chroma ``where`` for outlet and date range; works on both collections."""
    clauses: list[dict[str, Any]] = []
    if sources:
        clauses.append({"source": {"$in": list(sources)}})
    if since is not None:
        clauses.append({"published_ts": {"$gte": timestamp(since)}})
    if until is not None:
        clauses.append({"published_ts": {"$lte": timestamp(until)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def admits(where: dict[str, Any], meta: dict[str, Any]) -> bool:
    """Whether metadata ``meta`` passes a ``where`` of ``article_filter`` (``$and``, ``$in``, ``$gte``, ``$lte``)."""
    if "$and" in where:
        return all(admits(clause, meta) for clause in where["$and"])
    for name, condition in where.items():
        value = meta.get(name)
        for op, operand in condition.items():
            if op == "$in":
                ok = value in operand
            elif op == "$gte":
                ok = value is not None and value >= operand
            elif op == "$lte":
                ok = value is not None and value <= operand
            else:
                raise ValueError(f"admits() does not know {op}")
            if not ok:
                return False
    return True
