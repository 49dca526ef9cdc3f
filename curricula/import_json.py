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
from teachback.curricula.export_json import FORMAT, FORMAT_VERSION
from teachback.errors import ImportFormatError

_MISSING = object()


class _Check:
    """Small typed getters that turn a bad field into a one-line ``ImportFormatError``."""

    def __init__(self, name: str):
        self.name = name

    def fail(self, where: str, problem: str) -> ImportFormatError:
        return ImportFormatError(f"{self.name}: {where}: {problem}")

    def get(self, obj: Any, key: str, types, where: str, *, optional: bool = False):
        if not isinstance(obj, dict):
            raise self.fail(where, "expected an object")
        value = obj.get(key, _MISSING)
        if value is _MISSING or (value is None and not optional):
            if optional:
                return None
            raise self.fail(where, f"missing field {key!r}")
        if value is None:
            return None
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in _tuple(types)):
            want = "/".join(t.__name__ for t in _tuple(types))
            raise self.fail(where, f"field {key!r} should be {want}, not {type(value).__name__}")
        return value


def _tuple(types) -> tuple:
    return types if isinstance(types, tuple) else (types,)


def load(path: str | Path) -> dict:
    """Read an export file; a file that is not JSON raises ``ImportFormatError``."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ImportFormatError(f"{path}: not a teachback JSON export ({err})") from None


def _validate(data: Any, chk: _Check) -> None:
    if not isinstance(data, dict):
        raise chk.fail("top level", "expected a JSON object")
    if data.get("format") != FORMAT:
        raise chk.fail("format", f"expected {FORMAT!r}, found {data.get('format')!r}")
    version = chk.get(data, "format_version", int, "format_version")
    if version > FORMAT_VERSION:
        raise chk.fail(
            "format_version",
            f"version {version} is newer than this teachback understands ({FORMAT_VERSION}); "
            "upgrade teachback to import it",
        )
    if version < 1:
        raise chk.fail("format_version", f"unknown version {version}")
    cur = chk.get(data, "curriculum", dict, "curriculum")
    cid = chk.get(cur, "id", str, "curriculum")
    if not cid.strip() or "/" in cid:
        raise chk.fail("curriculum.id", f"{cid!r} is not a valid curriculum id")
    chk.get(cur, "title", str, "curriculum", optional=True)
    for key in ("sources", "concepts", "edges", "units", "lessons", "exercises"):
        chk.get(data, key, list, key)

    texts: dict[str, str | None] = {}
    for i, s in enumerate(data["sources"]):
        where = f"sources[{i}]"
        sid = chk.get(s, "id", str, where)
        chk.get(s, "path", str, where)
        text = chk.get(s, "text", str, where, optional=True)
        if sid in texts:
            raise chk.fail(where, f"source id {sid!r} appears twice")
        texts[sid] = text
        for j, p in enumerate(chk.get(s, "passages", list, where, optional=True) or []):
            pw = f"{where}.passages[{j}]"
            chk.get(p, "seq", int, pw)
            start, end = chk.get(p, "start", int, pw), chk.get(p, "end", int, pw)
            if text is not None and not 0 <= start <= end <= len(text):
                raise chk.fail(pw, f"span {start}..{end} is outside the source text")

    def span(obj: Any, where: str) -> None:
        src = chk.get(obj, "source", str, where)
        start, end = chk.get(obj, "start", int, where), chk.get(obj, "end", int, where)
        quote = chk.get(obj, "quote", str, where)
        if src not in texts:
            raise chk.fail(where, f"refers to source {src!r}, which is not in the file")
        text = texts[src]
        if text is not None and text[start:end] != quote:
            raise chk.fail(where, f"quote does not match {src}[{start}:{end}] (file corrupted?)")

    units = set()
    for i, u in enumerate(data["units"]):
        uid = chk.get(u, "id", int, f"units[{i}]")
        chk.get(u, "title", str, f"units[{i}]", optional=True)
        chk.get(u, "position", int, f"units[{i}]", optional=True)
        if uid in units:
            raise chk.fail(f"units[{i}]", f"unit id {uid} appears twice")
        units.add(uid)
    concepts, slugs = set(), set()
    for i, c in enumerate(data["concepts"]):
        where = f"concepts[{i}]"
        cid_ = chk.get(c, "id", str, where)
        slug = chk.get(c, "slug", str, where)
        chk.get(c, "name", str, where)
        chk.get(c, "aliases", list, where)
        chk.get(c, "importance", (int, float), where, optional=True)
        unit = chk.get(c, "unit", int, where, optional=True)
        if cid_ in concepts or slug in slugs:
            raise chk.fail(where, f"concept {cid_!r} appears twice")
        if unit is not None and unit not in units:
            raise chk.fail(where, f"unit {unit} is not in units[]")
        concepts.add(cid_)
        slugs.add(slug)
        for j, e in enumerate(chk.get(c, "evidence", list, where)):
            span(e, f"{where}.evidence[{j}]")
    for i, u in enumerate(data["units"]):
        for m in chk.get(u, "concepts", list, f"units[{i}]", optional=True) or []:
            if m not in concepts:
                raise chk.fail(f"units[{i}]", f"concept {m!r} is not in concepts[]")
    for i, e in enumerate(data["edges"]):
        where = f"edges[{i}]"
        for end in ("prerequisite", "concept"):
            if chk.get(e, end, str, where) not in concepts:
                raise chk.fail(where, f"{end} {e[end]!r} is not in concepts[]")
        if chk.get(e, "kind", str, where) not in ("prerequisite", "related"):
            raise chk.fail(where, f"unknown edge kind {e['kind']!r}")
    for i, lesson in enumerate(data["lessons"]):
        where = f"lessons[{i}]"
        if chk.get(lesson, "concept", str, where) not in concepts:
            raise chk.fail(where, f"concept {lesson['concept']!r} is not in concepts[]")
        chk.get(lesson, "text", str, where)
        for j, s in enumerate(chk.get(lesson, "citations", list, where)):
            span(s, f"{where}.citations[{j}]")
    ids = set()
    for i, x in enumerate(data["exercises"]):
        where = f"exercises[{i}]"
        xid = chk.get(x, "id", str, where)
        if xid in ids:
            raise chk.fail(where, f"exercise id {xid!r} appears twice")
        ids.add(xid)
        if chk.get(x, "concept", str, where) not in concepts:
            raise chk.fail(where, f"concept {x['concept']!r} is not in concepts[]")
        chk.get(x, "kind", str, where)
        chk.get(x, "prompt", str, where)
        chk.get(x, "choices", list, where)
        chk.get(x, "status", str, where)
        for j, s in enumerate(chk.get(x, "citations", list, where)):
            span(s, f"{where}.citations[{j}]")
    _image_rows(data, chk)


def _image_rows(data: dict, chk: _Check) -> list[dict]:
    """The checked rows of the optional top-level ``images`` array (``curricula.images``)."""
    from teachback.curricula.images import check_exported

    rows = []
    for i, item in enumerate(chk.get(data, "images", list, "images", optional=True) or []):
        row, why = check_exported(item)
        if row is None:
            raise chk.fail(f"images[{i}]", why)
        rows.append(row)
    return rows


def import_curriculum(
    db: Database, data: Any, *, curriculum: str | None = None, name: str = "import"
) -> str:
    """Store the exported curriculum ``data``; returns the new curriculum's id.

    ``curriculum`` imports under another id (e.g. a second copy). ``name`` labels error messages
    (the file name). Raises ``ImportFormatError`` and changes nothing on any problem.
    """
    chk = _Check(name)
    _validate(data, chk)
    old_cid = data["curriculum"]["id"]
    cid = (curriculum or old_cid).strip()
    if not cid or "/" in cid:
        raise chk.fail("curriculum", f"{cid!r} is not a valid curriculum id")
    if db["curricula"].count_where("id = ?", [cid]):
        raise ImportFormatError(
            f"{name}: curriculum {cid!r} already exists in this database; "
            "import it under another id — nothing was changed"
        )
    renamed = cid != old_cid

    def concept_id(old: str) -> str:
        if not renamed:
            return old
        slug = next(c["slug"] for c in data["concepts"] if c["id"] == old)
        return repo.concept_id(cid, slug)

    cmap = {c["id"]: concept_id(c["id"]) for c in data["concepts"]}
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

    def remap_span(s: dict) -> dict:
        return {**s, "source": smap[s["source"]]}

    images = _image_rows(data, chk)
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
        passages: dict[str, list[tuple[int, int, int]]] = {}
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
                if "signals" in db["passages"].columns_dict:
                    row["signals"] = json.dumps(p.get("signals") or {})
                pid = db["passages"].insert(row).last_pk
                passages.setdefault(sid, []).append((p["start"], p["end"], pid))
        umap = {}
        for u in data["units"]:
            taken = db["units"].count_where("id = ?", [u["id"]])
            row = {"curriculum_id": cid, "position": u.get("position"), "title": u.get("title")}
            if not taken:
                row["id"] = u["id"]
            umap[u["id"]] = db["units"].insert(row).last_pk
        for c in data["concepts"]:
            row = {
                "id": cmap[c["id"]],
                "curriculum_id": cid,
                "slug": c["slug"],
                "name": c["name"],
                "definition": c.get("definition") or "",
                "importance": c.get("importance"),
                "unit_id": umap.get(c.get("unit")),
                "position": c.get("position"),
                "kind": c.get("kind") or "term",
                "origin": c.get("origin") or "ingest",
                "edited": int(bool(c.get("edited"))),
                "rev": c.get("rev") or 1,
                "updated_at": now(),
            }
            db["concepts"].insert(row)
            for alias in dict.fromkeys(c["aliases"]):
                db["aliases"].insert({"concept_id": row["id"], "alias": alias})
            for e in c["evidence"]:
                sid = smap[e["source"]]
                pid = next(
                    (
                        p
                        for s_, e_, p in passages.get(sid, [])
                        if s_ <= e["start"] and e["end"] <= e_
                    ),
                    None,
                )
                db["evidence"].insert(
                    {
                        "concept_id": row["id"],
                        "source_id": sid,
                        "passage_id": pid,
                        "start": e["start"],
                        "end": e["end"],
                        "quote": e["quote"],
                        "role": e.get("role") or "mention",
                    }
                )
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
                    "citations": json.dumps([remap_span(s) for s in lesson["citations"]]),
                    "origin": lesson.get("origin") or "ingest",
                    "edited": int(bool(lesson.get("edited"))),
                    "rev": lesson.get("rev") or 1,
                    "updated_at": now(),
                }
            )
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
                    "citations": json.dumps([remap_span(s) for s in x["citations"]]),
                    "data": json.dumps(x.get("data") or {}),
                    "self_check": json.dumps(x.get("self_check")),
                    "status": x["status"],
                    "origin": x.get("origin") or "ingest",
                    "edited": int(bool(x.get("edited"))),
                    "rev": x.get("rev") or 1,
                    "created_at": now(),
                }
            )
    return cid
