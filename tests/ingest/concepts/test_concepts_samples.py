"""Concepts, edges and units on the bundled samples, read by the real readers."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"


@pytest.fixture(scope="module")
def extracted():
    readers = pytest.importorskip("teachback.ingest.readers")
    from teachback.ingest.concepts import extract_concepts
    from teachback.ingest.prerequisites import link_prerequisites, order_units

    result = readers.load_sources([str(SAMPLES)])
    assert not result.errors
    docs = result.documents
    concepts = extract_concepts(docs)
    edges = link_prerequisites(concepts, docs)
    units = order_units(concepts, edges, docs)
    return docs, concepts, edges, units


def test_samples_give_terms_and_code_concepts_with_grounded_evidence(extracted):
    docs, concepts, _, _ = extracted
    texts = {d.path: d.text for d in docs}
    kinds = {c.kind for c in concepts}
    assert kinds == {"term", "code"}
    # a term the samples use without saying what it is has no definition rather than a sentence
    # that merely uses it ("When an insert would push the load factor past it, ...")
    undefined = {c.name for c in concepts if not c.definition}
    assert undefined <= {
        "insert",
        "deletion",
        "chain length",
        "cryptographic hash",
        "maximum load factor",
        "amortized cost",
    }
    assert "insert" not in {c.name for c in concepts} or "insert" in undefined
    for c in concepts:
        for e in c.evidence:
            assert e.quote == texts[e.source][e.start : e.end]
    code = [c for c in concepts if c.kind == "code"]
    # every code concept that has a docstring is defined by its first line, quoted from the file
    for c in code:
        defs = [e for e in c.evidence if e.role == "definition"]
        if defs:
            assert c.definition == defs[0].quote.strip().strip('"').strip()
    assert any(e.role == "definition" for c in concepts if c.kind == "term" for e in c.evidence)


def test_samples_graph_is_a_dag_and_units_cover_all(extracted):
    _, concepts, edges, units = extracted
    g = nx.DiGraph()
    for e in edges:
        if e.kind == "prerequisite" and e.status == "active":
            g.add_edge(e.prerequisite, e.concept)
    assert nx.is_directed_acyclic_graph(g)
    flat = [n for u in units for n in u.concepts]
    assert sorted(flat) == sorted(c.name for c in concepts)
    pos = {n: i for i, n in enumerate(flat)}
    assert all(pos[a] < pos[b] for a, b in g.edges)
