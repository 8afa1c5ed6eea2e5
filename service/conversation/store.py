"""Conversations kept durably in ``$NEWSDESK_DATA_DIR/conversations.sqlite3``.

One SQLite file (WAL mode) that every server process on the machine shares, so a follow-up may
reach a different ``newsdesk serve`` worker, or ``newsdesk slack``, than the question before it.
Several machines need a data folder they share, or a load balancer that keeps a conversation on
one machine (README, "Several servers, one archive").

Limits (settings): a conversation holds at most ``max_turns`` turns and ``max_bytes`` of stored
JSON; a turn beyond either is refused with ``ConversationFull`` before any work is done. A
conversation is forgotten ``ttl_s`` after its last turn; expired ones are pruned now and then.

Each conversation has an owner: a fingerprint of the API key that made it (``""`` when the server
has no keys), ``"slack"`` for Slack threads. Reading needs the same owner; a stranger's id reads
as unknown, so an id never tells whether it exists.
"""

from __future__ import annotations

import logging
import re
import secrets
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from service.conversation.models import Conversation, Turn
from service.state.sqlite import connect, prepare

log = logging.getLogger(__name__)

FILE_NAME = "conversations.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    bytes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated_at);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (conversation_id, n)
);
"""

# 16 random bytes, URL-safe: 22 characters nobody can guess.
_PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
PRUNE_EVERY = 100


class ConversationFull(Exception):
    """The conversation reached its turn or size limit: start a new one."""


def new_conversation_id() -> str:
    """An unguessable id for a conversation started over HTTP or on the ask page."""
    return secrets.token_urlsafe(16)


def is_public_id(value: str) -> bool:
    """Whether ``value`` has the shape of an id this server hands out (Slack threads' keys do not)."""
    return bool(_PUBLIC_ID.match(value))


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


class ConversationStore:
    """Reads and appends turns of conversations in one SQLite file."""

    def __init__(self, path: Path, *, ttl_s: float, max_turns: int, max_bytes: int):
        self.path = path
        self.ttl_s = ttl_s
        self.max_turns = max_turns
        self.max_bytes = max_bytes
        self._appends = 0
        self._lock = threading.Lock()
        prepare(path, SCHEMA)

    def get(self, conversation_id: str, owner: str) -> Conversation | None:
        """The conversation with its turns, or None when unknown, expired or someone else's."""
        now = time.time()
        with connect(self.path) as db:
            row = db.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
            if row is None or row["owner"] != owner or row["updated_at"] < now - self.ttl_s:
                return None
            turns = [
                Turn.model_validate_json(r["data"])
                for r in db.execute("SELECT data FROM turns WHERE conversation_id = ? ORDER BY n", (conversation_id,))
            ]
        return Conversation(
            id=conversation_id,
            created_at=_iso(row["created_at"]),
            updated_at=_iso(row["updated_at"]),
            expires_at=_iso(row["updated_at"] + self.ttl_s),
            turns=turns,
        )

    def check_room(self, conversation: Conversation | None) -> None:
        """Raise ``ConversationFull`` if ``conversation`` cannot take another turn."""
        if conversation is None:
            return
        if len(conversation.turns) >= self.max_turns:
            raise ConversationFull(
                f"this conversation has reached its limit of {self.max_turns} turns; start a new conversation"
            )
        size = sum(len(t.model_dump_json()) for t in conversation.turns)
        if size >= self.max_bytes:
            raise ConversationFull(
                f"this conversation has reached its limit of {self.max_bytes:,} bytes; start a new conversation"
            )

    def append(self, conversation_id: str, owner: str, turn: Turn) -> Turn:
        """Store ``turn`` as the conversation's next one (creating the conversation if needed).

        The turn's ``n`` is set here, inside one write transaction, so two processes adding to one
        conversation at once each get their own number. An expired conversation starts afresh.
        """
        now = time.time()
        with connect(self.path) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT owner, updated_at, bytes FROM conversations WHERE id = ?", (conversation_id,)
                ).fetchone()
                if row is not None and (row["owner"] != owner or row["updated_at"] < now - self.ttl_s):
                    # Expired (or a key collision that cannot happen with random ids): forget it.
                    db.execute("DELETE FROM turns WHERE conversation_id = ?", (conversation_id,))
                    db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
                    row = None
                if row is None:
                    db.execute(
                        "INSERT INTO conversations (id, owner, created_at, updated_at, bytes) VALUES (?, ?, ?, ?, 0)",
                        (conversation_id, owner, now, now),
                    )
                count = db.execute(
                    "SELECT COUNT(*) FROM turns WHERE conversation_id = ?", (conversation_id,)
                ).fetchone()[0]
                if count >= self.max_turns:
                    raise ConversationFull(
                        f"this conversation has reached its limit of {self.max_turns} turns; start a new conversation"
                    )
                numbered = turn.model_copy(update={"n": count + 1})
                data = numbered.model_dump_json()
                db.execute(
                    "INSERT INTO turns (conversation_id, n, data) VALUES (?, ?, ?)", (conversation_id, count + 1, data)
                )
                db.execute(
                    "UPDATE conversations SET updated_at = ?, bytes = bytes + ? WHERE id = ?",
                    (now, len(data.encode("utf-8")), conversation_id),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            if self._due():
                self._prune(db, now)
        return numbered

    def _due(self) -> bool:
        with self._lock:
            self._appends += 1
            return (self._appends - 1) % PRUNE_EVERY == 0

    def _prune(self, db: sqlite3.Connection, now: float) -> None:
        try:
            expired = [
                r[0] for r in db.execute("SELECT id FROM conversations WHERE updated_at < ?", (now - self.ttl_s,))
            ]
            for chunk in range(0, len(expired), 500):
                ids = expired[chunk : chunk + 500]
                marks = ",".join("?" * len(ids))
                db.execute(f"DELETE FROM turns WHERE conversation_id IN ({marks})", ids)
                db.execute(f"DELETE FROM conversations WHERE id IN ({marks})", ids)
        except sqlite3.Error as exc:  # pruning is housekeeping: a busy file waits for the next time
            log.warning("conversations: pruning expired conversations failed: %s", exc)


def conversation_store_path(data_dir: Path) -> Path:
    """``$NEWSDESK_DATA_DIR/conversations.sqlite3``."""
    return Path(data_dir) / FILE_NAME
