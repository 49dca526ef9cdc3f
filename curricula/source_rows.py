"""A curriculum's stored sources and their passages, and the sources as engine ``Document``s.

Passages come in a deterministic order: by source path, then ``seq``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from teachback.curricula.rows import has_column, parse_json, placeholders
from teachback.errors import NotFound

_SOURCE_COLUMNS = (
    "id, curriculum_id, path, format, title, sha256, size, language, status, error, ingested_at"
)


def get_sources(db: Database, curriculum: str, *, include_text: bool = False) -> list[dict]:
    """The curriculum's sources by path (``text`` only when asked: it can be large)."""
    cols = _SOURCE_COLUMNS + (", text" if include_text else "")
    if has_column(db, "sources", "meta"):
        cols += ", meta"
    rows = db.query(
        f"select {cols} from sources where curriculum_id = ? order by path, id", [curriculum]
    )
    out = []
    for item in rows:
        if "meta" in item:
            item["meta"] = parse_json(item["meta"], {})
        out.append(item)
    return out


def get_source(db: Database, source: str) -> dict:
    """One source with its text; raises ``NotFound``."""
    rows = list(db["sources"].rows_where("id = ?", [source]))
    if not rows:
        raise NotFound(f"no source {source!r}")
    row = rows[0]
    if "meta" in row:
        row["meta"] = parse_json(row["meta"], {})
    return row


def passage_row(row: dict) -> dict:
    """A passage row with its JSON columns parsed (``heading_path``, ``signals``)."""
    row["heading_path"] = parse_json(row.get("heading_path"), [])
    if "signals" in row:
        row["signals"] = parse_json(row["signals"], {})
    return row


def get_passages(
    db: Database,
    source_id: str | None = None,
    *,
    curriculum: str | None = None,
    ids: Iterable[int] | None = None,
    limit: int | None = None,
) -> list[dict]:
    """Passages of one source, of a curriculum, or by id; ordered by source then ``seq``.

    Each row has ``id, source_id, seq, kind, heading_path (list), locator, start, end, text``
    (and ``signals`` (dict) once migration m0003 is applied).
    """
    where, params = [], []
    if source_id is not None:
        where.append("p.source_id = ?")
        params.append(source_id)
    if curriculum is not None:
        where.append("s.curriculum_id = ?")
        params.append(curriculum)
    if ids is not None:
        ids = list(ids)
        if not ids:
            return []
        where.append(f"p.id in ({placeholders(ids)})")
        params.extend(ids)
    sql = "select p.* from passages p join sources s on s.id = p.source_id"
    if where:
        sql += " where " + " and ".join(where)
    sql += " order by s.path, p.source_id, p.seq"
    if limit is not None:
        sql += f" limit {int(limit)}"
    return [passage_row(row) for row in db.query(sql, params)]


def load_documents(db: Database, curriculum: str, source_ids: Iterable[str] | None = None):
    """The curriculum's stored sources as ``Document``s (sections = passages), for engine steps
    that need documents (self-check, answering questions). ``Document.path`` is the stored path;
    sources without text (errors) are left out."""
    from teachback.core.document import Document, Section

    wanted = set(source_ids) if source_ids is not None else None
    docs = []
    for src in get_sources(db, curriculum, include_text=True):
        if src.get("text") is None or (wanted is not None and src["id"] not in wanted):
            continue
        sections = [
            Section(
                kind=p["kind"] or "prose",
                start=p["start"],
                end=p["end"],
                text=p["text"],
                heading_path=tuple(p["heading_path"]),
                locator=p["locator"] or "",
                signals=p.get("signals") or {},
            )
            for p in get_passages(db, src["id"])
        ]
        docs.append(
            Document(
                path=src["path"],
                format=src["format"] or "text",
                title=src["title"] or "",
                text=src["text"],
                sections=sections,
                sha256=src["sha256"] or "",
                language=src["language"] or "",
                meta=src.get("meta") or {},
            )
        )
    return docs
