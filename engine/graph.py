"""Prerequisite edges made a graph a learner can walk: no cycles among the active ones.

Both engines need it: the embedded one scores its edges (``teachback.ingest.prerequisites``),
the LLM engine proposes its own; either may close a cycle ("A before B before A").
"""

from __future__ import annotations

from teachback.engine.protocol import EdgeDraft


def break_cycles(edges: list[EdgeDraft]) -> list[EdgeDraft]:
    """Make the active prerequisite edges a DAG: drop the weakest edge of each cycle found.

    A dropped edge stays in the result with ``status="removed"`` and a reason naming the cycle.
    """
    import networkx as nx  # on first use: keeps importing the engine light

    graph = nx.DiGraph()
    for i, e in enumerate(edges):
        if e.kind == "prerequisite" and e.status == "active":
            graph.add_edge(e.prerequisite, e.concept, index=i)
    out = list(edges)
    while True:
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            break
        weakest = min(cycle, key=lambda uv: (out[graph.edges[uv]["index"]].weight, uv))
        i = graph.edges[weakest]["index"]
        path = " -> ".join([u for u, _ in cycle] + [cycle[0][0]])
        out[i] = out[i].model_copy(
            update={
                "status": "removed",
                "reason": f"removed to break the cycle {path} (weakest edge, weight "
                f"{out[i].weight:.2f}); was: {out[i].reason}",
            }
        )
        graph.remove_edge(*weakest)
    return out
