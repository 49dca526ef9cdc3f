"""Two concepts that are one (merge), and one concept that is two (split)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from teachback.curricula.db import now
from teachback.curricula.edits import checks
from teachback.curricula.edits.graph import find_cycle, names, prerequisite_graph
from teachback.curricula.edits.journal import Change, get, one, record, transaction
from teachback.errors import CycleError, InvalidEdit

# ----------------------------------------------------------------------------- merge


def _repoint_edges(ch: Change, curriculum: str, keep_id: str, absorb_id: str) -> None:
    """Edges of the absorbed concept now start or end at the kept one; an edge that would be a
    self-loop or a duplicate of an existing one is dropped."""
    db = ch.db
    for e in list(
        db.query(
            "SELECT * FROM edges WHERE prerequisite = ? OR concept = ?", [absorb_id, absorb_id]
        )
    ):
        pre = keep_id if e["prerequisite"] == absorb_id else e["prerequisite"]
        con = keep_id if e["concept"] == absorb_id else e["concept"]
        dup = one(
            db,
            "SELECT id FROM edges WHERE curriculum_id = ? AND prerequisite = ? AND concept = ? "
            "AND kind = ? AND id != ?",
            [curriculum, pre, con, e["kind"], e["id"]],
        )
        if pre == con or dup:
            ch.delete("edges", (e["id"],))
        else:
            ch.update("edges", (e["id"],), {"prerequisite": pre, "concept": con})


def _absorb_aliases(ch: Change, keep: dict, gone: dict) -> None:
    """The absorbed concept's name and aliases become aliases of the kept one."""
    db = ch.db
    keep_aliases = {a.lower() for a in checks.aliases(db, keep["id"])} | {keep["name"].lower()}
    for alias in [gone["name"], *checks.aliases(db, gone["id"])]:
        if alias.lower() not in keep_aliases:
            ch.insert("aliases", {"concept_id": keep["id"], "alias": alias})
            keep_aliases.add(alias.lower())
    for alias in checks.aliases(db, gone["id"]):
        ch.delete("aliases", (gone["id"], alias))


def _absorb_rows(ch: Change, keep_id: str, absorb_id: str) -> None:
    """Evidence, exercises, learner attempts and lessons read of the absorbed concept follow
    it."""
    for table in ("evidence", "exercises", "attempts", "lesson_reads"):
        for row_id in checks.ids(
            ch.db, f"SELECT id FROM {table} WHERE concept_id = ?", [absorb_id]
        ):
            ch.update(table, (row_id,), {"concept_id": keep_id})


def _absorb_lesson(ch: Change, keep_id: str, absorb_id: str) -> None:
    """The absorbed concept's lesson becomes the kept one's when that has none."""
    gone_lesson = get(ch.db, "lessons", (absorb_id,))
    if gone_lesson is None:
        return
    if get(ch.db, "lessons", (keep_id,)) is None:
        ch.insert(
            "lessons",
            {**gone_lesson, "concept_id": keep_id, "edited": 1, "rev": 1, "updated_at": now()},
        )
    ch.delete("lessons", (absorb_id,))


def _merged_fields(keep: dict, gone: dict) -> dict[str, Any]:
    """The kept concept's importance is the higher one; its definition, if empty, the other's."""
    changes: dict[str, Any] = {
        "importance": max(keep["importance"] or 0.0, gone["importance"] or 0.0)
    }
    if not (keep["definition"] or "").strip() and (gone["definition"] or "").strip():
        changes["definition"] = gone["definition"]
    return changes


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
    has none, and every learner attempt and lesson read on it (re-pointed to the kept concept).
    A merge that would close a prerequisite cycle (A -> X -> B, merge B into A) raises
    ``CycleError``.
    """
    who = checks.clean_who(who)
    if keep_id == absorb_id:
        raise InvalidEdit("a concept cannot be merged into itself")
    with transaction(db):
        keep = checks.concept(db, keep_id)
        gone = checks.concept(db, absorb_id)
        cur = keep["curriculum_id"]
        if gone["curriculum_id"] != cur:
            raise InvalidEdit("concepts from different curricula cannot be merged")
        checks.check_rev(db, cur, "concepts", keep, keep_rev, f"concept {keep['name']!r}")
        checks.check_rev(db, cur, "concepts", gone, absorb_rev, f"concept {gone['name']!r}")
        ch = Change(db)
        # Edges first, so the cycle check sees the merged graph.
        _repoint_edges(ch, cur, keep_id, absorb_id)
        if cycle := find_cycle(prerequisite_graph(db, cur)):
            raise CycleError(names(db, cycle))
        _absorb_aliases(ch, keep, gone)
        _absorb_rows(ch, keep_id, absorb_id)
        _absorb_lesson(ch, keep_id, absorb_id)
        ch.update("concepts", (keep_id,), _merged_fields(keep, gone))
        ch.delete("concepts", (absorb_id,))
        payload = {"keep": keep_id, "absorb": absorb_id, "absorbed_name": gone["name"]}
        return record(db, cur, who, "merge", payload, ch)


# ----------------------------------------------------------------------------- split


def _own_evidence(db: Database, concept: dict, chosen: list[int]) -> dict[int, dict]:
    """The concept's evidence rows by id, after checking ``chosen`` are among them."""
    own = {
        r["id"]: r for r in db.query("SELECT * FROM evidence WHERE concept_id = ?", [concept["id"]])
    }
    for eid in chosen:
        if eid not in own:
            raise InvalidEdit(f"evidence {eid} does not belong to {concept['name']!r}")
    return own


