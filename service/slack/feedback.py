"""👍/👎 on answers, recorded durably: what was asked, what was answered with which citations, who
clicked what and when.

Every answer the bot posts is recorded under a random *feedback key* that its buttons carry
(``record_answer``); a click stores the verdict for that key and user (``record_click``). A user
who changes their mind replaces their earlier verdict on that answer. Both live in the bot's
SQLite file (``state.py``); ``list`` serves ``newsdesk feedback list`` and ``GET /v1/feedback``.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from service.answer.models import Answer
from service.state.sqlite import connect, prepare

log = logging.getLogger(__name__)

Verdict = Literal["up", "down"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    short_answer TEXT,
    answered INTEGER NOT NULL,
    as_of TEXT,
    sources TEXT NOT NULL DEFAULT '[]',
    citations TEXT NOT NULL DEFAULT '[]',
    answerer TEXT,
    channel TEXT,
    thread_ts TEXT,
    asked_by TEXT,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
    key TEXT NOT NULL,
    user TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('up', 'down')),
    at REAL NOT NULL,
    channel TEXT,
    message_ts TEXT,
    message_text TEXT,
    PRIMARY KEY (key, user)
);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback (at);
"""


def new_key() -> str:
    """A feedback key: random, short enough for a button's value."""
    return secrets.token_hex(8)


def _iso(seconds: float | None) -> str | None:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds") if seconds is not None else None


class FeedbackStore:
    """Answers the bot posted and the verdicts given on them."""

    def __init__(self, path: Path):
        self.path = path
        self._ready = False

    def _prepare(self) -> None:
        if not self._ready:
            prepare(self.path, SCHEMA)
            self._ready = True

    def record_answer(
        self,
        key: str,
        answer: Answer,
        *,
        sources: list[str] | None = None,
        channel: str | None = None,
        thread_ts: str | None = None,
        asked_by: str | None = None,
    ) -> None:
        """Remember what was answered under ``key`` (called when the answer is posted)."""
        self._prepare()
        citations = [c.model_dump(mode="json") for c in answer.citations]
        with connect(self.path) as db:
            db.execute(
                "INSERT OR REPLACE INTO answers (key, question, answer, short_answer, answered, as_of, "
                "sources, citations,"
                " answerer, channel, thread_ts, asked_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    answer.question,
                    answer.answer,
                    answer.short_answer,
                    int(answer.answered),
                    answer.as_of,
                    json.dumps(sources or []),
                    json.dumps(citations, ensure_ascii=False),
                    answer.answerer,
                    channel,
                    thread_ts,
                    asked_by,
                    time.time(),
                ),
            )

    def record_click(
        self,
        key: str,
        user: str,
        verdict: Verdict,
        *,
        channel: str | None = None,
        message_ts: str | None = None,
        message_text: str | None = None,
    ) -> bool:
        """Store ``user``'s verdict on the answer under ``key``; False if that answer is unknown here
        (the click is still stored, with the message's text in place of the recorded answer)."""
        if verdict not in ("up", "down"):
            raise ValueError(f"verdict must be 'up' or 'down', not {verdict!r}")
        self._prepare()
        with connect(self.path) as db:
            db.execute(
                "INSERT INTO feedback (key, user, verdict, at, channel, message_ts, message_text) VALUES "
                "(?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (key, user) DO UPDATE SET verdict = excluded.verdict, at = excluded.at",
                (key, user, verdict, time.time(), channel, message_ts, (message_text or "")[:4000]),
            )
            known = db.execute("SELECT 1 FROM answers WHERE key = ?", (key,)).fetchone() is not None
        if not known:
            log.warning("feedback %s on an answer this server did not record (key %s)", verdict, key)
        return known

    def list(
        self, *, limit: int = 100, verdict: Verdict | None = None, since: datetime | None = None
    ) -> list[dict[str, Any]]:
        """Verdicts, newest first, each with its question, answer and citations."""
        if not self.path.exists():
            return []  # nothing recorded yet; listing does not create the file
        self._prepare()
        where: list[str] = []
        params: list[str | float] = []
        if verdict:
            where.append("f.verdict = ?")
            params.append(verdict)
        if since:
            where.append("f.at >= ?")
            params.append(since.timestamp())
        sql = (
            "SELECT f.key, f.user, f.verdict, f.at, f.channel AS f_channel, f.message_ts, f.message_text,"
            " a.question, a.answer, a.short_answer, a.answered, a.as_of, a.sources, a.citations, a.answerer,"
            " a.channel, a.thread_ts, a.asked_by, a.created_at"
            " FROM feedback f LEFT JOIN answers a ON a.key = f.key"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY f.at DESC, f.rowid DESC LIMIT ?"
        )
        with connect(self.path) as db:
            rows = db.execute(sql, (*params, limit)).fetchall()
        return [_record(r) for r in rows]


def _record(row: Any) -> dict[str, Any]:
    known = row["question"] is not None
    return {
        "key": row["key"],
        "verdict": row["verdict"],
        "user": row["user"],
        "at": _iso(row["at"]),
        "question": row["question"],
        "answer": row["answer"] if known else row["message_text"],
        "short_answer": row["short_answer"],
        "answered": bool(row["answered"]) if known else None,
        "as_of": row["as_of"],
        "sources": json.loads(row["sources"]) if known else [],
        "citations": json.loads(row["citations"]) if known else [],
        "answerer": row["answerer"],
        "channel": row["channel"] or row["f_channel"],
        "thread_ts": row["thread_ts"],
        "message_ts": row["message_ts"],
        "asked_by": row["asked_by"],
        "answered_at": _iso(row["created_at"]),
        "recorded": known,
    }
