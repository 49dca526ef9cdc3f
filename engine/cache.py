"""The LLM response cache: the store's ``llm_cache`` table, keyed by a hash of
(model, prompt messages, output schema).

A re-run of an ingest sends the same prompts, so every call is answered from here and costs
no tokens. Only responses that validated against their schema are stored. The cache opens its
own SQLite connection per thread (WAL, busy timeout) on the store's file, so it is safe to use
from the engine's worker threads while the ingest holds its own connection.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

# The same table as the store's first migration makes (curricula/migrations/curriculum.py, m0001).
TABLE = (
    "CREATE TABLE IF NOT EXISTS [llm_cache] ([key] TEXT PRIMARY KEY, [model] TEXT, "
    "[response] TEXT, [tokens] INTEGER, [created_at] TEXT)"
)


def cache_key(model: str, messages: list[dict], schema: dict) -> str:
    blob = json.dumps(
        {"model": model, "messages": messages, "schema": schema},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class LLMCache:
    """``get(key) -> (response, tokens) | None`` and ``put(key, model, response, tokens)``."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._local = threading.local()
        self._ready = False
        self._lock = threading.Lock()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("pragma busy_timeout = 30000")
            self._local.conn = conn
            with self._lock:
                if not self._ready:
                    self._ensure(conn)
                    self._ready = True
        return conn

    def _ensure(self, conn: sqlite3.Connection) -> None:
        have = conn.execute(
            "select 1 from sqlite_master where type='table' and name='llm_cache'"
        ).fetchone()
        if have is None:  # a file the store has not migrated yet: its first migration keeps this
            with conn:
                conn.execute(TABLE)

    def get(self, key: str) -> tuple[str, int] | None:
        row = (
            self._conn()
            .execute("select response, tokens from llm_cache where key = ?", [key])
            .fetchone()
        )
        return (row[0], int(row[1] or 0)) if row else None

    def put(self, key: str, model: str, response: str, tokens: int) -> None:
        conn = self._conn()
        with conn:
            conn.execute(
                "insert or replace into llm_cache (key, model, response, tokens, created_at) "
                "values (?, ?, ?, ?, ?)",
                [key, model, response, int(tokens), datetime.now(UTC).isoformat()],
            )

    def delete(self, key: str) -> None:
        conn = self._conn()
        with conn:
            conn.execute("delete from llm_cache where key = ?", [key])

    def count(self) -> int:
        return self._conn().execute("select count(*) from llm_cache").fetchone()[0]


__all__ = ["LLMCache", "cache_key"]
