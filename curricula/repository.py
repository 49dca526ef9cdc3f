"""Reading and writing a curriculum in the store: the one door other modules use.

Read helpers return plain ``dict`` rows with their JSON columns already parsed (lists and dicts,
never JSON text), in a deterministic order (teaching order for concepts, ``seq`` for passages).
Write helpers run inside ``db.atomic()`` so that a failed step changes nothing; they nest (as
savepoints) inside a caller's own ``with db.atomic():``.

Conventions (see ``curricula/migrations.py``):

* a source id is ``src-`` + 16 hex digits of sha1(curriculum, path): stable across re-ingests;
* a concept id is ``"<curriculum>/<slug>"``;
* an exercise id is ``ex-`` + 16 hex digits of sha1(concept id, kind, prompt);
* spans (evidence, citations) are ``{"source": <source id>, "start", "end", "quote"}`` and
  ``sources.text[start:end] == quote``.

What it does not do: instructor edits with conflict detection and undo (``curricula/edits/``
owns those) and publishing (``curricula/publish.py``).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from teachback.errors import NotFound

# --------------------------------------------------------------------------------------------
# ids and small helpers


def slugify(name: str) -> str:
    """A URL-safe slug: ``"Large Language Model (LLM)" -> "large-language-model-llm"``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text.lower()).strip("-")
    return text[:80].strip("-") or "concept-" + hashlib.sha1(name.encode()).hexdigest()[:8]


def source_id(curriculum: str, path: str) -> str:
    """The stable id of a source: the same path in the same curriculum keeps its id."""
    return "src-" + hashlib.sha1(f"{curriculum}\0{path}".encode()).hexdigest()[:16]


def concept_id(curriculum: str, slug: str) -> str:
    return f"{curriculum}/{slug}"


def exercise_id(concept: str, kind: str, prompt: str) -> str:
    return "ex-" + hashlib.sha1(f"{concept}\0{kind}\0{prompt}".encode()).hexdigest()[:16]


def _loads(text: Any, default: Any) -> Any:
    if text is None or text == "":
        return default
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return default


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _has_column(db: Database, table: str, column: str) -> bool:
    return column in db[table].columns_dict


