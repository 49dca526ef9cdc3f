"""Edits of the teaching order: the order of units, and where a concept sits among them."""

from __future__ import annotations

from sqlite_utils import Database

from teachback.curricula.edits import checks
from teachback.curricula.edits.journal import Change, get, record, transaction
from teachback.errors import EditConflict, InvalidEdit, NotFound


def unit_order(db: Database, curriculum: str) -> list[int]:
    """The curriculum's unit ids in teaching order (what ``reorder_units`` expects back)."""
    return checks.ids(
        db, "SELECT id FROM units WHERE curriculum_id = ? ORDER BY position, id", [curriculum]
    )


def reorder_units(
    db: Database, curriculum: str, order: list[int], *, expected: list[int], who: str
) -> int:
    """Put the units in ``order``. ``expected`` is the order the editor saw (conflict check)."""
    who = checks.clean_who(who)
    order = [int(u) for u in order]
    with transaction(db):
        checks.curriculum(db, curriculum)
        current = unit_order(db, curriculum)
        if [int(u) for u in expected] != current:
            raise EditConflict(
                f"the units of {curriculum!r} were reordered or changed since you read them; "
                "nothing was changed — reload and try again"
            )
        if sorted(order) != sorted(current) or len(set(order)) != len(order):
            raise InvalidEdit("the new order must list every unit of the curriculum exactly once")
        if order == current:
            raise InvalidEdit("that is already the order")
        ch = Change(db)
        for pos, uid in enumerate(order):
            ch.update("units", (uid,), {"position": pos})
        return record(db, curriculum, who, "reorder_units", {"order": order}, ch)


def _members(db: Database, curriculum: str, units: list[int], leaving: str) -> dict:
    """Unit id (None: no unit) -> its concepts in teaching order, without ``leaving``."""
    members: dict[int | None, list[str]] = {u: [] for u in units}
    members[None] = []
    for row in db.query(
        "SELECT id, unit_id FROM concepts WHERE curriculum_id = ? "
        "ORDER BY coalesce(position, 1e9), name, id",
        [curriculum],
    ):
        if row["id"] != leaving:
            members.setdefault(row["unit_id"], []).append(row["id"])
    return members


def move_concept(
    db: Database,
    concept_id: str,
    *,
    unit_id: int,
    rev: int,
    who: str,
    index: int | None = None,
) -> int:
    """Move a concept into ``unit_id`` at ``index`` within that unit (default: last).

    Teaching positions of the curriculum's concepts are renumbered to follow the unit order,
    so the move is what learners meet next time. Returns the edit id.
    """
    who = checks.clean_who(who)
    with transaction(db):
        c = checks.concept(db, concept_id)
        cur = c["curriculum_id"]
        checks.check_rev(db, cur, "concepts", c, rev, f"concept {c['name']!r}")
        units = unit_order(db, cur)
        if unit_id not in units:
            raise NotFound(f"unit {unit_id} does not exist in {cur!r}")
        members = _members(db, cur, units, concept_id)
        target = members[unit_id]
        if index is None:
            index = len(target)
        if not 0 <= index <= len(target):
            raise InvalidEdit(
                f"position {index + 1} is outside unit {unit_id} (1..{len(target) + 1})"
            )
        target.insert(index, concept_id)
        order = [cid for u in [*units, None] for cid in members.get(u, [])]
        ch = Change(db)
        for pos, cid in enumerate(order):
            row = get(db, "concepts", (cid,))
            if cid == concept_id:
                if row["unit_id"] == unit_id and row["position"] == pos:
                    raise InvalidEdit(f"concept {c['name']!r} is already there")
                ch.update("concepts", (cid,), {"unit_id": unit_id, "position": pos})
            elif row["position"] != pos:
                ch.update("concepts", (cid,), {"position": pos}, bump=False)
        payload = {"concept": concept_id, "unit": unit_id, "index": index}
        return record(db, cur, who, "move_concept", payload, ch)
