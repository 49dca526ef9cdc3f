"""Drafts and published versions of a curriculum.

What the ingest makes and instructors edit lives in the ordinary tables: that is the *draft*.
``publish`` freezes the draft as a numbered version (a JSON export, see ``export_json``, stored in
``curriculum_versions.snapshot``) and points ``curricula.published_version`` at it. Each
item of a snapshot (a source with its text, a concept, an edge, a lesson, an exercise) is stored
once by content hash in ``snapshot_items`` and the version lists the hashes, so publishing again
after a small edit stores the edited items, not another copy of everything.
``published_view`` is what learners see: the published snapshot without rejected exercises or
removed edges — never the draft.

Learners' progress survives a new version because attempts key on concept and exercise ids, and
ids stay stable across edits (a rename keeps the id; a merge re-points attempts). ``changes``
lists what differs between two versions (or the draft and the published version), so an
instructor sees which concepts a publish would change and which stay as they were.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from teachback.curricula import ownership
from teachback.curricula.db import now
from teachback.curricula.export_json import export_curriculum
from teachback.curricula.snapshots import pack_snapshot, unpack_snapshot
from teachback.errors import InvalidEdit, NotFound

# Exercise statuses a learner may be given.
LEARNER_STATUSES = ("kept", "approved")


def publish(db: Database, curriculum: str, who: str) -> int:
    """Publish the current draft; returns the new version number (1, 2, ...)."""
    who = (who or "").strip()
    if not who:
        raise InvalidEdit("publishing must say who publishes")
    snapshot = export_curriculum(db, curriculum)  # raises NotFound
    if not snapshot["concepts"]:
        raise InvalidEdit(f"curriculum {curriculum!r} has no concepts yet: nothing to publish")
    with db.atomic():
        ownership.require(db, curriculum, who, "publish")
        version = db.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM curriculum_versions WHERE curriculum_id = ?",
            [curriculum],
        ).fetchone()[0]
        snapshot["curriculum"]["published_version"] = version
        snapshot = pack_snapshot(db, snapshot)
        db["curriculum_versions"].insert(
            {
                "curriculum_id": curriculum,
                "version": version,
                "published_at": now(),
                "published_by": who,
                "snapshot": json.dumps(snapshot, ensure_ascii=False),
            }
        )
        db.execute("UPDATE curricula SET published_version = ? WHERE id = ?", [version, curriculum])
    return version


def versions(db: Database, curriculum: str) -> list[dict]:
    """Published versions, newest first: ``{version, published_at, published_by}``."""
    return list(
        db.query(
            "SELECT version, published_at, published_by FROM curriculum_versions "
            "WHERE curriculum_id = ? ORDER BY version DESC",
            [curriculum],
        )
    )


def snapshot(db: Database, curriculum: str, version: int | None = None) -> dict | None:
    """The stored snapshot of ``version`` (default: the published one), or None if unpublished."""
    if version is None:
        row = db.execute(
            "SELECT published_version FROM curricula WHERE id = ?", [curriculum]
        ).fetchone()
        if row is None:
            raise NotFound(f"no curriculum {curriculum!r}")
        version = row[0]
        if version is None:
            return None
    row = db.execute(
        "SELECT snapshot FROM curriculum_versions WHERE curriculum_id = ? AND version = ?",
        [curriculum, version],
    ).fetchone()
    if row is None:
        raise NotFound(f"curriculum {curriculum!r} has no version {version}")
    return unpack_snapshot(db, json.loads(row[0]))


def learner_view(data: dict) -> dict:
    """An export (or snapshot) reduced to what a learner may see."""
    data = dict(data)
    data["exercises"] = [x for x in data["exercises"] if x["status"] in LEARNER_STATUSES]
    data["edges"] = [e for e in data["edges"] if e.get("status", "active") == "active"]
    return data


def published_view(db: Database, curriculum: str) -> dict | None:
    """What learners see: the published version, without rejected exercises or removed edges.

    ``None`` when nothing has been published yet (learners then see nothing of it).
    """
    snap = snapshot(db, curriculum)
    return None if snap is None else learner_view(snap)


def _concept_content(data: dict) -> dict[str, dict]:
    """Per concept id, everything a learner would meet about it (to compare versions)."""
    out: dict[str, dict] = {}
    for c in data["concepts"]:
        out[c["id"]] = {
            "name": c["name"],
            "definition": c["definition"],
            "aliases": sorted(c["aliases"]),
            "unit": c["unit"],
        }
    for lesson in data["lessons"]:
        if lesson["concept"] in out:
            out[lesson["concept"]]["lesson"] = lesson["text"]
    for x in data["exercises"]:
        if x["concept"] in out and x["status"] in LEARNER_STATUSES:
            out[x["concept"]].setdefault("exercises", []).append(
                [x["id"], x["prompt"], x["choices"], x["answer"]]
            )
    for e in data["edges"]:
        if e.get("status", "active") == "active" and e["concept"] in out:
            out[e["concept"]].setdefault("needs", []).append([e["prerequisite"], e["kind"]])
    for v in out.values():
        for k in ("exercises", "needs"):
            v[k] = sorted(v.get(k, []), key=json.dumps)
    return out


def changes(old: dict | None, new: dict) -> dict:
    """Concept ids ``added``, ``removed``, ``changed`` and ``unchanged`` from ``old`` to ``new``."""
    a = _concept_content(old) if old else {}
    b = _concept_content(new)
    return {
        "added": sorted(set(b) - set(a)),
        "removed": sorted(set(a) - set(b)),
        "changed": sorted(k for k in set(a) & set(b) if a[k] != b[k]),
        "unchanged": sorted(k for k in set(a) & set(b) if a[k] == b[k]),
    }


def draft_changes(db: Database, curriculum: str) -> dict:
    """What publishing now would change for learners, compared with the published version."""
    return changes(snapshot(db, curriculum), export_curriculum(db, curriculum))
