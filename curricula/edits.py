"""An instructor's edits to a curriculum: pure operations over the store, each one undoable.

Every operation here
* validates its input and raises ``InvalidEdit`` / ``NotFound`` / ``CycleError`` before writing;
* checks the ``rev`` the editor read (optimistic concurrency): if someone changed the item since,
  it raises ``EditConflict`` naming who and when, and nothing is written;
* runs in one write transaction (``BEGIN IMMEDIATE``), so it lands whole or not at all;
* records itself in the ``edits`` table with who, when, what was asked (``payload``) and the
  before/after image of every row it touched (``inverse``), which is how ``undo`` works;
* marks each touched concept, lesson and exercise ``edited=1``: a re-ingest leaves those alone.

Undo restores every touched row to its before-image, in reverse order, and is itself recorded as
an edit (``op="undo"``), so undoing an undo redoes. It refuses (``EditConflict``) when a row has
changed since the edit, i.e. a later edit must be undone first. One deliberate difference from a
byte-exact restore: the ``rev`` of a restored concept/lesson/exercise goes *up* (and
``updated_at`` is refreshed), so an editor holding the old rev still gets a conflict.

Not handled here: editing sources or passages (those belong to the ingest).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, get_args

from sqlite_utils import Database

from teachback.curricula import ownership
from teachback.curricula.db import now
from teachback.engine.protocol import ExerciseKind
from teachback.errors import CycleError, EditConflict, InvalidEdit, NotFound

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
}
# Tables whose rows carry ``rev`` (and ``edited``): the things an instructor edits directly.
REV_TABLES = {"concepts", "lessons", "exercises"}
# The kinds an instructor may give an exercise: the engine protocol's list, not a copy of it.
EXERCISE_KINDS = get_args(ExerciseKind)
MAX_NAME = 200
MAX_TEXT = 100_000


# ----------------------------------------------------------------------------- store plumbing


def _rows(db: Database, sql: str, params: Iterable[Any] = ()) -> list[dict]:
    cur = db.execute(sql, list(params))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _one(db: Database, sql: str, params: Iterable[Any] = ()) -> dict | None:
    found = _rows(db, sql, params)
    return found[0] if found else None


def _where(table: str) -> str:
    return " AND ".join(f"[{c}] = ?" for c in TABLE_PK[table])


def _get(db: Database, table: str, key: tuple) -> dict | None:
    return _one(db, f"SELECT * FROM [{table}] WHERE {_where(table)}", key)


def _key_of(table: str, row: dict) -> tuple:
    return tuple(row[c] for c in TABLE_PK[table])


def _target(table: str, key: tuple) -> str:
    return f"{table}:{json.dumps(list(key))}"


@contextmanager
def _write(db: Database) -> Iterator[None]:
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


class _Change:
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
        self.after[ref] = _get(self.db, table, key)

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
        key = _key_of(table, row)
        self._note(table, key, None)
        return key

    def update(self, table: str, key: tuple, changes: dict, *, bump: bool = True) -> None:
        before = _get(self.db, table, key)
        if before is None:
            raise NotFound(f"{table} {'/'.join(map(str, key))} does not exist")
        changes = dict(changes)
        if table in REV_TABLES and bump:
            changes.setdefault("rev", (before.get("rev") or 0) + 1)
            changes.setdefault("edited", 1)
            if "updated_at" in before:
                changes.setdefault("updated_at", now())
        if not changes:
            self._note(table, key, before)
            return
        sets = ", ".join(f"[{c}] = ?" for c in changes)
        self.db.execute(
            f"UPDATE [{table}] SET {sets} WHERE {_where(table)}", [*changes.values(), *key]
        )
        self._note(table, key, before)

    def delete(self, table: str, key: tuple) -> None:
        before = _get(self.db, table, key)
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


def _record(
    db: Database, curriculum: str, who: str, op: str, payload: dict, change: _Change
) -> int:
    # Every edit ends here, inside its transaction: refused, it rolls back whole.
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
    for row in _rows(
        db,
        "SELECT id, who, at, op, inverse FROM edits WHERE curriculum_id = ? "
        "ORDER BY id DESC LIMIT 500",
        [curriculum],
    ):
        if target in json.loads(row["inverse"] or "{}").get("targets", []):
            return {k: row[k] for k in ("id", "who", "at", "op")}
    return None


def _conflict(db: Database, curriculum: str, table: str, key: tuple, what: str, why: str):
    last = last_change(db, curriculum, table, key)
    by = f"{last['who']} at {last['at']} ({last['op']})" if last else "a re-ingest"
    return EditConflict(
        f"{what} was changed by {by} since you read it ({why}); "
        "nothing was changed — reload and try again"
    )


def _check_rev(db: Database, curriculum: str, table: str, row: dict, rev: int, what: str) -> None:
    if rev is None:
        raise InvalidEdit(f"{what}: an edit must say which revision it read (rev)")
    if (row.get("rev") or 0) != rev:
        raise _conflict(
            db,
            curriculum,
            table,
            _key_of(table, row),
            what,
            f"you read rev {rev}, it is now rev {row.get('rev') or 0}",
        )


# ----------------------------------------------------------------------------- validation


def _clean_name(name: str | None, what: str = "name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidEdit(f"the {what} is empty")
    if len(name) > MAX_NAME:
        raise InvalidEdit(f"the {what} is longer than {MAX_NAME} characters")
    return name


def _clean_text(text: str | None, what: str, *, allow_empty: bool = False) -> str:
    text = (text or "").strip()
    if not text and not allow_empty:
        raise InvalidEdit(f"the {what} is empty")
    if len(text) > MAX_TEXT:
        raise InvalidEdit(f"the {what} is longer than {MAX_TEXT} characters")
    return text


def _who(who: str | None) -> str:
    who = (who or "").strip()
    if not who:
        raise InvalidEdit("an edit must say who made it")
    return who


def _concept(db: Database, concept_id: str) -> dict:
    row = _get(db, "concepts", (concept_id,))
    if row is None:
        raise NotFound(f"concept {concept_id!r} does not exist")
    return row


def _curriculum(db: Database, curriculum: str) -> dict:
    row = _get_curriculum(db, curriculum)
    if row is None:
        raise NotFound(f"curriculum {curriculum!r} does not exist")
    return row


def _get_curriculum(db: Database, curriculum: str) -> dict | None:
    return _one(db, "SELECT * FROM curricula WHERE id = ?", [curriculum])


def _name_taken(db: Database, curriculum: str, name: str, *, other_than: str | None = None):
    row = _one(
        db,
        "SELECT id, name FROM concepts WHERE curriculum_id = ? AND lower(name) = lower(?) "
        "AND id != ?",
        [curriculum, name, other_than or ""],
    )
    return row


def slugify(name: str) -> str:
    """``"Large language model (LLM)" -> "large-language-model-llm"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:80] or "concept"


