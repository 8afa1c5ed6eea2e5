"""When answering fails: a short, polite message for the person in Slack, the detail for the log.

The message never carries internals (no exception text, no URLs of our servers); the log line
carries everything an operator needs — what failed, for whom, where, and a reference the message
repeats so a report from Slack can be matched to its log line. Tokens and secrets are never
logged: nothing here touches the settings, and Slack payloads are not logged whole.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

import httpx

from ingest.store import StoreError, StoreUnavailable

log = logging.getLogger(__name__)

STORE_DOWN = (
    "Sorry — I can't reach the news archive right now, so I can't answer this. Please try again in a few minutes."
)
STORE_FAILED = (
    "Sorry — the news archive ran into a problem and I couldn't answer this. "
    "Please try again later; if it keeps happening, tell the newsdesk team (reference {ref})."
)
TIMED_OUT = "Sorry — answering took too long and I gave up. Please try again in a moment, or ask a narrower question."
UNEXPECTED = (
    "Sorry — something went wrong while answering and I couldn't finish. "
    "Please try again; if it keeps happening, tell the newsdesk team (reference {ref})."
)


@dataclass(frozen=True)
class Failure:
    """What to tell the user, and the reference of the log line with the detail."""

    message: str
    ref: str
    kind: str


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, (TimeoutError, httpx.TimeoutException)) or "timeout" in type(exc).__name__.lower()


def describe(exc: BaseException) -> Failure:
    """The polite message for ``exc`` (store down, store failure, timeout, anything else)."""
    ref = secrets.token_hex(4)
    if isinstance(exc, StoreUnavailable):
        return Failure(STORE_DOWN, ref, "store_unavailable")
    if isinstance(exc, StoreError):
        return Failure(STORE_FAILED.format(ref=ref), ref, "store_error")
    if _is_timeout(exc):
        return Failure(TIMED_OUT, ref, "timeout")
    return Failure(UNEXPECTED.format(ref=ref), ref, "unexpected")


def report(exc: BaseException, *, where: dict[str, Any], question: str | None = None) -> Failure:
    """Log ``exc`` in detail (a traceback for the unexpected) and return what to tell the user."""
    failure = describe(exc)
    place = " ".join(f"{k}={v}" for k, v in where.items() if v)
    asked = f" question={question[:200]!r}" if question else ""
    detail = f"{type(exc).__name__}: {exc}"
    if failure.kind in ("store_unavailable", "timeout"):
        log.error("slack answer failed [ref %s, %s] %s%s: %s", failure.ref, failure.kind, place, asked, detail)
    else:
        log.error(
            "slack answer failed [ref %s, %s] %s%s: %s", failure.ref, failure.kind, place, asked, detail, exc_info=exc
        )
    return failure
