"""The edit journal: one write transaction per edit, the rows it touched, and the record of it.

An edit writes through a ``Change``, which remembers the before- and after-image of every row
it touches; ``record`` stores those images (the edit's *inverse*, which ``undo`` replays) in the
``edits`` table with who asked, when and what (``payload``).

Not handled here: what an edit may do (``checks``) and undoing one (``undo``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database

from teachback.curricula import ownership
from teachback.curricula.db import now
from teachback.errors import NotFound

# Primary key columns of every table an edit may touch.
TABLE_PK: dict[str, tuple[str, ...]] = {
    "concepts": ("id",),
    "aliases": ("concept_id", "alias"),
    "evidence": ("id",),
    "edges": ("id",),
    "lessons": ("concept_id",),
    "exercises": ("id",),
    "units": ("id",),
    "attempts": ("id",),
    "lesson_reads": ("id",),
}
# Tables whose rows carry ``rev`` (and ``edited``): the things an instructor edits directly.
REV_TABLES = {"concepts", "lessons", "exercises"}


def one(db: Database, sql: str, params: list) -> dict | None:
    """The first row ``sql`` returns, as a dict, or None."""
    return next(iter(db.query(sql, params)), None)


def _where(table: str) -> str:
    return " AND ".join(f"[{c}] = ?" for c in TABLE_PK[table])


def get(db: Database, table: str, key: tuple) -> dict | None:
    """The row of ``table`` under primary key ``key``, or None."""
    return one(db, f"SELECT * FROM [{table}] WHERE {_where(table)}", list(key))


def key_of(table: str, row: dict) -> tuple:
    return tuple(row[c] for c in TABLE_PK[table])


def _target(table: str, key: tuple) -> str:
    return f"{table}:{json.dumps(list(key))}"


@contextmanager
def transaction(db: Database) -> Iterator[None]:
    """One write transaction; taken IMMEDIATE so a rev read inside it cannot go stale."""
    conn = db.conn
    if conn.in_transaction:  # someone else's open transaction: nest with a savepoint
        conn.execute("SAVEPOINT teachback_edit")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO teachback_edit")
            conn.execute("RELEASE teachback_edit")
            raise
        conn.execute("RELEASE teachback_edit")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


class Change:
    """Writes rows and remembers each one's before- and after-image (the edit's inverse)."""

    def __init__(self, db: Database):
        self.db = db
        self.order: list[tuple[str, tuple]] = []
        self.before: dict[tuple[str, tuple], dict | None] = {}
        self.after: dict[tuple[str, tuple], dict | None] = {}

    def _note(self, table: str, key: tuple, before: dict | None) -> None:
        ref = (table, key)
        if ref not in self.before:
            self.order.append(ref)
            self.before[ref] = before
        self.after[ref] = get(self.db, table, key)

    def insert(self, table: str, row: dict) -> tuple:
        row = dict(row)
        if table in REV_TABLES:
            row.setdefault("rev", 1)
            row.setdefault("edited", 1)
        cols = ", ".join(f"[{c}]" for c in row)
        marks = ", ".join("?" for _ in row)
        cur = self.db.execute(
            f"INSERT INTO [{table}] ({cols}) VALUES ({marks})", list(row.values())
        )
        if TABLE_PK[table] == ("id",) and row.get("id") is None:
            row["id"] = cur.lastrowid
        key = key_of(table, row)
        self._note(table, key, None)
        return key

    def update(self, table: str, key: tuple, changes: dict, *, bump: bool = True) -> None:
        """Change one row; ``bump`` (for rows an instructor edits) raises its rev and marks it
        edited, so a re-ingest leaves it alone and an editor holding the old rev conflicts."""
        before = get(self.db, table, key)
        if before is None:
            raise NotFound(f"{table} {'/'.join(map(str, key))} does not exist")
        changes = dict(changes)
        if table in REV_TABLES and bump:
            changes.setdefault("rev", (before.get("rev") or 0) + 1)
            changes.setdefault("edited", 1)
            if "updated_at" in before:
                changes.setdefault("updated_at", now())
        if changes:
            sets = ", ".join(f"[{c}] = ?" for c in changes)
            self.db.execute(
                f"UPDATE [{table}] SET {sets} WHERE {_where(table)}", [*changes.values(), *key]
            )
        self._note(table, key, before)

    def delete(self, table: str, key: tuple) -> None:
        before = get(self.db, table, key)
        if before is None:
            return
        self.db.execute(f"DELETE FROM [{table}] WHERE {_where(table)}", list(key))
        self._note(table, key, before)

    def inverse(self) -> dict:
        return {
            "rows": [
                {
                    "table": t,
                    "key": list(k),
                    "before": self.before[(t, k)],
                    "after": self.after[(t, k)],
                }
                for t, k in self.order
            ]
        }

    def targets(self) -> list[str]:
        return [_target(t, k) for t, k in self.order]


def record(db: Database, curriculum: str, who: str, op: str, payload: dict, change: Change) -> int:
    """Store the edit ``change`` made; returns its id. Called inside the edit's transaction, so
    an edit the owner check refuses rolls back whole."""
    ownership.require(db, curriculum, who, "edit")
    inverse = change.inverse()
    inverse["targets"] = change.targets()
    cur = db.execute(
        "INSERT INTO edits (curriculum_id, at, who, op, payload, inverse, undone) "
        "VALUES (?, ?, ?, ?, ?, ?, 0)",
        [curriculum, now(), who, op, json.dumps(payload), json.dumps(inverse)],
    )
    return cur.lastrowid


def last_change(db: Database, curriculum: str, table: str, key: tuple) -> dict | None:
    """The latest recorded edit that touched a row: ``{id, who, at, op}``, or None."""
    target = _target(table, key)
    for row in db.query(
        "SELECT id, who, at, op, inverse FROM edits WHERE curriculum_id = ? "
        "ORDER BY id DESC LIMIT 500",
        [curriculum],
    ):
        if target in json.loads(row["inverse"] or "{}").get("targets", []):
            return {k: row[k] for k in ("id", "who", "at", "op")}
    return None


def history(db: Database, curriculum: str, limit: int = 200) -> list[dict]:
    """Recorded edits, newest first: ``{id, at, who, op, payload, undone}`` (payload decoded)."""
    rows = list(
        db.query(
            "SELECT id, at, who, op, payload, undone FROM edits WHERE curriculum_id = ? "
            "ORDER BY id DESC LIMIT ?",
            [curriculum, limit],
        )
    )
    for r in rows:
        r["payload"] = json.loads(r["payload"] or "{}")
        r["undone"] = bool(r["undone"])
    return rows


def instructor_overrides(db: Database, curriculum: str) -> dict:
    """What a re-ingest must respect beyond ``edited=1`` rows.

    ``deleted``: names of concepts an instructor deleted (do not bring them back);
    ``merged``: absorbed name -> kept concept id (map a re-extracted name onto the kept concept).
    """
    deleted, merged = [], {}
    for e in db.query(
        "SELECT op, payload FROM edits WHERE curriculum_id = ? AND undone = 0 "
        "AND op IN ('delete_concept', 'merge') ORDER BY id",
        [curriculum],
    ):
        p = json.loads(e["payload"])
        if e["op"] == "delete_concept":
            deleted.append(p["name"])
        else:
            merged[p["absorbed_name"]] = p["keep"]
    return {"deleted": deleted, "merged": merged}