def _free_slug(db: Database, curriculum: str, name: str) -> str:
    base = slugify(name)
    slug, n = base, 2
    while _one(
        db, "SELECT 1 AS x FROM concepts WHERE curriculum_id = ? AND slug = ?", [curriculum, slug]
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _aliases(db: Database, concept_id: str) -> list[str]:
    return [
        r["alias"]
        for r in _rows(db, "SELECT alias FROM aliases WHERE concept_id = ?", [concept_id])
    ]


def _prereq_graph(db: Database, curriculum: str) -> dict[str, list[str]]:
    """Active prerequisite edges as ``prerequisite -> [concepts that need it]``."""
    graph: dict[str, list[str]] = {}
    for e in _rows(
        db,
        "SELECT prerequisite, concept FROM edges WHERE curriculum_id = ? "
        "AND kind = 'prerequisite' AND coalesce(status, 'active') = 'active' ORDER BY id",
        [curriculum],
    ):
        graph.setdefault(e["prerequisite"], []).append(e["concept"])
    return graph


def _path(graph: dict[str, list[str]], start: str, goal: str) -> list[str] | None:
    """A path ``start -> ... -> goal`` along the graph (breadth first), or None."""
    came: dict[str, str | None] = {start: None}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            if node == goal:
                path = [node]
                while came[path[-1]] is not None:
                    path.append(came[path[-1]])
                return path[::-1]
            for succ in graph.get(node, []):
                if succ not in came:
                    came[succ] = node
                    nxt.append(succ)
        frontier = nxt
    return None


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """Any cycle in the graph as ``[a, b, ..., a]``, or None (iterative DFS)."""
    colour: dict[str, int] = {}
    for root in list(graph):
        if colour.get(root):
            continue
        stack = [(root, iter(graph.get(root, [])))]
        colour[root] = 1
        trail = [root]
        while stack:
            node, it = stack[-1]
            succ = next(it, None)
            if succ is None:
                colour[node] = 2
                stack.pop()
                trail.pop()
            elif colour.get(succ) == 1:
                return trail[trail.index(succ) :] + [succ]
            elif not colour.get(succ):
                colour[succ] = 1
                trail.append(succ)
                stack.append((succ, iter(graph.get(succ, []))))
    return None


def _names(db: Database, ids: list[str]) -> list[str]:
    out = []
    for cid in ids:
        row = _get(db, "concepts", (cid,))
        out.append(row["name"] if row else cid)
    return out


# ----------------------------------------------------------------------------- concepts


def add_concept(
    db: Database,
    curriculum: str,
    name: str,
    *,
    who: str,
    definition: str = "",
    unit_id: int | None = None,
    aliases: Iterable[str] = (),
    kind: str = "term",
) -> str:
    """Add a concept an instructor wants taught; returns its id (``<curriculum>/<slug>``)."""
    who = _who(who)
    name = _clean_name(name)
    definition = _clean_text(definition, "definition", allow_empty=True)
    if kind not in ("term", "code"):
        raise InvalidEdit(f"unknown concept kind {kind!r} (use term or code)")
    with _write(db):
        _curriculum(db, curriculum)
        if clash := _name_taken(db, curriculum, name):
            raise InvalidEdit(f"a concept named {clash['name']!r} already exists")
        if unit_id is not None and not _one(
            db, "SELECT 1 AS x FROM units WHERE id = ? AND curriculum_id = ?", [unit_id, curriculum]
        ):
            raise NotFound(f"unit {unit_id} does not exist in {curriculum!r}")
        slug = _free_slug(db, curriculum, name)
        cid = f"{curriculum}/{slug}"
        position = _one(
            db,
            "SELECT coalesce(max(position), -1) + 1 AS p FROM concepts WHERE curriculum_id = ?",
            [curriculum],
        )["p"]
        ch = _Change(db)
        ch.insert(
            "concepts",
            {
                "id": cid,
                "curriculum_id": curriculum,
                "slug": slug,
                "name": name,
                "definition": definition,
                "importance": 0.5,
                "unit_id": unit_id,
                "position": position,
                "kind": kind,
                "origin": "instructor",
                "edited": 1,
                "rev": 1,
                "updated_at": now(),
            },
        )
        for alias in dict.fromkeys(_clean_name(a, "alias") for a in aliases):
            if alias.lower() != name.lower():
                ch.insert("aliases", {"concept_id": cid, "alias": alias})
        _record(db, curriculum, who, "add_concept", {"name": name, "id": cid}, ch)
    return cid


def rename_concept(
    db: Database,
    concept_id: str,
    new_name: str,
    *,
    rev: int,
    who: str,
    keep_old_as_alias: bool = True,
) -> int:
    """Rename a concept (its id stays, so attempts and links keep working); returns the edit id.

    The old name becomes an alias unless ``keep_old_as_alias=False``.
    """
    who = _who(who)
    new_name = _clean_name(new_name, "new name")
    with _write(db):
        c = _concept(db, concept_id)
        cur = c["curriculum_id"]
        _check_rev(db, cur, "concepts", c, rev, f"concept {c['name']!r}")
        if new_name == c["name"]:
            raise InvalidEdit(f"concept {c['name']!r} already has that name")
        if clash := _name_taken(db, cur, new_name, other_than=concept_id):
            raise InvalidEdit(
                f"a concept named {clash['name']!r} already exists; merge them instead"
            )
        ch = _Change(db)
        ch.update("concepts", (concept_id,), {"name": new_name})
        aliases = _aliases(db, concept_id)
        for alias in aliases:  # the new name is no longer an alias of itself
            if alias.lower() == new_name.lower():
                ch.delete("aliases", (concept_id, alias))
        if keep_old_as_alias and c["name"].lower() not in {a.lower() for a in aliases}:
            if c["name"].lower() != new_name.lower():
                ch.insert("aliases", {"concept_id": concept_id, "alias": c["name"]})
        payload = {"concept": concept_id, "old": c["name"], "new": new_name}
        return _record(db, cur, who, "rename", payload, ch)


def update_concept(
    db: Database,
    concept_id: str,
    *,
    rev: int,
    who: str,
    definition: str | None = None,
    importance: float | None = None,
    aliases: list[str] | None = None,
) -> int:
    """Change a concept's definition, importance or alias list; returns the edit id."""
    who = _who(who)
    changes: dict[str, Any] = {}
    if definition is not None:
        changes["definition"] = _clean_text(definition, "definition", allow_empty=True)
    if importance is not None:
        if not 0.0 <= float(importance) <= 1.0:
            raise InvalidEdit("importance must be between 0 and 1")
        changes["importance"] = float(importance)
    new_aliases = None
    if aliases is not None:
        new_aliases = list(dict.fromkeys(_clean_name(a, "alias") for a in aliases if a.strip()))
    if not changes and new_aliases is None:
        raise InvalidEdit("nothing to change")
    with _write(db):
        c = _concept(db, concept_id)
        cur = c["curriculum_id"]
        _check_rev(db, cur, "concepts", c, rev, f"concept {c['name']!r}")
        ch = _Change(db)
        ch.update("concepts", (concept_id,), changes)
        if new_aliases is not None:
            old = _aliases(db, concept_id)
            for a in old:
                if a not in new_aliases:
                    ch.delete("aliases", (concept_id, a))
            for a in new_aliases:
                if a not in old and a.lower() != c["name"].lower():
                    ch.insert("aliases", {"concept_id": concept_id, "alias": a})
        payload = {"concept": concept_id, **changes}
        if new_aliases is not None:
            payload["aliases"] = new_aliases
        return _record(db, cur, who, "update_concept", payload, ch)


def merge_concepts(
    db: Database,
    keep_id: str,
    absorb_id: str,
    *,
    keep_rev: int,
    absorb_rev: int,
    who: str,
) -> int:
    """Merge ``absorb_id`` into ``keep_id``; returns the edit id.

    Kept: the absorbed concept's name and aliases (as aliases), its evidence, its exercises,
    its edges (re-pointed; self-loops and duplicates dropped), its lesson when the kept concept
    has none, and every learner attempt on it (re-pointed to the kept concept). A merge that
    would close a prerequisite cycle (A -> X -> B, merge B into A) raises ``CycleError``.
    """
    who = _who(who)
    if keep_id == absorb_id:
        raise InvalidEdit("a concept cannot be merged into itself")
    with _write(db):
        keep = _concept(db, keep_id)
        gone = _concept(db, absorb_id)
        cur = keep["curriculum_id"]
        if gone["curriculum_id"] != cur:
            raise InvalidEdit("concepts from different curricula cannot be merged")
        _check_rev(db, cur, "concepts", keep, keep_rev, f"concept {keep['name']!r}")
        _check_rev(db, cur, "concepts", gone, absorb_rev, f"concept {gone['name']!r}")
        ch = _Change(db)
        # Edges first, so the cycle check sees the merged graph.
        for e in _rows(
            db, "SELECT * FROM edges WHERE prerequisite = ? OR concept = ?", [absorb_id, absorb_id]
        ):
            pre = keep_id if e["prerequisite"] == absorb_id else e["prerequisite"]
            con = keep_id if e["concept"] == absorb_id else e["concept"]
            dup = _one(
                db,
                "SELECT id FROM edges WHERE curriculum_id = ? AND prerequisite = ? AND concept = ? "
                "AND kind = ? AND id != ?",
                [cur, pre, con, e["kind"], e["id"]],
            )
            if pre == con or dup:
                ch.delete("edges", (e["id"],))
            else:
                ch.update("edges", (e["id"],), {"prerequisite": pre, "concept": con})
        if cycle := _find_cycle(_prereq_graph(db, cur)):
            raise CycleError(_names(db, cycle))
        keep_aliases = {a.lower() for a in _aliases(db, keep_id)} | {keep["name"].lower()}
        for alias in [gone["name"], *_aliases(db, absorb_id)]:
            if alias.lower() not in keep_aliases:
                ch.insert("aliases", {"concept_id": keep_id, "alias": alias})
                keep_aliases.add(alias.lower())
        for alias in _aliases(db, absorb_id):
            ch.delete("aliases", (absorb_id, alias))
        for ev in _rows(db, "SELECT id FROM evidence WHERE concept_id = ?", [absorb_id]):
            ch.update("evidence", (ev["id"],), {"concept_id": keep_id})
        for ex in _rows(db, "SELECT id FROM exercises WHERE concept_id = ?", [absorb_id]):
            ch.update("exercises", (ex["id"],), {"concept_id": keep_id})
        for at in _rows(db, "SELECT id FROM attempts WHERE concept_id = ?", [absorb_id]):
            ch.update("attempts", (at["id"],), {"concept_id": keep_id})
        gone_lesson = _get(db, "lessons", (absorb_id,))
        if gone_lesson is not None:
            if _get(db, "lessons", (keep_id,)) is None:
                ch.insert(
                    "lessons",
                    {
                        **gone_lesson,
                        "concept_id": keep_id,
                        "edited": 1,
                        "rev": 1,
                        "updated_at": now(),
                    },
                )
            ch.delete("lessons", (absorb_id,))
        changes: dict[str, Any] = {
            "importance": max(keep["importance"] or 0.0, gone["importance"] or 0.0)
        }
        if not (keep["definition"] or "").strip() and (gone["definition"] or "").strip():
            changes["definition"] = gone["definition"]
        ch.update("concepts", (keep_id,), changes)
        ch.delete("concepts", (absorb_id,))
        payload = {"keep": keep_id, "absorb": absorb_id, "absorbed_name": gone["name"]}
        return _record(db, cur, who, "merge", payload, ch)


def split_concept(
    db: Database,
    concept_id: str,
    new_name: str,
    *,
    rev: int,
    who: str,
    evidence_ids: Iterable[int] = (),
    aliases: Iterable[str] = (),
    exercise_ids: Iterable[str] = (),
    definition: str = "",
) -> str:
    """Split off a new concept named ``new_name``; returns the new concept's id.

    The chosen evidence, aliases and exercises move to the new concept; learner attempts on the
    moved exercises follow them. The new concept inherits the original's prerequisites (it has
    no dependants yet, so that cannot close a cycle) and gets a lesson built from its evidence.
    """
    who = _who(who)
    new_name = _clean_name(new_name, "new name")
    definition = _clean_text(definition, "definition", allow_empty=True)
    evidence_ids, aliases, exercise_ids = list(evidence_ids), list(aliases), list(exercise_ids)
    with _write(db):
        c = _concept(db, concept_id)
        cur = c["curriculum_id"]
        _check_rev(db, cur, "concepts", c, rev, f"concept {c['name']!r}")
        if clash := _name_taken(db, cur, new_name):
            raise InvalidEdit(f"a concept named {clash['name']!r} already exists")
        own_ev = {
            r["id"]: r
            for r in _rows(db, "SELECT * FROM evidence WHERE concept_id = ?", [concept_id])
        }
        own_alias = _aliases(db, concept_id)
        own_ex = {
            r["id"]
            for r in _rows(db, "SELECT id FROM exercises WHERE concept_id = ?", [concept_id])
        }
        for eid in evidence_ids:
            if eid not in own_ev:
                raise InvalidEdit(f"evidence {eid} does not belong to {c['name']!r}")
        for a in aliases:
            if a not in own_alias:
                raise InvalidEdit(f"{a!r} is not an alias of {c['name']!r}")
        for x in exercise_ids:
            if x not in own_ex:
                raise InvalidEdit(f"exercise {x} does not belong to {c['name']!r}")
        if len(evidence_ids) and len(evidence_ids) == len(own_ev):
            raise InvalidEdit(f"leave at least one piece of evidence with {c['name']!r}")
        slug = _free_slug(db, cur, new_name)
        new_id = f"{cur}/{slug}"
        if not definition and evidence_ids:
            definition = (own_ev[evidence_ids[0]]["quote"] or "").strip()
        ch = _Change(db)
        # Make room right after the original in teaching order.
        for row in _rows(
            db,
            "SELECT id FROM concepts WHERE curriculum_id = ? AND position > ? ORDER BY position",
            [cur, c["position"] or 0],
        ):
            pos = _get(db, "concepts", (row["id"],))["position"]
            ch.update("concepts", (row["id"],), {"position": pos + 1}, bump=False)
        ch.insert(
            "concepts",
            {
                "id": new_id,
                "curriculum_id": cur,
                "slug": slug,
                "name": new_name,
                "definition": definition,
                "importance": c["importance"],
                "unit_id": c["unit_id"],
                "position": (c["position"] or 0) + 1,
                "kind": c["kind"],
                "origin": "instructor",
                "edited": 1,
                "rev": 1,
                "updated_at": now(),
            },
        )
        ch.update("concepts", (concept_id,), {})
        for a in aliases:
            ch.delete("aliases", (concept_id, a))
            if a.lower() != new_name.lower():
                ch.insert("aliases", {"concept_id": new_id, "alias": a})
        for eid in evidence_ids:
            ch.update("evidence", (eid,), {"concept_id": new_id})
        for x in exercise_ids:
            ch.update("exercises", (x,), {"concept_id": new_id})
            for at in _rows(db, "SELECT id FROM attempts WHERE exercise_id = ?", [x]):
                ch.update("attempts", (at["id"],), {"concept_id": new_id})
        for e in _rows(
            db,
            "SELECT * FROM edges WHERE concept = ? AND kind = 'prerequisite' "
            "AND coalesce(status, 'active') = 'active'",
            [concept_id],
        ):
            ch.insert(
                "edges",
                {
                    "curriculum_id": cur,
                    "prerequisite": e["prerequisite"],
                    "concept": new_id,
                    "kind": "prerequisite",
                    "weight": e["weight"],
                    "reason": f"inherited from {c['name']} when it was split",
                    "origin": "instructor",
                    "status": "active",
                },
            )
        if evidence_ids:
            quotes = [own_ev[e] for e in evidence_ids]
            text = "\n\n".join(
                [f"**{new_name}**" + (f": {definition}" if definition else "")]
                + [f"> {(q['quote'] or '').strip()}" for q in quotes if (q["quote"] or "").strip()]
            )
            citations = [
                {
                    "source": q["source_id"],
                    "start": q["start"],
                    "end": q["end"],
                    "quote": q["quote"],
                }
                for q in quotes
            ]
            ch.insert(
                "lessons",
                {
                    "concept_id": new_id,
                    "text": text,
                    "citations": json.dumps(citations),
                    "origin": "instructor",
                    "edited": 1,
                    "rev": 1,
                    "updated_at": now(),
                },
            )
        payload = {
            "concept": concept_id,
            "new": new_id,
            "new_name": new_name,
            "evidence": evidence_ids,
            "aliases": aliases,
            "exercises": exercise_ids,
        }
        _record(db, cur, who, "split", payload, ch)
    return new_id


def delete_concept(db: Database, concept_id: str, *, rev: int, who: str) -> int:
    """Delete a concept with its aliases, evidence, edges, lesson and exercises (undoable).

    Learner attempts are history and stay; undo brings everything else back.
    """
    who = _who(who)
    with _write(db):
        c = _concept(db, concept_id)
        cur = c["curriculum_id"]
        _check_rev(db, cur, "concepts", c, rev, f"concept {c['name']!r}")
        ch = _Change(db)
        for a in _aliases(db, concept_id):
            ch.delete("aliases", (concept_id, a))
        for ev in _rows(db, "SELECT id FROM evidence WHERE concept_id = ?", [concept_id]):
            ch.delete("evidence", (ev["id"],))
        for e in _rows(
            db, "SELECT id FROM edges WHERE prerequisite = ? OR concept = ?", [concept_id] * 2
        ):
            ch.delete("edges", (e["id"],))
        ch.delete("lessons", (concept_id,))
        for ex in _rows(db, "SELECT id FROM exercises WHERE concept_id = ?", [concept_id]):
            ch.delete("exercises", (ex["id"],))
        ch.delete("concepts", (concept_id,))
        payload = {"concept": concept_id, "name": c["name"]}
        return _record(db, cur, who, "delete_concept", payload, ch)


# ----------------------------------------------------------------------------- edges and units


def add_edge(
    db: Database,
    prerequisite: str,
    concept: str,
    *,
    who: str,
    kind: str = "prerequisite",
    reason: str = "",
) -> int:
    """Add ``prerequisite -> concept``; returns the edge id. A cycle raises ``CycleError``.

    An edge that exists but was removed (by an instructor, or by the ingest to break a cycle)
    is switched back on.
    """
    who = _who(who)
    if kind not in ("prerequisite", "related"):
        raise InvalidEdit(f"unknown edge kind {kind!r} (use prerequisite or related)")
    if prerequisite == concept:
        raise InvalidEdit("a concept cannot be its own prerequisite")
    with _write(db):
        p = _concept(db, prerequisite)
        c = _concept(db, concept)
        cur = c["curriculum_id"]
        if p["curriculum_id"] != cur:
            raise InvalidEdit("both concepts must be in the same curriculum")
        if kind == "prerequisite":
            back = _path(_prereq_graph(db, cur), concept, prerequisite)
            if back:
                raise CycleError(_names(db, [prerequisite, *back]))
        existing = _one(
            db,
            "SELECT * FROM edges WHERE curriculum_id = ? AND prerequisite = ? AND concept = ? "
            "AND kind = ?",
            [cur, prerequisite, concept, kind],
        )
        ch = _Change(db)
        reason = (reason or "").strip() or f"added by {who}"
        if existing and (existing["status"] or "active") == "active":
            raise InvalidEdit(f"{p['name']!r} -> {c['name']!r} ({kind}) already exists")
        if existing:
            ch.update(
                "edges",
                (existing["id"],),
                {"status": "active", "origin": "instructor", "reason": reason},
            )
            edge_id = existing["id"]
        else:
            (edge_id,) = ch.insert(
                "edges",
                {
                    "curriculum_id": cur,
                    "prerequisite": prerequisite,
                    "concept": concept,
                    "kind": kind,
                    "weight": 1.0,
                    "reason": reason,
                    "origin": "instructor",
                    "status": "active",
                },
            )
        payload = {"prerequisite": prerequisite, "concept": concept, "kind": kind}
        _record(db, cur, who, "add_edge", payload, ch)
    return edge_id


def remove_edge(db: Database, edge_id: int, *, who: str, reason: str = "") -> int:
    """Switch an edge off (kept with ``status="removed"`` so a re-ingest does not bring it back)."""
    who = _who(who)
    with _write(db):
        e = _get(db, "edges", (edge_id,))
        if e is None:
            raise NotFound(f"edge {edge_id} does not exist")
        cur = e["curriculum_id"]
        if (e["status"] or "active") != "active":
            raise _conflict(db, cur, "edges", (edge_id,), f"edge {edge_id}", "already removed")
        ch = _Change(db)
        ch.update(
            "edges",
            (edge_id,),
            {
                "status": "removed",
                "origin": "instructor",
                "reason": (reason or "").strip() or f"removed by {who}",
            },
        )
        payload = {"edge": edge_id, "prerequisite": e["prerequisite"], "concept": e["concept"]}
        return _record(db, cur, who, "remove_edge", payload, ch)


def unit_order(db: Database, curriculum: str) -> list[int]:
    """The curriculum's unit ids in teaching order (what ``reorder_units`` expects back)."""
    return [
        r["id"]
        for r in _rows(
            db,
            "SELECT id FROM units WHERE curriculum_id = ? ORDER BY position, id",
            [curriculum],
        )
    ]


def reorder_units(
    db: Database, curriculum: str, order: list[int], *, expected: list[int], who: str
) -> int:
    """Put the units in ``order``. ``expected`` is the order the editor saw (conflict check)."""
    who = _who(who)
    order = [int(u) for u in order]
    with _write(db):
        _curriculum(db, curriculum)
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
        ch = _Change(db)
        for pos, uid in enumerate(order):
            ch.update("units", (uid,), {"position": pos})
        return _record(db, curriculum, who, "reorder_units", {"order": order}, ch)


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
    who = _who(who)
    with _write(db):
        c = _concept(db, concept_id)
        cur = c["curriculum_id"]
        _check_rev(db, cur, "concepts", c, rev, f"concept {c['name']!r}")
        units = unit_order(db, cur)
        if unit_id not in units:
            raise NotFound(f"unit {unit_id} does not exist in {cur!r}")
        members: dict[int | None, list[str]] = {u: [] for u in units}
        members[None] = []
        for row in _rows(
            db,
            "SELECT id, unit_id FROM concepts WHERE curriculum_id = ? "
            "ORDER BY coalesce(position, 1e9), name, id",
            [cur],
        ):
            if row["id"] != concept_id:
                members.setdefault(row["unit_id"], []).append(row["id"])
        target = members[unit_id]
        if index is None:
            index = len(target)
        if not 0 <= index <= len(target):
            raise InvalidEdit(
                f"position {index + 1} is outside unit {unit_id} (1..{len(target) + 1})"
            )
        target.insert(index, concept_id)
        order = [cid for u in [*units, None] for cid in members.get(u, [])]
        ch = _Change(db)
        for pos, cid in enumerate(order):
            row = _get(db, "concepts", (cid,))
            if cid == concept_id:
                if row["unit_id"] == unit_id and row["position"] == pos:
                    raise InvalidEdit(f"concept {c['name']!r} is already there")
                ch.update("concepts", (cid,), {"unit_id": unit_id, "position": pos})
            elif row["position"] != pos:
                ch.update("concepts", (cid,), {"position": pos}, bump=False)
        payload = {"concept": concept_id, "unit": unit_id, "index": index}
        return _record(db, cur, who, "move_concept", payload, ch)


# ----------------------------------------------------------------------------- lessons


def edit_lesson(db: Database, concept_id: str, text: str, *, rev: int, who: str) -> int:
    """Replace a concept's lesson text (Markdown). ``rev`` 0 means "there was no lesson"."""
    who = _who(who)
    text = _clean_text(text, "lesson text")
    with _write(db):
        c = _concept(db, concept_id)
        cur = c["curriculum_id"]
        lesson = _get(db, "lessons", (concept_id,))
        what = f"the lesson of {c['name']!r}"
        ch = _Change(db)
        if lesson is None:
            if rev != 0:
                raise _conflict(db, cur, "lessons", (concept_id,), what, "it was deleted")
            ch.insert(
                "lessons",
                {
                    "concept_id": concept_id,
                    "text": text,
                    "citations": "[]",
                    "origin": "instructor",
                    "edited": 1,
                    "rev": 1,
                    "updated_at": now(),
                },
            )
        else:
            _check_rev(db, cur, "lessons", lesson, rev, what)
            if lesson["text"] == text:
                raise InvalidEdit(f"{what} is unchanged")
            ch.update("lessons", (concept_id,), {"text": text})
        return _record(db, cur, who, "edit_lesson", {"concept": concept_id}, ch)


# ----------------------------------------------------------------------------- exercises


def _exercise(db: Database, exercise_id: str) -> dict:
    row = _get(db, "exercises", (exercise_id,))
    if row is None:
        raise NotFound(f"exercise {exercise_id!r} does not exist")
    return row


def _validate_exercise(kind: str, prompt: str, choices: list[str], answer: Any) -> None:
    if kind not in EXERCISE_KINDS:
        raise InvalidEdit(f"unknown exercise kind {kind!r}; one of: {', '.join(EXERCISE_KINDS)}")
    if not (prompt or "").strip():
        raise InvalidEdit("the question is empty")
    if answer is None or (isinstance(answer, str | list) and not answer):
        raise InvalidEdit("the answer key is empty")
    if kind == "multiple_choice":
        if len(choices) < 2:
            raise InvalidEdit("a multiple-choice question needs at least two choices")
        if len(set(choices)) != len(choices):
            raise InvalidEdit("the choices repeat")
        if answer not in choices:
            raise InvalidEdit("the answer must be one of the choices")
    if kind == "true_false" and not isinstance(answer, bool):
        raise InvalidEdit("a true/false answer must be true or false")


def _review(db: Database, exercise_id: str, status: str, rev: int, who: str, op: str, **extra):
    who = _who(who)
    with _write(db):
        x = _exercise(db, exercise_id)
        cur = x["curriculum_id"]
        _check_rev(db, cur, "exercises", x, rev, f"exercise {exercise_id}")
        if x["status"] == status:
            raise InvalidEdit(f"exercise {exercise_id} is already {status}")
        changes = {"status": status}
        if extra.get("reason"):
            sc = json.loads(x["self_check"] or "{}")
            sc["instructor"] = {"status": status, "reason": extra["reason"], "by": who}
            changes["self_check"] = json.dumps(sc)
        ch = _Change(db)
        ch.update("exercises", (exercise_id,), changes)
        return _record(db, cur, who, op, {"exercise": exercise_id, **extra}, ch)


def approve_exercise(db: Database, exercise_id: str, *, rev: int, who: str) -> int:
    """Mark an exercise approved (learners get it once a version is published)."""
    return _review(db, exercise_id, "approved", rev, who, "approve_exercise")


def reject_exercise(db: Database, exercise_id: str, *, rev: int, who: str, reason: str = "") -> int:
    """Reject an exercise: it stays stored (undoable) but learners never get it."""
    return _review(db, exercise_id, "rejected", rev, who, "reject_exercise", reason=reason.strip())


def edit_exercise(
    db: Database,
    exercise_id: str,
    *,
    rev: int,
    who: str,
    prompt: str | None = None,
    choices: list[str] | None = None,
    answer: Any = None,
    explanation: str | None = None,
    difficulty: float | None = None,
) -> int:
    """Change an exercise's question, choices, answer key, explanation or difficulty.

    The id stays (attempts point at it); the edited exercise counts as approved.
    """
    who = _who(who)
    with _write(db):
        x = _exercise(db, exercise_id)
        cur = x["curriculum_id"]
        _check_rev(db, cur, "exercises", x, rev, f"exercise {exercise_id}")
        new_prompt = x["prompt"] if prompt is None else prompt.strip()
        new_choices = json.loads(x["choices"] or "[]") if choices is None else list(choices)
        new_answer = json.loads(x["answer"]) if answer is None else answer
        _validate_exercise(x["kind"], new_prompt, new_choices, new_answer)
        changes: dict[str, Any] = {
            "prompt": new_prompt,
            "choices": json.dumps(new_choices),
            "answer": json.dumps(new_answer),
            "status": "approved",
        }
        if explanation is not None:
            changes["explanation"] = explanation.strip()
        if difficulty is not None:
            if not 0.0 <= float(difficulty) <= 1.0:
                raise InvalidEdit("difficulty must be between 0 and 1")
            changes["difficulty"] = float(difficulty)
        if all(x[k] == v for k, v in changes.items() if k != "status"):
            raise InvalidEdit(f"exercise {exercise_id} is unchanged")
        ch = _Change(db)
        ch.update("exercises", (exercise_id,), changes)
        return _record(db, cur, who, "edit_exercise", {"exercise": exercise_id, **changes}, ch)


def add_exercise(
    db: Database,
    concept_id: str,
    *,
    who: str,
    kind: str,
    prompt: str,
    answer: Any,
    choices: Iterable[str] = (),
    explanation: str = "",
    difficulty: float = 0.5,
    data: dict | None = None,
) -> str:
    """Add an instructor's own exercise (approved); returns its id."""
    import hashlib

    who = _who(who)
    choices = [str(c).strip() for c in choices if str(c).strip()]
    prompt = (prompt or "").strip()
    if isinstance(answer, str):
        answer = answer.strip()
    _validate_exercise(kind, prompt, choices, answer)
    if not 0.0 <= float(difficulty) <= 1.0:
        raise InvalidEdit("difficulty must be between 0 and 1")
    with _write(db):
        c = _concept(db, concept_id)
        cur = c["curriculum_id"]
        xid = hashlib.sha256(f"{concept_id}\n{kind}\n{prompt}".encode()).hexdigest()[:16]
        if _get(db, "exercises", (xid,)):
            raise InvalidEdit("the same question already exists for this concept")
        ch = _Change(db)
        ch.insert(
            "exercises",
            {
                "id": xid,
                "curriculum_id": cur,
                "concept_id": concept_id,
                "kind": kind,
                "prompt": prompt,
                "choices": json.dumps(choices),
                "answer": json.dumps(answer),
                "explanation": (explanation or "").strip(),
                "difficulty": float(difficulty),
                "citations": "[]",
                "data": json.dumps(data or {}),
                "self_check": json.dumps({"passed": True, "reasons": [f"written by {who}"]}),
                "status": "approved",
                "origin": "instructor",
                "edited": 1,
                "rev": 1,
                "created_at": now(),
            },
        )
        _record(db, cur, who, "add_exercise", {"exercise": xid, "concept": concept_id}, ch)
    return xid


# ----------------------------------------------------------------------------- history and undo


def history(db: Database, curriculum: str, limit: int = 200) -> list[dict]:
    """Recorded edits, newest first: ``{id, at, who, op, payload, undone}`` (payload decoded)."""
    rows = _rows(
        db,
        "SELECT id, at, who, op, payload, undone FROM edits WHERE curriculum_id = ? "
        "ORDER BY id DESC LIMIT ?",
        [curriculum, limit],
    )
    for r in rows:
        r["payload"] = json.loads(r["payload"] or "{}")
        r["undone"] = bool(r["undone"])
    return rows


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


def undo(db: Database, edit_id: int, *, who: str) -> int:
    """Undo one recorded edit; returns the id of the ``undo`` edit (which can itself be undone).

    Refuses with ``EditConflict`` when any row it touched has changed since (undo the later
    edit first), and with ``InvalidEdit`` when it was already undone. Nothing is half-done.
    """
    who = _who(who)
    with _write(db):
        edit = _one(db, "SELECT * FROM edits WHERE id = ?", [edit_id])
        if edit is None:
            raise NotFound(f"edit #{edit_id} does not exist")
        if edit["undone"]:
            raise InvalidEdit(f"edit #{edit_id} ({edit['op']}) was already undone")
        cur = edit["curriculum_id"]
        rows = json.loads(edit["inverse"] or "{}").get("rows", [])
        for r in rows:
            key = tuple(r["key"])
            if not _same(_get(db, r["table"], key), r["after"]):
                last = last_change(db, cur, r["table"], key)
                by = f" by edit #{last['id']} ({last['op']}, {last['who']})" if last else ""
                raise EditConflict(
                    f"cannot undo edit #{edit_id} ({edit['op']}): {r['table']} "
                    f"{'/'.join(map(str, key))} changed since{by}; undo that first"
                )
        ch = _Change(db)
        for r in reversed(rows):
            table, key, before = r["table"], tuple(r["key"]), r["before"]
            current = _get(db, table, key)
            if before is None:
                ch.delete(table, key)
                continue
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
        db.execute("UPDATE edits SET undone = 1 WHERE id = ?", [edit_id])
        return _record(db, cur, who, "undo", {"edit": edit_id, "op": edit["op"]}, ch)


def instructor_overrides(db: Database, curriculum: str) -> dict:
    """What a re-ingest must respect beyond ``edited=1`` rows.

    ``deleted``: names of concepts an instructor deleted (do not bring them back);
    ``merged``: absorbed name -> kept concept id (map a re-extracted name onto the kept concept).
    """
    deleted, merged = [], {}
    for e in _rows(
        db,
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
