"""What the ingest reads from and writes to the store, and nothing else.

The ingest pipeline decides what to store (``ingest/pipeline/storing.py``); the statements are
here. Writes are batched (``executemany``): an ingest stores tens of thousands of rows. The
caller runs them inside one ``db.atomic()``, so a run that fails stores nothing.

Rules kept here because they are the store's: a source's error is recorded on its row and
leaves what was stored for it alone; rows an instructor made or edited are never removed; an
ingest edge that would close a prerequisite cycle with the instructor's edges is stored as
removed, with the cycle as its reason (``curricula/ingest_edges.py``).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from teachback.core.document import Document
from teachback.curricula.db import now
from teachback.curricula.images import store_images

_CHUNK = 500  # ids per ``in (...)`` query, under SQLite's limit on parameters

# A row an instructor owns: made by them, or edited since the ingest wrote it.
_INSTRUCTOR = "(coalesce(edited, 0) = 1 or origin = 'instructor')"


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def insert_rows(db: Database, table: str, rows: list[dict], verb: str = "insert") -> None:
    """``executemany`` of dict rows (all with the same keys): far faster than a sqlite-utils
    call per row. ``verb`` may be ``"insert or ignore"`` / ``"insert or replace"``."""
    if not rows:
        return
    cols = list(rows[0])
    sql = f"{verb} into [{table}] ({', '.join(f'[{c}]' for c in cols)}) values ({_marks(cols)})"
    db.conn.executemany(sql, [tuple(r[c] for c in cols) for r in rows])


# --- the run log ---------------------------------------------------------------------------


def start_run(db: Database, curriculum: str, paths: list[str]) -> int:
    with db.atomic():
        return (
            db["ingest_runs"]
            .insert(
                {
                    "curriculum_id": curriculum,
                    "started_at": now(),
                    "status": "running",
                    "stats": json.dumps({"paths": paths}),
                }
            )
            .last_pk
        )


def finish_run(db: Database, run_id: int, status: str, stats: dict) -> None:
    with db.atomic():
        db["ingest_runs"].update(
            run_id, {"finished_at": now(), "status": status, "stats": json.dumps(stats)}
        )


def curriculum_counts(db: Database, curriculum: str) -> dict[str, int]:
    """Concepts, active edges, units and lessons of a curriculum."""

    def count(sql: str) -> int:
        return db.execute(sql, [curriculum]).fetchone()[0]

    return {
        "concepts": count("select count(*) from concepts where curriculum_id = ?"),
        "edges": count(
            "select count(*) from edges where curriculum_id = ? "
            "and coalesce(status, 'active') = 'active'"
        ),
        "units": count("select count(*) from units where curriculum_id = ?"),
        "lessons": count(
            "select count(*) from lessons l join concepts c on c.id = l.concept_id "
            "where c.curriculum_id = ?"
        ),
    }


# --- what the stages read ------------------------------------------------------------------


def source_hashes(db: Database, curriculum: str) -> dict[str, tuple[str, bool]]:
    """Source id -> ``(sha256, whether its text is stored)``."""
    return {
        row[0]: (row[1], row[2] is not None)
        for row in db.execute(
            "select id, sha256, length(text) from sources where curriculum_id = ?", [curriculum]
        ).fetchall()
    }


def count_partial_concepts(db: Database, curriculum: str) -> int:
    """Concepts an earlier run left without exercises (their fingerprint ends ``:partial``)."""
    return db.execute(
        "select count(*) from concepts where curriculum_id = ? and fingerprint like '%:partial'",
        [curriculum],
    ).fetchone()[0]


def concept_fingerprints(db: Database, curriculum: str) -> dict[str, str]:
    return dict(
        db.execute(
            "select id, fingerprint from concepts where curriculum_id = ?", [curriculum]
        ).fetchall()
    )


def concepts_with_lessons(db: Database, curriculum: str) -> set[str]:
    return {
        r[0]
        for r in db.execute(
            "select l.concept_id from lessons l join concepts c on c.id = l.concept_id "
            "where c.curriculum_id = ?",
            [curriculum],
        ).fetchall()
    }


# --- sources and passages ------------------------------------------------------------------


def record_source_errors(db: Database, curriculum: str, errors: list[dict], stamp: str) -> None:
    """Each ``{id, path, message}`` on its source row (made when there is none); the text,
    passages and concepts stored for it stay as they were."""
    for err in errors:
        sid = err["id"]
        if db["sources"].count_where("id = ?", [sid]):
            db["sources"].update(sid, {"status": "error", "error": err["message"]})
        else:
            db["sources"].insert(
                {
                    "id": sid,
                    "curriculum_id": curriculum,
                    "path": err["path"],
                    "format": Path(err["path"]).suffix.lstrip(".").lower() or None,
                    "title": Path(err["path"]).name,
                    "status": "error",
                    "error": err["message"],
                    "ingested_at": stamp,
                }
            )


def clear_source_errors(db: Database, source_ids: Iterable[str]) -> None:
    """Sources read without error this time: a previous error on them is cleared."""
    db.conn.executemany(
        "update sources set status = 'ok', error = null where id = ? and status = 'error'",
        [(sid,) for sid in source_ids],
    )


def protected_concepts(db: Database, curriculum: str) -> set[str]:
    """Ids of the concepts an instructor made or edited."""
    return {
        r[0]
        for r in db.execute(
            f"select id from concepts where curriculum_id = ? and {_INSTRUCTOR}", [curriculum]
        ).fetchall()
    }


def clear_sources(db: Database, source_ids: set[str], keep_for: set[str]) -> list[tuple]:
    """Remove the evidence and passages of sources about to be stored again. Returns the
    evidence rows of the concepts in ``keep_for`` into them, ``(concept_id, source_id, start,
    end, quote, role)``, for the caller to re-anchor."""
    if not source_ids:
        return []
    ids = sorted(source_ids)
    rows = db.execute(
        "select concept_id, source_id, start, end, quote, role from evidence "
        f"where source_id in ({_marks(ids)})",
        ids,
    ).fetchall()
    db.execute(f"delete from evidence where source_id in ({_marks(ids)})", ids)
    db.execute(f"delete from passages where source_id in ({_marks(ids)})", ids)
    return [r for r in rows if r[0] in keep_for]


def save_sources(
    db: Database, curriculum: str, docs: list[tuple[str, Document]], stamp: str
) -> None:
    """Each (source id, document)'s row (its images stored apart) and one passage per section,
    written in two batches: a sqlite-utils call per source costs more than the rows on a
    folder of many small documents."""
    if not docs:
        return
    db["sources"].upsert_all(
        [
            {
                "id": sid,
                "curriculum_id": curriculum,
                "path": doc.path,
                "format": doc.format,
                "title": doc.title,
                "sha256": doc.sha256,
                "size": len(doc.text.encode("utf-8")),
                "text": doc.text,
                "language": doc.language,
                "status": "ok",
                "error": None,
                "ingested_at": stamp,
                "meta": json.dumps(store_images(db, doc.meta), default=str),
            }
            for sid, doc in docs
        ],
        pk="id",
    )
    insert_rows(
        db,
        "passages",
        [
            {
                "source_id": sid,
                "seq": seq,
                "kind": sec.kind,
                "heading_path": json.dumps(list(sec.heading_path), ensure_ascii=False),
                "locator": sec.locator,
                "start": sec.start,
                "end": sec.end,
                "text": sec.text,
                "signals": json.dumps(sec.signals, ensure_ascii=False, default=str),
            }
            for sid, doc in docs
            for seq, sec in enumerate(doc.sections)
        ],
    )


class PassageIndex:
    """Find the stored passage containing an offset of a source: bisect over passage starts."""

    def __init__(self, db: Database, source_ids: Iterable[str]):
        self.starts: dict[str, list[int]] = {}
        self.ids: dict[str, list[int]] = {}
        ids = list(source_ids)
        for k in range(0, len(ids), _CHUNK):
            chunk = ids[k : k + _CHUNK]
            for sid, pid, start in db.execute(
                "select source_id, id, start from passages where source_id in "
                f"({_marks(chunk)}) order by source_id, start",
                chunk,
            ).fetchall():
                self.starts.setdefault(sid, []).append(start)
                self.ids.setdefault(sid, []).append(pid)

    def at(self, source_id: str, offset: int) -> int | None:
        starts = self.starts.get(source_id)
        if not starts:
            return None
        i = bisect.bisect_right(starts, offset) - 1
        return self.ids[source_id][max(i, 0)]


# --- concepts and units --------------------------------------------------------------------


def stored_concepts(db: Database, curriculum: str) -> dict[str, dict]:
    return {r["id"]: r for r in db["concepts"].rows_where("curriculum_id = ?", [curriculum])}


def stored_units(db: Database, curriculum: str) -> dict[str, dict]:
    """Unit title -> row."""
    return {u["title"]: u for u in db["units"].rows_where("curriculum_id = ?", [curriculum])}


def add_unit(db: Database, curriculum: str, title: str, position: int) -> int:
    return (
        db["units"]
        .insert({"curriculum_id": curriculum, "position": position, "title": title})
        .last_pk
    )


def save_concepts(
    db: Database,
    inserts: list[dict],
    updates: list[dict],
    rewritten: list[str],
    aliases: list[dict],
    evidence: list[dict],
) -> None:
    """New and changed concept rows; the aliases and evidence of ``rewritten`` replaced."""
    insert_rows(db, "concepts", inserts)
    if updates:
        cols = [c for c in updates[0] if c != "id"]
        db.conn.executemany(
            f"update concepts set {', '.join(f'[{c}] = ?' for c in cols)} where id = ?",
            [tuple(u[c] for c in cols) + (u["id"],) for u in updates],
        )
    db.conn.executemany("delete from aliases where concept_id = ?", [(c,) for c in rewritten])
    db.conn.executemany("delete from evidence where concept_id = ?", [(c,) for c in rewritten])
    insert_rows(db, "aliases", aliases, "insert or ignore")
    insert_rows(db, "evidence", evidence)


def remove_stale_concepts(db: Database, curriculum: str, stale: Iterable[str]) -> None:
    """Concepts no longer proposed, with what depends on them, unless an instructor edited,
    made or approved something hanging off them; then the units left empty."""
    stale = list(stale)
    owned: set[str] = set()  # stale concepts with a lesson or exercise an instructor owns
    for k in range(0, len(stale), _CHUNK):
        chunk = stale[k : k + _CHUNK]
        owned.update(
            r[0]
            for r in db.execute(
                f"select concept_id from lessons where concept_id in ({_marks(chunk)}) "
                f"and {_INSTRUCTOR} union select concept_id from exercises where concept_id "
                f"in ({_marks(chunk)}) and (coalesce(edited,0) = 1 or origin = 'instructor' "
                "or status = 'approved')",
                chunk + chunk,
            )
        )
    gone = [(cid,) for cid in stale if cid not in owned]
    for table in ("aliases", "evidence", "lessons", "exercises"):
        db.conn.executemany(f"delete from {table} where concept_id = ?", gone)
    db.conn.executemany(
        "delete from edges where prerequisite = ? or concept = ?", [(c, c) for (c,) in gone]
    )
    db.conn.executemany("delete from concepts where id = ?", gone)
    db.execute(
        "delete from units where curriculum_id = ? and id not in "
        "(select unit_id from concepts where unit_id is not null)",
        [curriculum],
    )


# --- lessons and exercises -----------------------------------------------------------------


def lesson_revisions(db: Database, curriculum: str) -> dict[str, tuple[int, bool]]:
    """Concept id -> ``(revision of its lesson, whether an instructor owns the lesson)``."""
    return {
        r[0]: (r[1], r[2])
        for r in db.execute(
            "select l.concept_id, coalesce(l.rev, 0), "
            "coalesce(l.edited, 0) = 1 or l.origin = 'instructor' "
            "from lessons l join concepts c on c.id = l.concept_id where c.curriculum_id = ?",
            [curriculum],
        ).fetchall()
    }


def save_lessons(db: Database, lessons: list[dict]) -> None:
    insert_rows(db, "lessons", lessons, "insert or replace")


def replace_exercises(db: Database, regenerated: list[str], exercises: list[dict]) -> list[dict]:
    """The ingest's unedited, unapproved exercises of ``regenerated`` concepts replaced by
    ``exercises``. An identical stored exercise (perhaps approved) is kept as it is; returns
    the rows actually added, each id once."""
    db.conn.executemany(
        "delete from exercises where concept_id = ? and origin = 'ingest' "
        "and coalesce(edited, 0) = 0 and status != 'approved'",
        [(c,) for c in regenerated],
    )
    existing: set[str] = set()
    ids = sorted({x["id"] for x in exercises})
    for k in range(0, len(ids), _CHUNK):
        chunk = ids[k : k + _CHUNK]
        existing.update(
            r[0]
            for r in db.execute(f"select id from exercises where id in ({_marks(chunk)})", chunk)
        )
    insert_rows(db, "exercises", exercises, "insert or ignore")
    added = []
    for x in exercises:
        if x["id"] not in existing:
            existing.add(x["id"])
            added.append(x)
    return added
