"""A curriculum's concepts (in teaching order, with aliases and evidence), prerequisite edges
and units.

Evidence spans are ``{"source": <source id>, "start", "end", "quote"}`` with
``sources.text[start:end] == quote``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from teachback.curricula.rows import placeholders
from teachback.errors import NotFound


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
            f"select concept_id, alias from aliases where concept_id in ({placeholders(chunk)}) "
            "order by concept_id, alias",
            chunk,
        ).fetchall():
            by_id[cid]["aliases"].append(alias)
        for row in db.execute(
            "select id, concept_id, source_id, passage_id, start, end, quote, role "
            f"from evidence where concept_id in ({placeholders(chunk)}) "
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
        where.append(f"coalesce(status, 'active') in ({placeholders(statuses)})")
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
