"""Where a run's checkpoint lives, and its thread: one per curriculum and set of paths.

The checkpoint file sits beside the database (``<db>.ingest.sqlite``, LangGraph's
``SqliteSaver``) and also holds the staging table; an in-memory database checkpoints in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator

from teachback.curricula.db import Database, store_file
from teachback.ingest.pipeline.reading import stored_path


def checkpoint_path(db: Database) -> str | None:
    """The checkpoint file beside an on-disk database (``None`` for an in-memory one)."""
    file = store_file(db)
    return f"{file}.ingest.sqlite" if file else None


def thread_id(curriculum: str, paths: list[str]) -> str:
    """The same paths (in any order) into the same curriculum resume the same run."""
    key = json.dumps([curriculum, sorted(stored_path(str(p)) for p in paths)])
    return f"ingest:{curriculum}:{hashlib.sha1(key.encode()).hexdigest()[:16]}"


@contextlib.contextmanager
def checkpointer(path: str | None) -> Iterator:
    if path is None:
        from langgraph.checkpoint.memory import InMemorySaver

        yield InMemorySaver()
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
    try:
        yield SqliteSaver(conn)
    finally:
        conn.close()


def compact(path: str) -> None:
    """Give back the pages a finished run freed in the checkpoint file (the staged documents,
    concepts and exercises: tens of MB for a large corpus). Another run using the same file at
    the same moment keeps it busy; then that run's own end compacts it."""
    try:
        conn = sqlite3.connect(path, timeout=1)
        try:
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.Error:
        pass
