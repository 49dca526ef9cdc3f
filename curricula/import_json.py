"""Import a curriculum from its JSON export (``docs/formats.md``) into another database.

``import_curriculum(db, data, *, curriculum=None) -> str`` checks the whole file first and only
then writes, in one transaction: a file from a newer ``format_version``, a corrupted file (a
missing or mistyped field, a span whose quote does not match its source text, a reference to a
concept or source that is not in the file) raises ``ImportFormatError`` naming the item and
what is wrong, and the database is left exactly as it was.

Round trip: ``export -> import -> export`` gives the same JSON, except
* ``curriculum.published_version`` is ``null`` (versions are not part of the export; publish
  again in the new database);
* unit ids (``units[].id``, ``concepts[].unit``) are new numbers when the same ids are already
  taken in the target database;
* with ``curriculum=NEW``: concept ids become ``NEW/<slug>``, source ids are recomputed for the
  new curriculum, and exercise ids are recomputed (from the new concept id) only when the old id
  is already taken in the target database.
Source rows get a fresh ``ingested_at`` (not in the export). Figures (``images``, optional)
are stored by their key; each must hash to its key and be a kept image type, or the import is
refused like any other corrupted item. An image the database already holds is kept as it is.

An existing curriculum of the same id is never overwritten: import under another name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from teachback.curricula import repository as repo
from teachback.curricula.db import now
from teachback.curricula.import_check import Check, image_rows, validate
from teachback.errors import ImportFormatError


def load(path: str | Path) -> dict:
    """Read an export file; a file that is not JSON raises ``ImportFormatError``."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ImportFormatError(f"{path}: not a teachback JSON export ({err})") from None


def _target_ids(db: Database, data: dict, cid: str, name: str) -> tuple[dict, dict]:
    """Old -> new concept ids and source ids in the target database; a clash with a stored one
    raises ``ImportFormatError``."""
    renamed = cid != data["curriculum"]["id"]
    slugs = {c["id"]: c["slug"] for c in data["concepts"]}
    cmap = {old: (repo.concept_id(cid, slugs[old]) if renamed else old) for old in slugs}
    smap = {
        s["id"]: (repo.source_id(cid, s["path"]) if renamed else s["id"]) for s in data["sources"]
    }
    for old, new in smap.items():
        if db["sources"].count_where("id = ?", [new]):
            raise ImportFormatError(
                f"{name}: source {old!r} already exists in this database — nothing was changed"
            )
    for new in cmap.values():
        if db["concepts"].count_where("id = ?", [new]):
            raise ImportFormatError(
                f"{name}: concept {new!r} already exists in this database — nothing was changed"
            )
    return cmap, smap


def _insert_sources(db: Database, data: dict, cid: str, smap: dict) -> dict[str, list[tuple]]:
    """Sources and their passages; returns source id -> ``[(start, end, passage id)]``."""
    passages: dict[str, list[tuple[int, int, int]]] = {}
    has_signals = "signals" in db["passages"].columns_dict
    for s in data["sources"]:
        sid = smap[s["id"]]
        text = s.get("text")
        db["sources"].insert(
            {
                "id": sid,
                "curriculum_id": cid,
                "path": s["path"],
                "format": s.get("format"),
                "title": s.get("title"),
                "sha256": s.get("sha256"),
                "size": s.get("size"),
                "text": text,
                "language": s.get("language"),
                "status": s.get("status") or "ok",
                "error": s.get("error"),
                "ingested_at": now(),
            }
        )
        for p in s.get("passages") or []:
            row = {
                "source_id": sid,
                "seq": p["seq"],
                "kind": p.get("kind"),
                "heading_path": json.dumps(p.get("heading_path") or []),
                "locator": p.get("locator"),
                "start": p["start"],
                "end": p["end"],
                "text": (text or "")[p["start"] : p["end"]],
            }
            if has_signals:
                row["signals"] = json.dumps(p.get("signals") or {})
            pid = db["passages"].insert(row).last_pk
            passages.setdefault(sid, []).append((p["start"], p["end"], pid))
    return passages


def _insert_units(db: Database, data: dict, cid: str) -> dict[int, int]:
    """Units, keeping their ids when free; returns old unit id -> new."""
    umap = {}
    for u in data["units"]:
        taken = db["units"].count_where("id = ?", [u["id"]])
        row = {"curriculum_id": cid, "position": u.get("position"), "title": u.get("title")}
        if not taken:
            row["id"] = u["id"]
        umap[u["id"]] = db["units"].insert(row).last_pk
    return umap


def _concept_row(c: dict, cid: str, concept_id: str, unit_id: int | None) -> dict:
    return {
        "id": concept_id,
        "curriculum_id": cid,
        "slug": c["slug"],
        "name": c["name"],
        "definition": c.get("definition") or "",
        "importance": c.get("importance"),
        "unit_id": unit_id,
        "position": c.get("position"),
        "kind": c.get("kind") or "term",
        "origin": c.get("origin") or "ingest",
        "edited": int(bool(c.get("edited"))),
        "rev": c.get("rev") or 1,
        "updated_at": now(),
    }


