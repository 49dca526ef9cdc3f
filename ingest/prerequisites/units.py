"""Units in a teachable order: a topological order of the prerequisites that keeps each
source's reading order (and each top-level section together) where prerequisites allow.

A unit is titled by what it teaches: the heading of its section, else its source's own title
(a document's first heading, a module docstring's first clause), else its main concept. A
file name is not a title; a title that comes back is told apart by the unit's main concept.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from pathlib import Path

from teachback.core.document import Document
from teachback.engine.protocol import ConceptDraft, EdgeDraft, UnitDraft
from teachback.ingest.textutil import phrase_key

UNIT_SIZE = 12
# A module docstring's first clause longer than this reads as a sentence about the file ("This
# training script can be run both on a single gpu in debug mode"), not as its title.
MAX_TITLE_WORDS = 9
_CLAUSE_END = re.compile(r"[.:;,!?](?:\s|$)|\s[-–—]\s")
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d{1,3}[.)])\s")
_HEADING_WORD = re.compile(r"[A-Za-z0-9][\w\-.]*")


def _unit_depth(doc: Document, n_concepts: int) -> int:
    """Where a source's units are cut: -1 when its concepts fit in one unit (the whole source);
    else at its top-level headings, or at the subsections of a title heading (1) when every
    heading sits under one."""
    if n_concepts <= UNIT_SIZE:
        return -1
    tops = {s.heading_path[0] for s in doc.sections if s.heading_path}
    return 1 if len(tops) == 1 else 0


def _anchor(
    c: ConceptDraft,
    code_files: dict[str, int],
    doc_index: dict[str, int],
    documents: list[Document],
    headed: dict[str, tuple[int, int]],
) -> tuple[int, int]:
    """Where ``c`` belongs in the material: a code concept in the file that defines it (a class
    is taught with its module, not where a README first names it); a term where it is taught,
    the first of its defining sentence and a heading that opens with its name ("Stacking and
    Unstacking Indices"), else where it is first seen: "aggregations like `sum` will generally
    lead to an error" in the chapter on missing data names aggregation, the GroupBy chapter
    teaches it. A glossary entry summarises a term taught elsewhere. ``code_files``: the code
    documents' paths -> their index; ``headed``: a name's key -> its first opening heading."""
    if c.kind == "code":
        for ev in c.evidence:
            if ev.role in ("code", "definition") and ev.source in code_files:
                return code_files[ev.source], ev.start
        return c.first_seen
    taught = [headed[k] for k in _keys(c) if k in headed]
    for ev in c.evidence:
        di = doc_index.get(ev.source)
        if ev.role == "definition" and di is not None and not _list_item(documents[di], ev.start):
            taught.append((di, ev.start))
            break
    return min(taught, default=c.first_seen)


def _keys(c: ConceptDraft) -> list[str]:
    return [k for k in (phrase_key(n) for n in (c.name, *c.aliases)) if k]


def _list_item(doc: Document, offset: int) -> bool:
    """Whether ``offset`` is in a list item ("- **Rehashing**: recomputing ...")."""
    return bool(_LIST_ITEM.match(doc.text, doc.text.rfind("\n", 0, offset) + 1))


def _opening_headings(
    concepts: list[ConceptDraft], documents: list[Document]
) -> dict[str, tuple[int, int]]:
    """For each term's name key, where the first heading that opens with it starts (document,
    offset), the longest name winning ("Column indexing" is column indexing's, not
    column's). Only opening words count: "MultiIndex for Columns" is not about columns."""
    keys = {k for c in concepts if c.kind == "term" for k in _keys(c)}
    longest = max((k.count(" ") + 1 for k in keys), default=0)
    out: dict[str, tuple[int, int]] = {}
    for di, doc in enumerate(documents):
        if doc.format == "code":
            continue
        for sec in doc.sections:
            if sec.kind != "heading":
                continue
            words = _HEADING_WORD.findall(sec.text)
            if words and words[0].lower() in ("a", "an", "the"):
                words = words[1:]
            found = ""
            for n in range(1, min(longest, len(words)) + 1):
                key = phrase_key(" ".join(words[:n]))
                if key in keys:
                    found = key
            if found and found not in out:
                out[found] = (di, sec.start)
    return out


def _groups(
    anchors: list[tuple[int, int]], documents: list[Document] | None, depths: list[int]
) -> list[tuple[tuple[int, int], str]]:
    """For each anchor (document, offset): the (sort key, title) of the top-level section or
    source it is in; the title is "" when neither has one (the unit is then named by its main
    concept). The anchors are visited by offset, so each document's sections are read once,
    not once per concept."""
    out: list[tuple[tuple[int, int], str]] = [((0, 0), "")] * len(anchors)
    read: dict[int, tuple[int, str, int]] = {}  # document -> (sections read, top, its start)
    for i in sorted(range(len(anchors)), key=lambda i: anchors[i]):
        di, off = anchors[i]
        if not documents or not 0 <= di < len(documents):
            out[i] = ((di, 0), "")
            continue
        doc = documents[di]
        depth = depths[di]
        if depth < 0:
            out[i] = ((di, 0), source_title(doc))
            continue
        k, top, pos = read.get(di, (0, "", 0))
        sections = doc.sections
        # the sections before the first one that starts after the offset
        while k < len(sections) and sections[k].start <= off:
            s = sections[k]
            if len(s.heading_path) > depth:
                top = s.heading_path[depth]
                if s.kind == "heading" and len(s.heading_path) == depth + 1:
                    pos = s.start
            k += 1
        read[di] = (k, top, pos)
        out[i] = ((di, pos), top.strip() or source_title(doc))
    return out


def source_title(doc: Document) -> str:
    """What a source says it is about: a module docstring's first clause ("Full definition of
    a GPT Language Model"), a document's title or else its first heading; "" for a file name
    or a sentence."""
    title = doc.title.strip()
    if doc.format == "code":
        module = str(doc.meta.get("module", ""))
        if not module or not title.startswith(f"{module}: "):
            return ""  # no docstring: the reader titled it by the module's name
        title = _first_clause(title[len(module) + 2 :])
        if len(title.split()) > MAX_TITLE_WORDS:
            return ""
        return title[:1].upper() + title[1:]
    name = Path(doc.path.split("!")[-1])
    if title and title not in (name.name, name.stem):
        return title
    return next((s.heading_path[0] for s in doc.sections if s.heading_path), "").strip()


def _first_clause(text: str) -> str:
    m = _CLAUSE_END.search(text)
    return (text[: m.start()] if m else text).strip()


def order_units(
    concepts: list[ConceptDraft],
    edges: list[EdgeDraft],
    documents: list[Document] | None = None,
) -> list[UnitDraft]:
    """Units in teaching order: a topological order of the active prerequisites that keeps each
    source's order (and each top-level section together) where prerequisites allow.

    Every concept is in exactly one unit; a concept never comes before one of its prerequisites.
    """
    docs = documents or []
    code_files = {d.path: di for di, d in enumerate(docs) if d.format == "code"}
    doc_index = {d.path: di for di, d in enumerate(docs)}
    headed = _opening_headings(concepts, docs)
    anchors = [_anchor(c, code_files, doc_index, docs, headed) for c in concepts]
    per_source = Counter(di for di, _ in anchors)
    depths = [_unit_depth(d, per_source[di]) for di, d in enumerate(documents or [])]
    groups = _groups(anchors, documents, depths)
    order = _teaching_order(concepts, edges, [g[0] for g in groups], anchors)
    return _units(order, concepts, groups)


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
    concepts: list[ConceptDraft],
    edges: list[EdgeDraft],
    groups: list[tuple[int, int]],
    anchors: list[tuple[int, int]],
) -> list[int]:
    """Kahn's algorithm; among ready concepts prefer the current group, then reading order.
    One heap per group plus a global heap (entries taken elsewhere are skipped lazily), so the
    whole ordering is O(n log n + edges)."""
    preds, succs = _prerequisite_graph(concepts, edges)
    indegree = {i: len(preds[i]) for i in range(len(concepts))}

    def rank(i: int) -> tuple:
        return (anchors[i], i)

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


def _units(order: list[int], concepts: list[ConceptDraft], groups: list) -> list[UnitDraft]:
    """Consecutive concepts of one group, at most ``UNIT_SIZE`` a unit, titled by the group;
    a group with no title, or whose title comes back, by its main concept as well."""
    units: list[UnitDraft] = []
    titles: set[str] = set()
    run: list[int] = []

    def flush() -> None:
        if not run:
            return
        title = groups[run[0]][1]
        main = _main_concept(run, concepts)
        label = main if not title else title if title not in titles else f"{title}: {main}"
        titles.add(title)
        units.append(UnitDraft(title=label, concepts=[concepts[i].name for i in run]))
        run.clear()

    for i in order:
        if run and (groups[i][0] != groups[run[-1]][0] or len(run) >= UNIT_SIZE):
            flush()
        run.append(i)
    flush()
    return units


def _main_concept(run: list[int], concepts: list[ConceptDraft]) -> str:
    """The name of the most important concept of a unit (the first of equals, in order)."""
    best = max(run, key=lambda i: (concepts[i].importance, -run.index(i)))
    return concepts[best].name
