"""Edits of the concepts themselves: add, rename, change, delete.

Merging two concepts and splitting one are in ``merge_split``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from teachback.curricula.db import now
from teachback.curricula.edits import checks
from teachback.curricula.edits.journal import Change, one, record, transaction
from teachback.errors import InvalidEdit, NotFound


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
    who = checks.clean_who(who)
    name = checks.clean_name(name)
    definition = checks.clean_text(definition, "definition", allow_empty=True)
    if kind not in ("term", "code"):
        raise InvalidEdit(f"unknown concept kind {kind!r} (use term or code)")
    with transaction(db):
        checks.curriculum(db, curriculum)
        if clash := checks.name_taken(db, curriculum, name):
            raise InvalidEdit(f"a concept named {clash['name']!r} already exists")
        if unit_id is not None and not one(
            db, "SELECT 1 AS x FROM units WHERE id = ? AND curriculum_id = ?", [unit_id, curriculum]
        ):
            raise NotFound(f"unit {unit_id} does not exist in {curriculum!r}")
        slug = checks.free_slug(db, curriculum, name)
        cid = f"{curriculum}/{slug}"
        position = one(
            db,
            "SELECT coalesce(max(position), -1) + 1 AS p FROM concepts WHERE curriculum_id = ?",
            [curriculum],
        )["p"]
        ch = Change(db)
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
        for alias in dict.fromkeys(checks.clean_name(a, "alias") for a in aliases):
            if alias.lower() != name.lower():
                ch.insert("aliases", {"concept_id": cid, "alias": alias})
        record(db, curriculum, who, "add_concept", {"name": name, "id": cid}, ch)
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
    who = checks.clean_who(who)
    new_name = checks.clean_name(new_name, "new name")
    with transaction(db):
        c = checks.concept(db, concept_id)
        cur = c["curriculum_id"]
        checks.check_rev(db, cur, "concepts", c, rev, f"concept {c['name']!r}")
        if new_name == c["name"]:
            raise InvalidEdit(f"concept {c['name']!r} already has that name")
        if clash := checks.name_taken(db, cur, new_name, other_than=concept_id):
            raise InvalidEdit(
                f"a concept named {clash['name']!r} already exists; merge them instead"
            )
        ch = Change(db)
        ch.update("concepts", (concept_id,), {"name": new_name})
        aliases = checks.aliases(db, concept_id)
        for alias in aliases:  # the new name is no longer an alias of itself
            if alias.lower() == new_name.lower():
                ch.delete("aliases", (concept_id, alias))
        if keep_old_as_alias and c["name"].lower() not in {a.lower() for a in aliases}:
            if c["name"].lower() != new_name.lower():
                ch.insert("aliases", {"concept_id": concept_id, "alias": c["name"]})
        payload = {"concept": concept_id, "old": c["name"], "new": new_name}
        return record(db, cur, who, "rename", payload, ch)


def _concept_changes(definition: str | None, importance: float | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if definition is not None:
        changes["definition"] = checks.clean_text(definition, "definition", allow_empty=True)
    if importance is not None:
        changes["importance"] = checks.share(importance, "importance")
    return changes


def _replace_aliases(ch: Change, concept: dict, new: list[str]) -> None:
    """Make ``new`` the concept's aliases (its own name is never one)."""
    old = checks.aliases(ch.db, concept["id"])
    for a in old:
        if a not in new:
            ch.delete("aliases", (concept["id"], a))
    for a in new:
        if a not in old and a.lower() != concept["name"].lower():
            ch.insert("aliases", {"concept_id": concept["id"], "alias": a})


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
    who = checks.clean_who(who)
    changes = _concept_changes(definition, importance)
    new_aliases = None
    if aliases is not None:
        new_aliases = list(
            dict.fromkeys(checks.clean_name(a, "alias") for a in aliases if a.strip())
        )
    if not changes and new_aliases is None:
        raise InvalidEdit("nothing to change")
    with transaction(db):
        c = checks.concept(db, concept_id)
        cur = c["curriculum_id"]
        checks.check_rev(db, cur, "concepts", c, rev, f"concept {c['name']!r}")
        ch = Change(db)
        ch.update("concepts", (concept_id,), changes)
        payload = {"concept": concept_id, **changes}
        if new_aliases is not None:
            _replace_aliases(ch, c, new_aliases)
            payload["aliases"] = new_aliases
        return record(db, cur, who, "update_concept", payload, ch)


def delete_concept(db: Database, concept_id: str, *, rev: int, who: str) -> int:
    """Delete a concept with its aliases, evidence, edges, lesson and exercises (undoable).

    Learner attempts are history and stay; undo brings everything else back.
    """
    who = checks.clean_who(who)
    with transaction(db):
        c = checks.concept(db, concept_id)
        cur = c["curriculum_id"]
        checks.check_rev(db, cur, "concepts", c, rev, f"concept {c['name']!r}")
        ch = Change(db)
        for a in checks.aliases(db, concept_id):
            ch.delete("aliases", (concept_id, a))
        for ev in checks.ids(db, "SELECT id FROM evidence WHERE concept_id = ?", [concept_id]):
            ch.delete("evidence", (ev,))
        for e in checks.ids(
            db, "SELECT id FROM edges WHERE prerequisite = ? OR concept = ?", [concept_id] * 2
        ):
            ch.delete("edges", (e,))
        ch.delete("lessons", (concept_id,))
        for ex in checks.ids(db, "SELECT id FROM exercises WHERE concept_id = ?", [concept_id]):
            ch.delete("exercises", (ex,))
        ch.delete("concepts", (concept_id,))
        payload = {"concept": concept_id, "name": c["name"]}
        return record(db, cur, who, "delete_concept", payload, ch)