def _evidence_row(e: dict, concept_id: str, sid: str, passages: list[tuple]) -> dict:
    """A piece of evidence, linked to the passage that contains it (if any)."""
    pid = next((p for s_, e_, p in passages if s_ <= e["start"] and e["end"] <= e_), None)
    return {
        "concept_id": concept_id,
        "source_id": sid,
        "passage_id": pid,
        "start": e["start"],
        "end": e["end"],
        "quote": e["quote"],
        "role": e.get("role") or "mention",
    }


def _insert_concepts(
    db: Database, data: dict, cid: str, maps: tuple[dict, dict, dict], passages: dict
) -> None:
    """Concepts with their aliases and evidence."""
    cmap, smap, umap = maps
    for c in data["concepts"]:
        row = _concept_row(c, cid, cmap[c["id"]], umap.get(c.get("unit")))
        db["concepts"].insert(row)
        for alias in dict.fromkeys(c["aliases"]):
            db["aliases"].insert({"concept_id": row["id"], "alias": alias})
        for e in c["evidence"]:
            sid = smap[e["source"]]
            db["evidence"].insert(_evidence_row(e, row["id"], sid, passages.get(sid, [])))


def _insert_edges_and_lessons(db: Database, data: dict, cid: str, cmap: dict, smap: dict) -> None:
    for e in data["edges"]:
        db["edges"].insert(
            {
                "curriculum_id": cid,
                "prerequisite": cmap[e["prerequisite"]],
                "concept": cmap[e["concept"]],
                "kind": e["kind"],
                "weight": e.get("weight"),
                "reason": e.get("reason") or "",
                "origin": e.get("origin") or "ingest",
                "status": e.get("status") or "active",
            }
        )
    for lesson in data["lessons"]:
        db["lessons"].insert(
            {
                "concept_id": cmap[lesson["concept"]],
                "text": lesson["text"],
                "citations": json.dumps([_remap_span(s, smap) for s in lesson["citations"]]),
                "origin": lesson.get("origin") or "ingest",
                "edited": int(bool(lesson.get("edited"))),
                "rev": lesson.get("rev") or 1,
                "updated_at": now(),
            }
        )


def _remap_span(span: dict, smap: dict) -> dict:
    return {**span, "source": smap[span["source"]]}


def _insert_exercises(
    db: Database, data: dict, cid: str, cmap: dict, smap: dict, name: str
) -> None:
    """Exercises; an id already taken is recomputed for a renamed copy, refused otherwise."""
    renamed = cid != data["curriculum"]["id"]
    for x in data["exercises"]:
        xid = x["id"]
        if db["exercises"].count_where("id = ?", [xid]):
            if not renamed:
                raise ImportFormatError(
                    f"{name}: exercise {xid!r} already exists in this database — "
                    "nothing was changed"
                )
            xid = repo.exercise_id(cmap[x["concept"]], x["kind"], x["prompt"])
        db["exercises"].insert(
            {
                "id": xid,
                "curriculum_id": cid,
                "concept_id": cmap[x["concept"]],
                "kind": x["kind"],
                "prompt": x["prompt"],
                "choices": json.dumps(x["choices"]),
                "answer": json.dumps(x.get("answer")),
                "explanation": x.get("explanation") or "",
                "difficulty": x.get("difficulty"),
                "citations": json.dumps([_remap_span(s, smap) for s in x["citations"]]),
                "data": json.dumps(x.get("data") or {}),
                "self_check": json.dumps(x.get("self_check")),
                "status": x["status"],
                "origin": x.get("origin") or "ingest",
                "edited": int(bool(x.get("edited"))),
                "rev": x.get("rev") or 1,
                "created_at": now(),
            }
        )


def import_curriculum(
    db: Database, data: Any, *, curriculum: str | None = None, name: str = "import"
) -> str:
    """Store the exported curriculum ``data``; returns the new curriculum's id.

    ``curriculum`` imports under another id (e.g. a second copy). ``name`` labels error messages
    (the file name). Raises ``ImportFormatError`` and changes nothing on any problem.
    """
    chk = Check(name)
    validate(data, chk)
    cid = (curriculum or data["curriculum"]["id"]).strip()
    if not cid or "/" in cid:
        raise chk.fail("curriculum", f"{cid!r} is not a valid curriculum id")
    if db["curricula"].count_where("id = ?", [cid]):
        raise ImportFormatError(
            f"{name}: curriculum {cid!r} already exists in this database; "
            "import it under another id — nothing was changed"
        )
    cmap, smap = _target_ids(db, data, cid, name)
    images = image_rows(data, chk)
    with db.atomic():
        from teachback.curricula.images import store_rows

        store_rows(db, images)
        c = data["curriculum"]
        db["curricula"].insert(
            {
                "id": cid,
                "title": c.get("title") or cid,
                "created_at": c.get("created_at") or now(),
                "published_version": None,
                "settings": json.dumps(c.get("settings") or {}),
            }
        )
        passages = _insert_sources(db, data, cid, smap)
        umap = _insert_units(db, data, cid)
        _insert_concepts(db, data, cid, (cmap, smap, umap), passages)
        _insert_edges_and_lessons(db, data, cid, cmap, smap)
        _insert_exercises(db, data, cid, cmap, smap, name)
    return cid
