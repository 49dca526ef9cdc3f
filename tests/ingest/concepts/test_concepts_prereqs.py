"""Prerequisite edges, cycle breaking and unit order."""

from __future__ import annotations

import networkx as nx

from teachback.core.document import Document, Section
from teachback.engine.graph import break_cycles
from teachback.engine.protocol import ConceptDraft, EdgeDraft
from teachback.ingest.concepts import extract_concepts
from teachback.ingest.prerequisites import link_prerequisites, order_units


def make_doc(path: str, blocks: list[tuple[str, str]]) -> Document:
    text = ""
    sections: list[Section] = []
    for heading, para in blocks:
        h = f"# {heading}"
        sections.append(Section("heading", len(text), len(text) + len(h), h, (heading,)))
        text += h + "\n\n"
        sections.append(Section("prose", len(text), len(text) + len(para), para, (heading,)))
        text += para + "\n\n"
    return Document(path=path, format="markdown", title=path, text=text, sections=sections)


GEOMETRY = make_doc(
    "geometry.md",
    [
        (
            "Triangles",
            "A triangle is a polygon with three sides and three angles. Every triangle has "
            "three vertices. The angles of a triangle add up to 180 degrees. A triangle can be "
            "classified by its sides or by its angles.",
        ),
        (
            "Isosceles triangles",
            "An isosceles triangle is a triangle with two sides of equal length. The two equal "
            "sides of an isosceles triangle are called legs. The base angles of an isosceles "
            "triangle are congruent, so an isosceles triangle is symmetric.",
        ),
        (
            "Equilateral triangles",
            "An equilateral triangle is a triangle whose three sides have equal length. An "
            "equilateral triangle is also an isosceles triangle. Each angle of an equilateral "
            "triangle measures 60 degrees.",
        ),
    ],
)


def active_graph(edges: list[EdgeDraft]) -> nx.DiGraph:
    g = nx.DiGraph()
    for e in edges:
        if e.kind == "prerequisite" and e.status == "active":
            g.add_edge(e.prerequisite, e.concept)
    return g


def test_general_concept_is_prerequisite_of_specific_ones():
    concepts = extract_concepts([GEOMETRY])
    names = {c.name for c in concepts}
    assert {"triangle", "isosceles triangle", "equilateral triangle"} <= names
    edges = link_prerequisites(concepts, [GEOMETRY])
    pairs = {
        (e.prerequisite, e.concept)
        for e in edges
        if e.kind == "prerequisite" and e.status == "active"
    }
    assert ("triangle", "isosceles triangle") in pairs
    assert ("triangle", "equilateral triangle") in pairs
    assert ("isosceles triangle", "triangle") not in pairs
    for e in edges:
        assert e.reason
        assert e.prerequisite in names and e.concept in names
    assert nx.is_directed_acyclic_graph(active_graph(edges))


def edge(a: str, b: str, w: float) -> EdgeDraft:
    return EdgeDraft(prerequisite=a, concept=b, weight=w, reason=f"{a} before {b}")


def test_cycles_are_broken_at_the_weakest_edge_with_a_reason():
    edges = [
        edge("a", "b", 0.9),
        edge("b", "c", 0.8),
        edge("c", "a", 0.3),  # weakest edge of the cycle a -> b -> c -> a
        edge("c", "d", 0.7),
        edge("d", "c", 0.6),  # weakest of the 2-cycle c <-> d
        EdgeDraft(prerequisite="d", concept="a", kind="related", weight=0.1, reason="co-occur"),
    ]
    out = break_cycles(edges)
    assert len(out) == len(edges)
    removed = [e for e in out if e.status == "removed"]
    assert {(e.prerequisite, e.concept) for e in removed} == {("c", "a"), ("d", "c")}
    for e in removed:
        assert "cycle" in e.reason and e.prerequisite in e.reason and e.concept in e.reason
    assert nx.is_directed_acyclic_graph(active_graph(out))
    assert out[-1].status == "active"  # related edges are never removed


def concept(name: str, doc: int, off: int) -> ConceptDraft:
    return ConceptDraft(name=name, first_seen=(doc, off))


