"""Which curricula the store holds and whether they are published: what pickers, the CLI and
messages need before they open one (titles, published versions, source titles, recent ingests).

The curriculum's content is read through ``repository``; this module answers only the small
questions asked about it from outside.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from teachback.errors import NotFound


def exists(db: Database, curriculum: str) -> bool:
    return bool(db.execute("select 1 from curricula where id = ?", [curriculum]).fetchone())


def published_version(db: Database, curriculum: str) -> int | None:
    """The version learners see, None when it was never published; ``NotFound`` when there is
    no such curriculum."""
    row = db.execute(
        "select published_version from curricula where id = ?", [curriculum]
    ).fetchone()
    if row is None:
        raise NotFound(f"curriculum {curriculum!r} does not exist")
    return row[0]


def published(db: Database) -> list[dict]:
    """The published curricula by id: ``{"id", "title", "published_version"}`` (the title is
    the id when it has none)."""
    return list(
        db.query(
            "select id, coalesce(title, id) as title, published_version from curricula "
            "where published_version is not null order by id"
        )
    )


def unpublished_count(db: Database) -> int:
    """Curricula that exist but are not published yet (being prepared by an instructor)."""
    sql = "select count(*) from curricula where published_version is null"
    return db.execute(sql).fetchone()[0]


def titles(db: Database) -> dict[str, str]:
    """Every curriculum's title by id (the id when it has none)."""
    return {
        r["id"]: r["title"]
        for r in db.query("select id, coalesce(title, id) as title from curricula")
    }


def concept_count(db: Database, curriculum: str) -> int:
    return db.execute(
        "select count(*) from concepts where curriculum_id = ?", [curriculum]
    ).fetchone()[0]


def sources_named(db: Database, source_ids: Iterable[str]) -> list[dict]:
    """``{"id", "path", "title"}`` of the given sources (unknown ids are left out)."""
    ids = [i for i in dict.fromkeys(source_ids) if i]
    if not ids:
        return []
    return list(
        db.query(
            f"select id, path, title from sources where id in ({','.join('?' * len(ids))})", ids
        )
    )


def recent_ingest_runs(db: Database, curriculum: str, limit: int = 5) -> list[dict]:
    """The curriculum's latest ingest runs, newest first: ``{"id", "started_at",
    "finished_at", "status", "stats"}`` (``stats`` as stored, JSON text)."""
    return list(
        db.query(
            "select id, started_at, finished_at, status, stats from ingest_runs "
            "where curriculum_id = ? order by id desc limit ?",
            [curriculum, limit],
        )
    )


def settings_text(db: Database, curriculum: str) -> str | None:
    """The curriculum's ``settings`` JSON as stored (None when there is no such curriculum)."""
    row = db.execute("select settings from curricula where id = ?", [curriculum]).fetchone()
    return row[0] if row else None


def fingerprint(db: Database, curriculum: str) -> tuple | None:
    """``(published_version, settings)`` of the curriculum, or None when there is none: one
    indexed query, what a cache of parsed published versions checks on every call."""
    return db.execute(
        "select published_version, settings from curricula where id = ?", [curriculum]
    ).fetchone()


def title(db: Database, curriculum: str) -> str | None:
    """The curriculum's title (its id when it has none), or None when there is none."""
    row = db.execute(
        "select coalesce(title, id) from curricula where id = ?", [curriculum]
    ).fetchone()
    return row[0] if row else None


def concept_brief(db: Database, concept_id: str) -> dict | None:
    """``{"id", "name", "curriculum_id"}`` of a concept, or None."""
    return next(
        iter(db.query("select id, name, curriculum_id from concepts where id = ?", [concept_id])),
        None,
    )


def exercise_prompts(db: Database, curriculum: str) -> dict[str, str]:
    """Every exercise's prompt by id (draft tables: what an instructor's views name)."""
    return {
        r["id"]: r["prompt"]
        for r in db.query("select id, prompt from exercises where curriculum_id = ?", [curriculum])
    }


def source_text(db: Database, source_id: str) -> dict | None:
    """``{"title", "path", "text"}`` of a source, or None."""
    return next(
        iter(db.query("select title, path, text from sources where id = ?", [source_id])), None
    )
