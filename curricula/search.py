"""Full-text search (SQLite FTS5, BM25) over a curriculum's passages and concepts.

User text is quoted word by word before it reaches FTS syntax, so no query can be malformed.
"""

from __future__ import annotations

import re

from sqlite_utils import Database

from teachback.curricula.source_rows import passage_row


def fts_query(text: str) -> str:
    """A safe FTS5 query matching any word of ``text``: ``'what is "osmosis"?'`` ->
    ``'"what" OR "is" OR "osmosis"'``. User text never reaches FTS syntax unquoted."""
    words = re.findall(r"\w+", text.lower())
    seen: list[str] = []
    for word in words:
        if word not in seen:
            seen.append(word)
    return " OR ".join(f'"{w}"' for w in seen[:64])


def search_passages(db: Database, curriculum: str, query: str, limit: int = 10) -> list[dict]:
    """Passages of a curriculum best matching ``query`` (full-text, BM25), best first.

    Each row is a passage (as ``get_passages``) plus ``source_path``, ``source_title`` and
    ``score`` (lower BM25 is better; rows come sorted).
    """
    match = fts_query(query)
    if not match:
        return []
    rows = db.query(
        """
        select p.*, s.path as source_path, s.title as source_title,
               bm25(passages_fts) as score
        from passages_fts
        join passages p on p.rowid = passages_fts.rowid
        join sources s on s.id = p.source_id
        where passages_fts match ? and s.curriculum_id = ?
        order by score, p.source_id, p.seq
        limit ?
        """,
        [match, curriculum, int(limit)],
    )
    return [passage_row(row) for row in rows]


def search_concepts(db: Database, curriculum: str, query: str, limit: int = 10) -> list[dict]:
    """Concepts (id, name, definition, score) matching ``query`` by name or definition."""
    match = fts_query(query)
    if not match:
        return []
    return list(
        db.query(
            """
        select c.id, c.name, c.definition, bm25(concepts_fts) as score
        from concepts_fts join concepts c on c.rowid = concepts_fts.rowid
        where concepts_fts match ? and c.curriculum_id = ?
        order by score, c.id limit ?
        """,
            [match, curriculum, int(limit)],
        )
    )