def test_units_cover_every_concept_once_in_prerequisite_order():
    concepts = [
        concept("square", 0, 10),
        concept("rectangle", 0, 50),
        concept("quadrilateral", 1, 5),
        concept("polygon", 1, 40),
        concept("area", 1, 90),
    ]
    edges = break_cycles(
        [
            edge("polygon", "quadrilateral", 0.9),
            edge("quadrilateral", "rectangle", 0.9),
            edge("rectangle", "square", 0.8),
            edge("square", "polygon", 0.1),  # makes a cycle; must be removed
        ]
    )
    units = order_units(concepts, edges)
    flat = [n for u in units for n in u.concepts]
    assert sorted(flat) == sorted(c.name for c in concepts)
    assert len(flat) == len(set(flat))
    pos = {n: i for i, n in enumerate(flat)}
    for e in edges:
        if e.status == "active":
            assert pos[e.prerequisite] < pos[e.concept], (e, flat)
    # Source 1's concepts stay together once started (area needs nothing from source 0);
    # source 0's come after, because they need quadrilateral.
    assert flat == ["polygon", "quadrilateral", "area", "rectangle", "square"]
    assert [u.concepts for u in units] == [
        ["polygon", "quadrilateral", "area"],
        ["rectangle", "square"],
    ]
    assert all(u.title and u.concepts for u in units)


def test_units_keep_source_order_without_prerequisites():
    concepts = [concept("b", 0, 20), concept("a", 0, 5), concept("c", 1, 0)]
    units = order_units(concepts, [])
    assert [n for u in units for n in u.concepts] == ["a", "b", "c"]


def test_units_from_real_extraction_respect_edges():
    concepts = extract_concepts([GEOMETRY])
    edges = link_prerequisites(concepts, [GEOMETRY])
    units = order_units(concepts, edges, [GEOMETRY])
    flat = [n for u in units for n in u.concepts]
    assert sorted(flat) == sorted(c.name for c in concepts)
    pos = {n: i for i, n in enumerate(flat)}
    for e in edges:
        if e.kind == "prerequisite" and e.status == "active":
            assert pos[e.prerequisite] < pos[e.concept]
    assert units[0].title == "Triangles"


def code_doc() -> Document:
    src = (
        "import shapes\n\ndef area(p):\n    return shoelace(p)\n\ndef shoelace(p):\n    return 0\n"
    )
    a1 = src.index("def area")
    a2 = src.index("def shoelace")
    secs = [
        Section(
            "code",
            0,
            13,
            src[0:13],
            (),
            signals={
                "symbol": "geo",
                "symbol_kind": "module",
                "definition": True,
                "docstring": "Areas of shapes.",
                "def_span": [0, len(src)],
                "imports": ["shapes"],
                "calls": [],
            },
        ),
        Section(
            "code",
            a1,
            a2 - 2,
            src[a1 : a2 - 2],
            (),
            signals={
                "symbol": "geo.area",
                "symbol_kind": "function",
                "definition": True,
                "docstring": "The area of a polygon.",
                "def_span": [a1, a2 - 2],
                "imports": [],
                "calls": ["geo.shoelace"],
            },
        ),
        Section(
            "code",
            a2,
            len(src) - 1,
            src[a2:-1],
            (),
            signals={
                "symbol": "geo.shoelace",
                "symbol_kind": "function",
                "definition": True,
                "docstring": "The shoelace formula.",
                "def_span": [a2, len(src) - 1],
                "imports": [],
                "calls": [],
            },
        ),
    ]
    return Document(
        path="geo.py", format="code", title="geo", text=src, sections=secs, language="python"
    )


def test_code_prerequisites_follow_calls():
    doc = code_doc()
    concepts = extract_concepts([doc])
    assert {c.name for c in concepts} >= {"area", "shoelace", "geo"}
    edges = link_prerequisites(concepts, [doc])
    calls = [e for e in edges if e.prerequisite == "shoelace" and e.concept == "area"]
    assert len(calls) == 1 and "calls" in calls[0].reason
