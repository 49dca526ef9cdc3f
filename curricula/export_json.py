"""Export a curriculum as JSON: the documented, stable interchange format (``docs/formats.md``).

``export_curriculum(db, curriculum)`` returns a plain ``dict`` that ``json.dumps`` writes as-is;
``write_json(db, curriculum, path)`` writes it to a file. The output is deterministic: the same
store gives byte-identical JSON (fixed ordering, no timestamps of the export itself).

Spans everywhere (``concepts[].evidence[]``, ``lessons[].citations[]``,
``exercises[].citations[]``) are ``{"source": <sources[].id>, "start", "end", "quote"}`` with
``sources[i].text[start:end] == quote``; for text and Markdown files ``sources[].path`` is the file
on disk and its decoded content is that same text.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from teachback.curricula import repository as repo

FORMAT = "teachback-curriculum"
FORMAT_VERSION = 1


def _span(item: dict) -> dict:
    return {k: item[k] for k in ("source", "start", "end", "quote")}


def export_curriculum(
    db: Database, curriculum: str, *, include_text: bool = True, include_images: bool = False
) -> dict:
    """The curriculum as a JSON-ready dict (see ``docs/formats.md`` for every field).

    ``include_text`` adds each source's full ``text`` and its ``passages`` (what an importer
    needs to rebuild the store exactly); ``False`` gives a lighter file for reading only.
    ``include_images`` adds the figures the lessons and sources use (``images``, base64): what
    an export file carries (``write_json``, ``teachback export``), so an imported curriculum
    shows them; in-store snapshots leave them out (the images table keeps them by key).
    Raises ``NotFound`` for an unknown curriculum.
    """
    cur = repo.get_curriculum(db, curriculum)
    units = repo.get_units(db, curriculum)
    sources = []
    for src in repo.get_sources(db, curriculum, include_text=include_text):
        item = {
            "id": src["id"],
            "path": src["path"],
            "format": src["format"],
            "title": src["title"],
            "sha256": src["sha256"],
            "size": src["size"],
            "language": src["language"] or "",
            "status": src["status"],
            "error": src["error"],
        }
        if include_text:
            item["text"] = src.get("text")
            item["passages"] = [
                {
                    "seq": p["seq"],
                    "kind": p["kind"],
                    "heading_path": p["heading_path"],
                    "locator": p["locator"] or "",
                    "start": p["start"],
                    "end": p["end"],
                    "signals": p.get("signals") or {},
                }
                for p in repo.get_passages(db, src["id"])
            ]
        sources.append(item)

    concepts = [
        {
            "id": c["id"],
            "slug": c["slug"],
            "name": c["name"],
            "aliases": c["aliases"],
            "definition": c["definition"] or "",
            "importance": c["importance"] if c["importance"] is not None else 0.5,
            "kind": c["kind"] or "term",
            "unit": c["unit_id"],
            "position": c["position"],
            "origin": c["origin"] or "ingest",
            "edited": bool(c["edited"]),
            "rev": c["rev"] or 1,
            "evidence": [{**_span(e), "role": e["role"]} for e in c["evidence"]],
        }
        for c in repo.get_concepts(db, curriculum)
    ]
    edges = [
        {
            "prerequisite": e["prerequisite"],
            "concept": e["concept"],
            "kind": e["kind"],
            "reason": e["reason"] or "",
            "weight": e["weight"] if e["weight"] is not None else 0.5,
            "status": e["status"] or "active",
            "origin": e["origin"] or "ingest",
        }
        for e in repo.get_edges(db, curriculum, statuses=None)
    ]
    lessons = [
        {
            "concept": lesson["concept_id"],
            "text": lesson["text"],
            "citations": [_span(c) for c in lesson["citations"]],
            "origin": lesson["origin"] or "ingest",
            "edited": bool(lesson["edited"]),
            "rev": lesson["rev"] or 1,
        }
        for lesson in repo.get_lessons(db, curriculum)
    ]
    exercises = [
        {
            "id": x["id"],
            "concept": x["concept_id"],
            "kind": x["kind"],
            "prompt": x["prompt"],
            "choices": x["choices"],
            "answer": x["answer"],
            "explanation": x["explanation"] or "",
            "difficulty": x["difficulty"] if x["difficulty"] is not None else 0.5,
            "citations": [_span(c) for c in x["citations"]],
            "data": x["data"],
            "self_check": x["self_check"],
            "status": x["status"],
            "origin": x["origin"] or "ingest",
            "edited": bool(x["edited"]),
            "rev": x["rev"] or 1,
        }
        for x in repo.get_exercises(db, curriculum, statuses=None)
    ]
    out = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "curriculum": {
            "id": cur["id"],
            "title": cur["title"],
            "created_at": cur["created_at"],
            "published_version": cur["published_version"],
            "settings": cur["settings"],
        },
        "sources": sources,
        "concepts": concepts,
        "edges": edges,
        "units": [
            {
                "id": u["id"],
                "title": u["title"],
                "position": u["position"],
                "concepts": u["concepts"],
            }
            for u in units
        ],
        "lessons": lessons,
        "exercises": exercises,
    }
    if include_images:
        from teachback.curricula.images import exported, used_keys

        out["images"] = exported(db, used_keys(db, curriculum, [x["text"] for x in lessons]))
    return out


def dumps(data: dict) -> str:
    """The canonical text of an export: 2-space indent, UTF-8 characters kept, newline at end."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json(db: Database, curriculum: str, path: str | Path, **kwargs) -> Path:
    """Write the export to ``path`` (parent folders created) and return the path; the file
    carries the figures (``include_images``) unless told otherwise."""
    kwargs.setdefault("include_images", True)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(export_curriculum(db, curriculum, **kwargs)), encoding="utf-8")
    return path
