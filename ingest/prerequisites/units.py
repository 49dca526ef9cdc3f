"""Units in a teachable order: a topological order of the prerequisites that keeps each
source's reading order (and each top-level section together) where prerequisites allow."""

from __future__ import annotations

import heapq
from collections import defaultdict
from pathlib import Path

from teachback.core.document import Document
from teachback.engine.protocol import ConceptDraft, EdgeDraft, UnitDraft

UNIT_SIZE = 12


def _unit_depth(doc: Document) -> int:
    """1 when every heading sits under one title heading (split units at its subsections)."""
    tops = {s.heading_path[0] for s in doc.sections if s.heading_path}
    return 1 if len(tops) == 1 else 0


def _group_of(
    c: ConceptDraft, documents: list[Document] | None, depths: list[int]
) -> tuple[tuple[int, int], str]:
    """(sort key, title) of the top-level section or source where ``c`` is first seen."""
    di, off = c.first_seen
    if documents and 0 <= di < len(documents):
        doc = documents[di]
        depth = depths[di]
        top = ""
        pos = 0
        for s in doc.sections:
            if s.start > off:
                break
            if len(s.heading_path) > depth:
                top = s.heading_path[depth]
                if s.kind == "heading" and len(s.heading_path) == depth + 1:
                    pos = s.start
        fallback = Path(doc.path).name if doc.format == "code" else doc.title
        return (di, pos), top or fallback or Path(doc.path).stem
    source = c.evidence[0].source if c.evidence else f"source {di + 1}"
    return (di, 0), Path(source.split("!")[-1]).stem or source


def order_units(
    concepts: list[ConceptDraft],
    edges: list[EdgeDraft],
    documents: list[Document] | None = None,
) -> list[UnitDraft]:
    """Units in teaching order: a topological order of the active prerequisites that keeps each
    source's order (and each top-level section together) where prerequisites allow.

    Every concept is in exactly one unit; a concept never comes before one of its prerequisites.
    """
    depths = [_unit_depth(d) for d in documents or []]
    groups = [_group_of(c, documents, depths) for c in concepts]
    order = _teaching_order(concepts, edges, [g[0] for g in groups])
    return _units(order, [c.name for c in concepts], groups)


def _prerequisite_graph(
    concepts: list[ConceptDraft], edges: list[EdgeDraft]
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Predecessors and successors of each concept (by index) along the active prerequisites."""
    index = {c.name: i for i, c in enumerate(concepts)}
    preds: dict[int, set[int]] = defaultdict(set)
    succs: dict[int, set[int]] = defaultdict(set)
    for e in edges:
        if e.kind != "prerequisite" or e.status != "active":
            continue
        a, b = index.get(e.prerequisite), index.get(e.concept)
        if a is None or b is None or a == b:
            continue
        preds[b].add(a)
        succs[a].add(b)
    return preds, succs


def _teaching_order(
    concepts: list[ConceptDraft], edges: list[EdgeDraft], groups: list[tuple[int, int]]
) -> list[int]:
    """Kahn's algorithm; among ready concepts prefer the current group, then reading order.
    One heap per group plus a global heap (entries taken elsewhere are skipped lazily), so the
    whole ordering is O(n log n + edges)."""
    preds, succs = _prerequisite_graph(concepts, edges)
    indegree = {i: len(preds[i]) for i in range(len(concepts))}

    def rank(i: int) -> tuple:
        return (concepts[i].first_seen, i)

    by_group: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    everything: list[tuple] = []

    def push(i: int) -> None:
        heapq.heappush(by_group[groups[i]], (rank(i), i))
        heapq.heappush(everything, (groups[i], rank(i), i))

    for i in range(len(concepts)):
        if indegree[i] == 0:
            push(i)
    order: list[int] = []
    done = [False] * len(concepts)
    current: tuple[int, int] | None = None
    while len(order) < len(concepts):
        i = _next_ready(by_group.get(current) if current is not None else None, everything, done)
        if i < 0:  # a cycle slipped through: take the rest in reading order
            i = min((k for k in range(len(concepts)) if not done[k]), key=rank)
        done[i] = True
        order.append(i)
        current = groups[i]
        for j in succs[i]:
            indegree[j] -= 1
            if indegree[j] == 0 and not done[j]:
                push(j)
    return order


def _next_ready(local: list[tuple] | None, everything: list[tuple], done: list[bool]) -> int:
    """The next ready concept not yet taken: from the current group's heap, else the global
    one; -1 when none is ready."""
    while local:
        _, j = heapq.heappop(local)
        if not done[j]:
            return j
    while everything:
        _, _, j = heapq.heappop(everything)
        if not done[j]:
            return j
    return -1


def _units(order: list[int], names: list[str], groups: list) -> list[UnitDraft]:
    """Consecutive concepts of one group, at most ``UNIT_SIZE`` a unit, titled by the group
    (numbered when a title comes back)."""
    units: list[UnitDraft] = []
    titles: dict[str, int] = defaultdict(int)
    run: list[int] = []

    def flush() -> None:
        if not run:
            return
        title = groups[run[0]][1]
        titles[title] += 1
        label = title if titles[title] == 1 else f"{title} ({titles[title]})"
        units.append(UnitDraft(title=label, concepts=[names[i] for i in run]))
        run.clear()

    for i in order:
        if run and (groups[i][0] != groups[run[-1]][0] or len(run) >= UNIT_SIZE):
            flush()
        run.append(i)
    flush()
    return units
