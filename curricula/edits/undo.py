"""Undo: put back every row one recorded edit touched, as one more recorded edit.

Undo restores every touched row to its before-image, in reverse order, and is itself recorded
(``op="undo"``), so undoing an undo redoes. It refuses (``EditConflict``) when a row has changed
since the edit, i.e. a later edit must be undone first. One deliberate difference from a
byte-exact restore: the ``rev`` of a restored concept/lesson/exercise goes *up* (and
``updated_at`` is refreshed), so an editor holding the old rev still gets a conflict.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from teachback.curricula.db import now
from teachback.curricula.edits import checks
from teachback.curricula.edits.journal import (
    REV_TABLES,
    TABLE_PK,
    Change,
    get,
    last_change,
    one,
    record,
    transaction,
)
from teachback.errors import EditConflict, InvalidEdit, NotFound


def _same(current: dict | None, expected: dict | None) -> bool:
    """Whether a row still is what an edit left. ``rev``/``updated_at`` are not compared: an
    undo of a later edit restores the content under a higher rev, and that must not block
    undoing the earlier edit next."""
    if current is None or expected is None:
        return current is expected
    ignore = {"rev", "updated_at"}
    return {k: v for k, v in current.items() if k not in ignore} == {
        k: v for k, v in expected.items() if k not in ignore
    }


def _check_unchanged(db: Database, edit: dict, rows: list[dict]) -> None:
    """Refuse when a row the edit touched is no longer what it left (a later edit changed it)."""
    for r in rows:
        key = tuple(r["key"])
        if not _same(get(db, r["table"], key), r["after"]):
            last = last_change(db, edit["curriculum_id"], r["table"], key)
            by = f" by edit #{last['id']} ({last['op']}, {last['who']})" if last else ""
            raise EditConflict(
                f"cannot undo edit #{edit['id']} ({edit['op']}): {r['table']} "
                f"{'/'.join(map(str, key))} changed since{by}; undo that first"
            )


def _restore(ch: Change, table: str, key: tuple, before: dict | None) -> None:
    """Put one row back to ``before`` (None: the edit created it, so delete it)."""
    current = get(ch.db, table, key)
    if before is None:
        ch.delete(table, key)
        return
    restored = dict(before)
    if table in REV_TABLES:
        base = (current or before).get("rev") or 0
        restored["rev"] = max(base, before.get("rev") or 0) + 1
        if "updated_at" in restored:
            restored["updated_at"] = now()
    if current is None:
        ch.insert(table, restored)
    else:
        changes = {k: v for k, v in restored.items() if k not in TABLE_PK[table]}
        ch.update(table, key, changes, bump=False)


def undo(db: Database, edit_id: int, *, who: str) -> int:
    """Undo one recorded edit; returns the id of the ``undo`` edit (which can itself be undone).

    Refuses with ``EditConflict`` when any row it touched has changed since (undo the later
    edit first), and with ``InvalidEdit`` when it was already undone. Nothing is half-done.
    """
    who = checks.clean_who(who)
    with transaction(db):
        edit = one(db, "SELECT * FROM edits WHERE id = ?", [edit_id])
        if edit is None:
            raise NotFound(f"edit #{edit_id} does not exist")
        if edit["undone"]:
            raise InvalidEdit(f"edit #{edit_id} ({edit['op']}) was already undone")
        rows = json.loads(edit["inverse"] or "{}").get("rows", [])
        _check_unchanged(db, edit, rows)
        ch = Change(db)
        for r in reversed(rows):
            _restore(ch, r["table"], tuple(r["key"]), r["before"])
        db.execute("UPDATE edits SET undone = 1 WHERE id = ?", [edit_id])
        payload = {"edit": edit_id, "op": edit["op"]}
        return record(db, edit["curriculum_id"], who, "undo", payload, ch)