def _check_own_parts(db: Database, concept: dict, aliases: list, exercise_ids: list) -> None:
    own_alias = checks.aliases(db, concept["id"])
    for a in aliases:
        if a not in own_alias:
            raise InvalidEdit(f"{a!r} is not an alias of {concept['name']!r}")
    own_ex = set(checks.ids(db, "SELECT id FROM exercises WHERE concept_id = ?", [concept["id"]]))
    for x in exercise_ids:
        if x not in own_ex:
            raise InvalidEdit(f"exercise {x} does not belong to {concept['name']!r}")


def _make_room_after(ch: Change, concept: dict) -> None:
    """Shift every later concept one place down in teaching order."""
    for cid in checks.ids(
        ch.db,
        "SELECT id FROM concepts WHERE curriculum_id = ? AND position > ? ORDER BY position",
        [concept["curriculum_id"], concept["position"] or 0],
    ):
        pos = get(ch.db, "concepts", (cid,))["position"]
        ch.update("concepts", (cid,), {"position": pos + 1}, bump=False)


def _new_concept_row(concept: dict, new_id: str, slug: str, name: str, definition: str) -> dict:
    """The split-off concept, right after ``concept`` in its unit, with its kind and weight."""
    return {
        "id": new_id,
        "curriculum_id": concept["curriculum_id"],
        "slug": slug,
        "name": name,
        "definition": definition,
        "importance": concept["importance"],
        "unit_id": concept["unit_id"],
        "position": (concept["position"] or 0) + 1,
        "kind": concept["kind"],
        "origin": "instructor",
        "edited": 1,
        "rev": 1,
        "updated_at": now(),
    }


def _move_exercises(ch: Change, exercise_ids: list[str], new_id: str) -> None:
    """The exercises move, and the learner attempts on them follow."""
    for x in exercise_ids:
        ch.update("exercises", (x,), {"concept_id": new_id})
        for at in checks.ids(ch.db, "SELECT id FROM attempts WHERE exercise_id = ?", [x]):
            ch.update("attempts", (at,), {"concept_id": new_id})


def _inherit_prerequisites(ch: Change, concept: dict, new_id: str) -> None:
    for e in list(
        ch.db.query(
            "SELECT * FROM edges WHERE concept = ? AND kind = 'prerequisite' "
            "AND coalesce(status, 'active') = 'active'",
            [concept["id"]],
        )
    ):
        ch.insert(
            "edges",
            {
                "curriculum_id": concept["curriculum_id"],
                "prerequisite": e["prerequisite"],
                "concept": new_id,
                "kind": "prerequisite",
                "weight": e["weight"],
                "reason": f"inherited from {concept['name']} when it was split",
                "origin": "instructor",
                "status": "active",
            },
        )


def _lesson_from_evidence(new_id: str, name: str, definition: str, quotes: list[dict]) -> dict:
    """A first lesson for the split-off concept: its definition, then its evidence quoted."""
    text = "\n\n".join(
        [f"**{name}**" + (f": {definition}" if definition else "")]
        + [f"> {(q['quote'] or '').strip()}" for q in quotes if (q["quote"] or "").strip()]
    )
    citations = [
        {"source": q["source_id"], "start": q["start"], "end": q["end"], "quote": q["quote"]}
        for q in quotes
    ]
    return {
        "concept_id": new_id,
        "text": text,
        "citations": json.dumps(citations),
        "origin": "instructor",
        "edited": 1,
        "rev": 1,
        "updated_at": now(),
    }


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
    who = checks.clean_who(who)
    new_name = checks.clean_name(new_name, "new name")
    definition = checks.clean_text(definition, "definition", allow_empty=True)
    evidence_ids, aliases, exercise_ids = list(evidence_ids), list(aliases), list(exercise_ids)
    with transaction(db):
        c = checks.concept(db, concept_id)
        cur = c["curriculum_id"]
        checks.check_rev(db, cur, "concepts", c, rev, f"concept {c['name']!r}")
        if clash := checks.name_taken(db, cur, new_name):
            raise InvalidEdit(f"a concept named {clash['name']!r} already exists")
        own_ev = _own_evidence(db, c, evidence_ids)
        _check_own_parts(db, c, aliases, exercise_ids)
        if len(evidence_ids) and len(evidence_ids) == len(own_ev):
            raise InvalidEdit(f"leave at least one piece of evidence with {c['name']!r}")
        slug = checks.free_slug(db, cur, new_name)
        new_id = f"{cur}/{slug}"
        if not definition and evidence_ids:
            definition = (own_ev[evidence_ids[0]]["quote"] or "").strip()
        ch = Change(db)
        _make_room_after(ch, c)
        ch.insert("concepts", _new_concept_row(c, new_id, slug, new_name, definition))
        ch.update("concepts", (concept_id,), {})
        for a in aliases:
            ch.delete("aliases", (concept_id, a))
            if a.lower() != new_name.lower():
                ch.insert("aliases", {"concept_id": new_id, "alias": a})
        for eid in evidence_ids:
            ch.update("evidence", (eid,), {"concept_id": new_id})
        _move_exercises(ch, exercise_ids, new_id)
        _inherit_prerequisites(ch, c, new_id)
        if evidence_ids:
            quotes = [own_ev[e] for e in evidence_ids]
            ch.insert("lessons", _lesson_from_evidence(new_id, new_name, definition, quotes))
        payload = {
            "concept": concept_id,
            "new": new_id,
            "new_name": new_name,
            "evidence": evidence_ids,
            "aliases": aliases,
            "exercises": exercise_ids,
        }
        record(db, cur, who, "split", payload, ch)
    return new_id
