"""Migrations of the curriculum's own tables: sources and passages, concepts and their graph,
lessons, exercises, published versions, the edit log and the figures from the sources.
"""

from __future__ import annotations

import json

from sqlite_utils import Database


def m0001_foundation(db: Database) -> None:
    """Sources, passages, concepts and their graph, lessons, exercises, versions, edits."""
    db["curricula"].create(
        {
            "id": str,  # slug, e.g. "sample"
            "title": str,
            "created_at": str,
            "published_version": int,  # null until an instructor publishes
            "settings": str,  # JSON: mastery threshold, cap, ...
        },
        pk="id",
    )
    db["sources"].create(
        {
            "id": str,  # stable: hash of curriculum + path
            "curriculum_id": str,
            "path": str,  # as given, absolute where it was a file on disk
            "format": str,
            "title": str,
            "sha256": str,
            "size": int,
            "text": str,  # Document.text: the spans of passages and evidence point into it
            "language": str,
            "status": str,  # "ok" | "error"
            "error": str,
            "ingested_at": str,
        },
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id")],
    )
    db["passages"].create(
        {
            "id": int,
            "source_id": str,
            "seq": int,
            "kind": str,
            "heading_path": str,  # JSON list
            "locator": str,
            "start": int,
            "end": int,
            "text": str,
        },
        pk="id",
        foreign_keys=[("source_id", "sources", "id")],
    )
    db["passages"].create_index(["source_id", "seq"], unique=True)
    db["units"].create(
        {"id": int, "curriculum_id": str, "position": int, "title": str},
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id")],
    )
    db["concepts"].create(
        {
            "id": str,  # "<curriculum>/<slug>"
            "curriculum_id": str,
            "slug": str,
            "name": str,
            "definition": str,
            "importance": float,  # 0..1
            "unit_id": int,
            "position": int,  # teaching order within the curriculum
            "kind": str,  # "term" | "code"
            "origin": str,  # "ingest" | "instructor"
            "edited": int,  # 1 once an instructor touched it: a re-ingest leaves it alone
            "rev": int,  # bumped on every change; edits carry the rev they read (conflicts)
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id"), ("unit_id", "units", "id")],
    )
    db["concepts"].create_index(["curriculum_id", "slug"], unique=True)
    db["aliases"].create(
        {"concept_id": str, "alias": str},
        pk=("concept_id", "alias"),
        foreign_keys=[("concept_id", "concepts", "id")],
    )
    db["evidence"].create(
        {
            "id": int,
            "concept_id": str,
            "source_id": str,
            "passage_id": int,
            "start": int,  # into sources.text
            "end": int,
            "quote": str,
            "role": str,  # "definition" | "mention" | "code"
        },
        pk="id",
        foreign_keys=[
            ("concept_id", "concepts", "id"),
            ("source_id", "sources", "id"),
            ("passage_id", "passages", "id"),
        ],
    )
    db["edges"].create(
        {
            "id": int,
            "curriculum_id": str,
            "prerequisite": str,  # concept id
            "concept": str,  # concept id
            "kind": str,  # "prerequisite" | "related"
            "weight": float,
            "reason": str,
            "origin": str,  # "ingest" | "instructor"
            "status": str,  # "active" | "removed" (e.g. broken to remove a cycle; reason kept)
        },
        pk="id",
        foreign_keys=[
            ("curriculum_id", "curricula", "id"),
            ("prerequisite", "concepts", "id"),
            ("concept", "concepts", "id"),
        ],
    )
    db["edges"].create_index(["curriculum_id", "prerequisite", "concept", "kind"], unique=True)
    db["lessons"].create(
        {
            "concept_id": str,
            "text": str,  # Markdown; rendered with HTML disabled
            "citations": str,  # JSON list of {source, start, end, quote}
            "origin": str,
            "edited": int,
            "rev": int,
            "updated_at": str,
        },
        pk="concept_id",
        foreign_keys=[("concept_id", "concepts", "id")],
    )
    db["exercises"].create(
        {
            "id": str,  # hash of concept + kind + prompt
            "curriculum_id": str,
            "concept_id": str,
            "kind": str,  # registry name: "multiple_choice", "cloze", ...
            "prompt": str,
            "choices": str,  # JSON list (empty for free answers)
            "answer": str,  # JSON: the answer key, shape depends on kind
            "explanation": str,
            "difficulty": float,  # 0 easy .. 1 hard; updated from attempts
            "citations": str,  # JSON list of {source, start, end, quote}
            "data": str,  # JSON: kind-specific extras (rubric, accepted forms, corrected form)
            "self_check": str,  # JSON: {passed, reasons, answered, ...}
            "status": str,  # "kept" | "rejected" | "approved" | "draft"
            "origin": str,
            "edited": int,
            "rev": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id"), ("concept_id", "concepts", "id")],
    )
    db["curriculum_versions"].create(
        {
            "id": int,
            "curriculum_id": str,
            "version": int,
            "published_at": str,
            "published_by": str,
            "snapshot": str,  # JSON export of the curriculum as published
        },
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id")],
    )
    db["curriculum_versions"].create_index(["curriculum_id", "version"], unique=True)
    db["edits"].create(
        {
            "id": int,
            "curriculum_id": str,
            "at": str,
            "who": str,
            "op": str,  # "rename" | "merge" | "split" | "add_edge" | ...
            "payload": str,  # JSON: what was asked
            "inverse": str,  # JSON: what undoes it
            "undone": int,
        },
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id")],
    )
    db["ingest_runs"].create(
        {
            "id": int,
            "curriculum_id": str,
            "started_at": str,
            "finished_at": str,
            "status": str,  # "running" | "done" | "interrupted" | "failed"
            "stats": str,  # JSON
        },
        pk="id",
    )
    db["llm_cache"].create(
        {"key": str, "model": str, "response": str, "tokens": int, "created_at": str},
        pk="key",
        if_not_exists=True,  # the LLM cache makes it in a file it opens first (engine/cache.py)
    )

    db["passages"].enable_fts(["text"], create_triggers=True, tokenize="porter")
    db["concepts"].enable_fts(["name", "definition"], create_triggers=True, tokenize="porter")


def m0003_ingest_incremental(db: Database) -> None:
    """What an incremental re-ingest needs to rebuild its inputs from the store.

    * ``passages.signals``: the reader's structural signals (JSON), so stored passages can be
      turned back into ``Document`` sections for an unchanged source without re-reading it;
    * ``sources.meta``: the reader's ``Document.meta`` (JSON);
    * ``concepts.fingerprint``: hash of what the concept's lesson and exercises were made from;
      an unchanged fingerprint means they are kept as they are.
    """
    db["passages"].add_column("signals", str)
    db["sources"].add_column("meta", str)
    db["concepts"].add_column("fingerprint", str)


def m0005_ids_never_reused(db: Database) -> None:
    """``evidence`` and ``edges`` ids are never reused (``AUTOINCREMENT``).

    A re-ingest deletes the evidence and edges it proposed and inserts new ones. With a plain
    ``INTEGER PRIMARY KEY`` SQLite hands out the freed ids again, so the edit log's record of a
    deleted concept's evidence (by id) then names someone else's row, and undoing the delete
    is refused as a conflict. With ``AUTOINCREMENT`` a freed id is never handed out again.
    SQLite cannot add it to an existing table, so each table is rebuilt with its rows and
    indexes (nothing references these ids by foreign key).
    """
    for table in ("evidence", "edges"):
        sql = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
        ).fetchone()[0]
        if "AUTOINCREMENT" in sql.upper():
            continue
        indexes = [
            row[0]
            for row in db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql IS NOT NULL",
                [table],
            )
        ]
        rebuilt = sql.replace(f'"{table}"', f'"{table}_rebuilt"', 1).replace(
            '"id" INTEGER PRIMARY KEY', '"id" INTEGER PRIMARY KEY AUTOINCREMENT', 1
        )
        assert "AUTOINCREMENT" in rebuilt, f"unexpected schema for {table}: {sql}"
        db.execute(rebuilt)
        db.execute(f'INSERT INTO "{table}_rebuilt" SELECT * FROM "{table}"')
        db.execute(f'DROP TABLE "{table}"')
        db.execute(f'ALTER TABLE "{table}_rebuilt" RENAME TO "{table}"')
        for index in indexes:
            db.execute(index)


