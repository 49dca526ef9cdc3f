"""Edits of the prerequisite graph: add or switch off an edge, and the cycle checks they need.

The graph searches are networkx's; this module only reads the active prerequisite edges into a
``DiGraph`` (``prerequisite -> concept``, in stored order) and names a cycle for the instructor.
"""

from __future__ import annotations

import networkx as nx
from sqlite_utils import Database

from teachback.curricula.edits import checks
from teachback.curricula.edits.journal import Change, get, one, record, transaction
from teachback.errors import CycleError, InvalidEdit, NotFound


def prerequisite_graph(db: Database, curriculum: str) -> nx.DiGraph:
    """Active prerequisite edges as ``prerequisite -> concept`` (in stored order)."""
    graph = nx.DiGraph()
    graph.add_edges_from(
        (e["prerequisite"], e["concept"])
        for e in db.query(
            "SELECT prerequisite, concept FROM edges WHERE curriculum_id = ? "
            "AND kind = 'prerequisite' AND coalesce(status, 'active') = 'active' ORDER BY id",
            [curriculum],
        )
    )
    return graph


def path(graph: nx.DiGraph, start: str, goal: str) -> list[str] | None:
    """The first path ``start -> ... -> goal`` a breadth-first search finds, or None."""
    if start not in graph:
        return None
    tree = nx.bfs_tree(graph, start)
    return nx.shortest_path(tree, start, goal) if goal in tree else None


def find_cycle(graph: nx.DiGraph) -> list[str] | None:
    """Any cycle in the graph as ``[a, b, ..., a]``, or None."""
    try:
        edges = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return None
    return [u for u, _ in edges] + [edges[0][0]]


def names(db: Database, concept_ids: list[str]) -> list[str]:
    """The concepts' names (the id of one that no longer exists), to show a cycle."""
    out = []
    for cid in concept_ids:
        row = get(db, "concepts", (cid,))
        out.append(row["name"] if row else cid)
    return out


def add_edge(
    db: Database,
    prerequisite: str,
    concept: str,
    *,
    who: str,
    kind: str = "prerequisite",
    reason: str = "",
) -> int:
    """Add ``prerequisite -> concept``; returns the edge id. A cycle raises ``CycleError``.

    An edge that exists but was removed (by an instructor, or by the ingest to break a cycle)
    is switched back on.
    """
    who = checks.clean_who(who)
    if kind not in ("prerequisite", "related"):
        raise InvalidEdit(f"unknown edge kind {kind!r} (use prerequisite or related)")
    if prerequisite == concept:
        raise InvalidEdit("a concept cannot be its own prerequisite")
    with transaction(db):
        p = checks.concept(db, prerequisite)
        c = checks.concept(db, concept)
        cur = c["curriculum_id"]
        if p["curriculum_id"] != cur:
            raise InvalidEdit("both concepts must be in the same curriculum")
        if kind == "prerequisite":
            back = path(prerequisite_graph(db, cur), concept, prerequisite)
            if back:
                raise CycleError(names(db, [prerequisite, *back]))
        existing = one(
            db,
            "SELECT * FROM edges WHERE curriculum_id = ? AND prerequisite = ? AND concept = ? "
            "AND kind = ?",
            [cur, prerequisite, concept, kind],
        )
        ch = Change(db)
        reason = (reason or "").strip() or f"added by {who}"
        if existing and (existing["status"] or "active") == "active":
            raise InvalidEdit(f"{p['name']!r} -> {c['name']!r} ({kind}) already exists")
        if existing:
            ch.update(
                "edges",
                (existing["id"],),
                {"status": "active", "origin": "instructor", "reason": reason},
            )
            edge_id = existing["id"]
        else:
            (edge_id,) = ch.insert(
                "edges",
                {
                    "curriculum_id": cur,
                    "prerequisite": prerequisite,
                    "concept": concept,
                    "kind": kind,
                    "weight": 1.0,
                    "reason": reason,
                    "origin": "instructor",
                    "status": "active",
                },
            )
        payload = {"prerequisite": prerequisite, "concept": concept, "kind": kind}
        record(db, cur, who, "add_edge", payload, ch)
    return edge_id


def remove_edge(db: Database, edge_id: int, *, who: str, reason: str = "") -> int:
    """Switch an edge off (kept with ``status="removed"`` so a re-ingest does not bring it back)."""
    who = checks.clean_who(who)
    with transaction(db):
        e = get(db, "edges", (edge_id,))
        if e is None:
            raise NotFound(f"edge {edge_id} does not exist")
        cur = e["curriculum_id"]
        if (e["status"] or "active") != "active":
            raise checks.conflict(
                db, cur, "edges", (edge_id,), f"edge {edge_id}", "already removed"
            )
        ch = Change(db)
        ch.update(
            "edges",
            (edge_id,),
            {
                "status": "removed",
                "origin": "instructor",
                "reason": (reason or "").strip() or f"removed by {who}",
            },
        )
        payload = {"edge": edge_id, "prerequisite": e["prerequisite"], "concept": e["concept"]}
        return record(db, cur, who, "remove_edge", payload, ch)
