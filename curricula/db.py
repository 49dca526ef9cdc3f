"""Opening the store: one SQLite file, WAL, foreign keys on, migrations applied.

The store is SQLite through sqlite-utils, and only ``curricula`` imports either (an
import-linter contract in ``pyproject.toml``): other packages take the ``Database`` that
``open_db`` returns (the type is named here) and call ``curricula`` functions with it, and catch
``StoreBusy`` when a long write holds the store. A PostgreSQL backend would start here.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from teachback.curricula.migrations import migrations

__all__ = ["Database", "StoreBusy", "now", "open_db", "store_file"]

# What a write raises when another one held the store past the busy timeout (a long ingest).
StoreBusy = sqlite3.OperationalError


def open_db(path: str | Path | None = None, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database at ``path``; ``None`` means in memory.

    ``check_same_thread=False`` because Streamlit serves each session from its own thread
    and LangGraph runs nodes on a pool; SQLite serialises writers itself (WAL + busy timeout).
    """
    if path is None:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
    else:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 30000")
    if path is not None:
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
    if migrate:
        migrations.apply(db)
    return db


def now() -> str:
    """The current time as the ISO-8601 UTC text every table uses."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def store_file(db: Database) -> str | None:
    """The store's file, or None for an in-memory store."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return file
    return None