def m0006_snapshot_items_stored_once(db: Database) -> None:
    """A published version's items are stored once, by content hash, not copied into every version.

    Until now every ``curriculum_versions.snapshot`` was a whole JSON export: publishing a
    78-concept curriculum five times stored five copies of its 438 exercises, lessons and source
    text (≈ 1 MB each), though a publish usually follows a few edits. Now each list of a snapshot
    (sources, units, concepts, edges, lessons, exercises) is stored as ``{"$items": [sha256,
    ...]}`` and the items live once in ``snapshot_items`` (``snapshots.pack_snapshot`` /
    ``snapshots.unpack_snapshot``). Existing versions are rewritten the same way; what
    ``publish.snapshot`` returns for them does not change.
    """
    db["snapshot_items"].create(
        {"sha256": str, "body": str},  # body: the item's JSON, as in the export
        pk="sha256",
        if_not_exists=True,
    )
    from teachback.curricula.snapshots import pack_snapshot  # the same code publish uses

    rows = db.execute("SELECT id, snapshot FROM curriculum_versions").fetchall()
    for version_id, text in rows:
        packed = pack_snapshot(db, json.loads(text))
        db.execute(
            "UPDATE curriculum_versions SET snapshot = ? WHERE id = ?",
            [json.dumps(packed, ensure_ascii=False), version_id],
        )


def m0010_images(db: Database) -> None:
    """Figures from the sources (image files a Markdown source links to, notebook outputs),
    stored once by the SHA-256 of their bytes; lessons show them as ``teachback-image:<key>``.
    Only images an ingest read from inside the ingested folder or a notebook are ever stored
    (``ingest.readers.images``)."""
    db["images"].create(
        {"key": str, "mime": str, "alt": str, "bytes": int, "data": bytes},
        pk="key",
        if_not_exists=True,
    )