def _in(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


# --------------------------------------------------------------------------------------------
# curricula


def list_curricula(db: Database) -> list[dict]:
    """Every curriculum, by id, with counts of its sources and concepts."""
    rows = db.query(
        """
        select c.*,
          (select count(*) from sources s where s.curriculum_id = c.id) as source_count,
          (select count(*) from concepts k where k.curriculum_id = c.id) as concept_count
        from curricula c order by c.id
        """
    )
    out = []
    for item in rows:
        item["settings"] = _loads(item.get("settings"), {})
        out.append(item)
    return out


def get_curriculum(db: Database, curriculum: str) -> dict:
    """One curriculum row (``settings`` parsed); raises ``NotFound``."""
    rows = list(db["curricula"].rows_where("id = ?", [curriculum]))
    if not rows:
        raise NotFound(f"no curriculum {curriculum!r}")
    row = rows[0]
    row["settings"] = _loads(row.get("settings"), {})
    return row


def ensure_curriculum(db: Database, curriculum: str, title: str | None = None) -> dict:
    """Create the curriculum if it does not exist yet; return its row."""
    from teachback.curricula.db import now

    with db.atomic():
        if not list(db["curricula"].rows_where("id = ?", [curriculum])):
            db["curricula"].insert(
                {
                    "id": curriculum,
                    "title": title or curriculum.replace("-", " ").replace("_", " ").title(),
                    "created_at": now(),
                    "published_version": None,
                    "settings": "{}",
                }
            )
    return get_curriculum(db, curriculum)


def default_curriculum(db: Database) -> str:
    """The only curriculum in the store, else ``"default"``."""
    ids = [row[0] for row in db.execute("select id from curricula order by id").fetchall()]
    return ids[0] if len(ids) == 1 else "default"


# --------------------------------------------------------------------------------------------
# sources and passages


_SOURCE_COLUMNS = (
    "id, curriculum_id, path, format, title, sha256, size, language, status, error, ingested_at"
)


def get_sources(db: Database, curriculum: str, *, include_text: bool = False) -> list[dict]:
    """The curriculum's sources by path (``text`` only when asked: it can be large)."""
    cols = _SOURCE_COLUMNS + (", text" if include_text else "")
    if _has_column(db, "sources", "meta"):
        cols += ", meta"
    rows = db.query(
        f"select {cols} from sources where curriculum_id = ? order by path, id", [curriculum]
    )
    out = []
    for item in rows:
        if "meta" in item:
            item["meta"] = _loads(item["meta"], {})
        out.append(item)
    return out


def get_source(db: Database, source: str) -> dict:
    """One source with its text; raises ``NotFound``."""
    rows = list(db["sources"].rows_where("id = ?", [source]))
    if not rows:
        raise NotFound(f"no source {source!r}")
    row = rows[0]
    if "meta" in row:
        row["meta"] = _loads(row["meta"], {})
    return row


def _passage(row: dict) -> dict:
    row["heading_path"] = _loads(row.get("heading_path"), [])
    if "signals" in row:
        row["signals"] = _loads(row["signals"], {})
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
        where.append(f"p.id in ({_in(ids)})")
        params.extend(ids)
    sql = "select p.* from passages p join sources s on s.id = p.source_id"
    if where:
        sql += " where " + " and ".join(where)
    sql += " order by s.path, p.source_id, p.seq"
    if limit is not None:
        sql += f" limit {int(limit)}"
    return [_passage(row) for row in db.query(sql, params)]


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
    return [_passage(row) for row in rows]


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


# --------------------------------------------------------------------------------------------
# concepts, edges, units


def _attach_aliases_and_evidence(db: Database, concepts: list[dict]) -> list[dict]:
    if not concepts:
        return concepts
    by_id = {c["id"]: c for c in concepts}
    for c in concepts:
        c["aliases"] = []
        c["evidence"] = []
    ids = list(by_id)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for cid, alias in db.execute(
            f"select concept_id, alias from aliases where concept_id in ({_in(chunk)}) "
            "order by concept_id, alias",
            chunk,
        ).fetchall():
            by_id[cid]["aliases"].append(alias)
        for row in db.execute(
            "select id, concept_id, source_id, passage_id, start, end, quote, role "
            f"from evidence where concept_id in ({_in(chunk)}) "
            "order by concept_id, source_id, start, end, id",
            chunk,
        ).fetchall():
            eid, cid, sid, pid, s, e, quote, role = row
            by_id[cid]["evidence"].append(
                {
                    "id": eid,
                    "source": sid,
                    "source_id": sid,
                    "passage_id": pid,
                    "start": s,
                    "end": e,
                    "quote": quote,
                    "role": role or "mention",
                }
            )
    return concepts


def get_concepts(db: Database, curriculum: str) -> list[dict]:
    """Concepts in teaching order (``position``), each with ``aliases`` (list of str) and
    ``evidence`` (list of ``{id, source, source_id, passage_id, start, end, quote, role}``;
    ``source`` is the source id)."""
    rows = list(
        db["concepts"].rows_where(
            "curriculum_id = ?", [curriculum], order_by="coalesce(position, 1e9), name, id"
        )
    )
    return _attach_aliases_and_evidence(db, rows)


def get_concept(db: Database, concept_id: str) -> dict:
    """One concept with aliases and evidence; raises ``NotFound``."""
    rows = list(db["concepts"].rows_where("id = ?", [concept_id]))
    if not rows:
        raise NotFound(f"no concept {concept_id!r}")
    return _attach_aliases_and_evidence(db, rows)[0]


def get_edges(
    db: Database,
    curriculum: str,
    kind: str | None = None,
    statuses: Sequence[str] | None = ("active",),
) -> list[dict]:
    """Edges ``{id, prerequisite, concept, kind, weight, reason, origin, status}`` (concept ids).

    By default only active edges; ``statuses=None`` gives all, including ones removed to break
    a cycle (their ``reason`` says why)."""
    where, params = ["curriculum_id = ?"], [curriculum]
    if kind is not None:
        where.append("kind = ?")
        params.append(kind)
    if statuses is not None:
        statuses = list(statuses)
        where.append(f"coalesce(status, 'active') in ({_in(statuses)})")
        params.extend(statuses)
    return list(
        db["edges"].rows_where(
            " and ".join(where), params, order_by="kind, prerequisite, concept, id"
        )
    )


def get_units(db: Database, curriculum: str) -> list[dict]:
    """Units in order: ``{id, curriculum_id, position, title, concepts: [ids in order]}``."""
    units = list(db["units"].rows_where("curriculum_id = ?", [curriculum], order_by="position, id"))
    members: dict[int, list[str]] = {u["id"]: [] for u in units}
    for cid, uid in db.execute(
        "select id, unit_id from concepts where curriculum_id = ? and unit_id is not null "
        "order by coalesce(position, 1e9), name, id",
        [curriculum],
    ).fetchall():
        if uid in members:
            members[uid].append(cid)
    for unit in units:
        unit["concepts"] = members[unit["id"]]
    return units


# --------------------------------------------------------------------------------------------
# lessons and exercises


def _lesson(row: dict) -> dict:
    row["citations"] = _loads(row.get("citations"), [])
    return row


def get_lesson(db: Database, concept_id: str) -> dict | None:
    """The lesson of a concept (``citations`` parsed), or ``None`` when there is none."""
    rows = list(db["lessons"].rows_where("concept_id = ?", [concept_id]))
    return _lesson(rows[0]) if rows else None


def get_lessons(db: Database, curriculum: str) -> list[dict]:
    """Every lesson of a curriculum, in the concepts' teaching order."""
    rows = db.query(
        """
        select l.* from lessons l join concepts c on c.id = l.concept_id
        where c.curriculum_id = ? order by coalesce(c.position, 1e9), c.name, c.id
        """,
        [curriculum],
    )
    return [_lesson(row) for row in rows]


def _exercise(row: dict) -> dict:
    row["choices"] = _loads(row.get("choices"), [])
    row["answer"] = _loads(row.get("answer"), row.get("answer"))
    row["citations"] = _loads(row.get("citations"), [])
    row["data"] = _loads(row.get("data"), {})
    row["self_check"] = _loads(row.get("self_check"), None)
    return row


def get_exercises(
    db: Database,
    curriculum: str,
    concept_id: str | None = None,
    statuses: Sequence[str] | None = ("kept", "approved"),
) -> list[dict]:
    """Exercises with ``choices``, ``answer``, ``citations``, ``data``, ``self_check`` parsed.

    Ordered by the concept's teaching order, then kind and id. ``statuses=None`` gives all
    (including ``rejected`` and ``draft``)."""
    where, params = ["e.curriculum_id = ?"], [curriculum]
    if concept_id is not None:
        where.append("e.concept_id = ?")
        params.append(concept_id)
    if statuses is not None:
        statuses = list(statuses)
        where.append(f"e.status in ({_in(statuses)})")
        params.extend(statuses)
    rows = db.query(
        "select e.* from exercises e left join concepts c on c.id = e.concept_id where "
        + " and ".join(where)
        + " order by coalesce(c.position, 1e9), e.concept_id, e.kind, e.id",
        params,
    )
    return [_exercise(row) for row in rows]


def get_exercise(db: Database, exercise_id: str) -> dict:
    """One exercise (JSON parsed); raises ``NotFound``."""
    rows = list(db["exercises"].rows_where("id = ?", [exercise_id]))
    if not rows:
        raise NotFound(f"no exercise {exercise_id!r}")
    return _exercise(rows[0])


def exercise_draft(row: dict):
    """A stored exercise row (from ``get_exercises``) as the engine's ``ExerciseDraft``, e.g.
    for ``GradeRequest.exercise``. ``concept`` is the concept's name when the row has one
    (``concept_name``), else its id."""
    from teachback.engine.protocol import ExerciseDraft, SelfCheckResult, Span

    check = row.get("self_check")
    return ExerciseDraft(
        concept=row.get("concept_name") or row["concept_id"],
        kind=row["kind"],
        prompt=row["prompt"],
        choices=row.get("choices") or [],
        answer=row["answer"] if row.get("answer") is not None else "",
        explanation=row.get("explanation") or "",
        difficulty=row.get("difficulty") if row.get("difficulty") is not None else 0.5,
        citations=[
            Span(**{k: c[k] for k in ("source", "start", "end", "quote")})
            for c in row.get("citations") or []
        ],
        data=row.get("data") or {},
        self_check=SelfCheckResult(**check) if isinstance(check, dict) else None,
    )
