"""The ingest's prerequisite edges written beside the instructor's, without closing a cycle.

The ingest replaces its own edges on every run; the instructor's stay and win. An ingest edge
already there is not stored twice, and an active prerequisite edge that would close a cycle
with the instructor's edges is stored as removed, with the cycle as its reason, so the graph
stays a DAG and the instructor can see what was dropped and why.
"""

from __future__ import annotations

import networkx as nx
from sqlite_utils import Database

from teachback.curricula.ingest_store import insert_rows


def replace_ingest_edges(db: Database, curriculum: str, edges: list[dict]) -> None:
    """The ingest's own edges replaced by ``edges`` (rows of the ``edges`` table without
    ``curriculum_id`` and ``origin``, the strongest first); the instructor's edges are kept
    and win: an edge already there is not stored again, and an active prerequisite edge that
    would close a cycle with them is stored as removed, with the cycle as its reason."""
    db.execute(
        "delete from edges where curriculum_id = ? and coalesce(origin, 'ingest') = 'ingest'",
        [curriculum],
    )
    existing = {
        (r[0], r[1], r[2]): r[3]
        for r in db.execute(
            "select prerequisite, concept, kind, coalesce(status, 'active') from edges "
            "where curriculum_id = ?",
            [curriculum],
        ).fetchall()
    }
    known = {
        r[0]
        for r in db.execute(
            "select id from concepts where curriculum_id = ?", [curriculum]
        ).fetchall()
    }
    graph = nx.DiGraph()
    graph.add_edges_from(
        (a, b)
        for (a, b, kind), status in existing.items()
        if kind == "prerequisite" and status == "active"
    )
    # The engine's edges form a DAG; only the instructor's edges can close a cycle. Check
    # edge by edge (a path search each) only when the union is not already acyclic.
    union = graph.copy()
    union.add_edges_from((e["prerequisite"], e["concept"]) for e in edges if _active_prereq(e))
    check_each = not nx.is_directed_acyclic_graph(union)
    rows = []
    for e in edges:
        pa, pb = e["prerequisite"], e["concept"]
        if pa not in known or pb not in known or (pa, pb, e["kind"]) in existing:
            continue
        row = {"curriculum_id": curriculum, **e, "origin": "ingest"}
        if _active_prereq(e) and check_each:
            _refuse_cycle(graph, row)
        existing[(pa, pb, e["kind"])] = row["status"]
        rows.append(row)
    insert_rows(db, "edges", rows)


def _active_prereq(edge: dict) -> bool:
    return edge["kind"] == "prerequisite" and edge["status"] == "active"


def _refuse_cycle(graph: nx.DiGraph, row: dict) -> None:
    """Add the edge of ``row`` to ``graph``, or mark the row removed when it would close a
    cycle there."""
    pa, pb = row["prerequisite"], row["concept"]
    if graph.has_node(pb) and graph.has_node(pa) and nx.has_path(graph, pb, pa):
        cycle = nx.shortest_path(graph, pb, pa)
        row["status"] = "removed"
        row["reason"] = (row["reason"] + "; " if row["reason"] else "") + (
            "removed: would close the cycle " + " -> ".join([*cycle, pb])
        )
    else:
        graph.add_edge(pa, pb)
