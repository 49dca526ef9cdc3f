"""Prerequisite edges follow how the material builds: code structure, defining sentences,
reading order; generic words do not become prerequisites of everything."""

from __future__ import annotations

import json

from teachback.core.document import Document, Section
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.prerequisites import link_prerequisites
from teachback.ingest.readers import read_bytes

CODE = '''"""Shapes."""


class Shape:
    """A shape."""

    def area(self):
        return 0


class Square(Shape):
    """A square."""

    def __init__(self, side):
        self.side = side
        self.helper = Corner()

    def area(self):
        return self.side * self.side


class Corner:
    """A corner of a square."""


def draw(model):
    model(1)
    return Square(2).area()
'''


def _code_concept(name: str, qual: str) -> ConceptDraft:
    return ConceptDraft(name=name, aliases=[qual], kind="code")


def test_code_edges_follow_hierarchy_nesting_and_composition(tmp_path):
    doc = read_bytes(str(tmp_path / "shapes.py"), CODE.encode(), {"module": "shapes"})
    concepts = [
        ConceptDraft(name="shapes", kind="code"),
        _code_concept("Shape", "shapes.Shape"),
        _code_concept("Square", "shapes.Square"),
        _code_concept("Square.area", "shapes.Square.area"),
        _code_concept("Corner", "shapes.Corner"),
        _code_concept("draw", "shapes.draw"),
        ConceptDraft(name="model", kind="code"),  # a module the word "model" could name
    ]
    edges = {
        (e.prerequisite, e.concept): e.reason
        for e in link_prerequisites(concepts, [doc])
        if e.kind == "prerequisite" and e.status == "active"
    }
    assert edges[("Shape", "Square")] == "Square is a subclass of Shape"
    assert edges[("Square", "Square.area")] == "Square.area is defined inside Square"
    assert edges[("Corner", "Square")] == "Square uses Corner"
    assert edges[("Square", "draw")] == "draw uses Square"
    assert edges[("shapes", "Shape")] == "Shape is defined inside shapes"
    assert ("Square.area", "Square") not in edges  # never the helper before its owner
    assert ("model", "draw") not in edges  # "model(1)" calls a variable, not the module


def _doc(paragraphs: list[str]) -> Document:
    text, sections = "", []
    for p in paragraphs:
        sections.append(Section("prose", len(text), len(text) + len(p), p, ("Notes",)))
        text += p + "\n\n"
    return Document("notes.md", "markdown", "Notes", text, sections)


def _terms(*names: str) -> list[ConceptDraft]:
    return [ConceptDraft(name=n, first_seen=(0, i)) for i, n in enumerate(names)]


def test_a_generic_word_is_not_a_prerequisite_of_everything():
    topics = [f"topic{k}" for k in range(12)]
    doc = _doc(
        ["Data is what we store."]
        + [f"A {t} is a kind of record that holds data about one thing." for t in topics]
    )
    edges = [
        e
        for e in link_prerequisites(_terms("data", *topics), [doc])
        if e.kind == "prerequisite" and e.prerequisite == "data"
    ]
    assert len(edges) <= 3
    assert all(e.reason for e in edges)


def test_mere_co_occurrence_later_in_the_text_is_not_a_prerequisite():
    doc = _doc(
        [
            "A hash table stores keys in buckets.",
            "A bucket is a slot of the table.",
            "Resizing happens when the table is full; resizing copies every bucket.",
        ]
    )
    concepts = _terms("hash table", "bucket", "resizing")
    edges = {
        (e.prerequisite, e.concept)
        for e in link_prerequisites(concepts, [doc])
        if e.kind == "prerequisite" and e.status == "active"
    }
    assert ("resizing", "bucket") not in edges and ("resizing", "hash table") not in edges


def test_terms_only_named_together_get_no_edge_of_any_kind():
    # siblings a passage names together, never one defined in terms of the other
    doc = _doc(
        [
            "Aggregation and filtering are two of the operations on groups.",
            "Unlike aggregation, filtering keeps whole groups or drops them.",
            "Aggregation reduces each group; filtering keeps the original rows.",
        ]
    )
    assert link_prerequisites(_terms("aggregation", "filtering"), [doc]) == []


def test_what_a_definition_relies_on_is_never_after_it():
    # the text names "hash table" first and most, but its definition says it is an
    # associative array: the associative array comes first
    doc = _doc(
        [
            "A hash table finds a value in one step.",
            "A hash table is fast.",
            "Every hash table grows when it is full.",
            "A hash table is an associative array built on buckets.",
            "Like any associative array, a hash table maps keys to values.",
            "An associative array in a hash table never keeps two equal keys.",
            "A hash table spreads keys over buckets.",
        ]
    )
    table, array = _terms("hash table", "associative array")
    table.definition = "A hash table is an associative array built on buckets."
    edges = {(e.prerequisite, e.concept) for e in link_prerequisites([table, array], [doc])}
    assert ("hash table", "associative array") not in edges


def _active(concepts: list[ConceptDraft], docs: list[Document]) -> dict[tuple[str, str], str]:
    return {
        (e.prerequisite, e.concept): e.reason
        for e in link_prerequisites(concepts, docs)
        if e.kind == "prerequisite" and e.status == "active"
    }


def test_a_common_word_a_definition_only_mentions_is_not_a_prerequisite():
    doc = _doc(
        [
            "A table has rows and a column for each field.",
            "Each column holds one kind of value.",
            "A column label names a column.",
            "The pivotal operation reshapes a table so that each column becomes a row.",
            "Use the pivotal operation to turn a wide table into a long one.",
            "The pivotal operation keeps every value.",
        ]
    )
    edges = _active(_terms("column", "column label", "pivotal operation"), [doc])
    assert ("column", "pivotal operation") not in edges
    assert edges[("column", "column label")].startswith(
        '"column label" is about "column" (its name contains it)'
    )


def _notebook(tmp_path, cells: list[tuple[str, str]]) -> Document:
    nb = {
        "cells": [
            {"cell_type": kind, "source": src, "metadata": {}}
            | ({"execution_count": 1, "outputs": []} if kind == "code" else {})
            for kind, src in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return read_bytes(str(tmp_path / "n.ipynb"), json.dumps(nb).encode())


def test_an_api_a_notebook_uses_in_an_earlier_cell_comes_first(tmp_path):
    doc = _notebook(
        tmp_path,
        [
            ("markdown", "# Arrays\n\nAn array stores numbers of one type."),
            ("code", "x = np.zeros(3, dtype='int64')\nx"),
            ("markdown", "## Missing values\n\nA sentinel value marks a missing entry."),
            ("markdown", "A sentinel value such as NaN forces the dtype to float."),
            ("markdown", "The dtype of an array with a sentinel value is float or object."),
            ("markdown", "Each dtype has its own sentinel value."),
        ],
    )
    edges = _active(_terms("array", "sentinel value", "dtype"), [doc])
    assert ("sentinel value", "dtype") not in edges


def test_a_library_the_code_imports_is_a_prerequisite_only_of_what_is_named_after_it(tmp_path):
    prose = [
        "Numlib is the library for arrays of numbers in Python.",
        "A numlib array holds numbers of one type in numlib.",
        "A ufunc is a numlib function that acts on every element of a numlib array.",
        "Every ufunc in numlib loops in compiled code, so a ufunc is fast.",
        "A ufunc returns a new numlib array.",
        "Broadcasting in numlib stretches the smaller numlib array to fit.",
    ]
    code = "import numlib as nl\nx = nl.array([1, 2, 3])\nnl.add(x, 1)"
    cells = [("markdown", p) for p in prose[:2]] + [("code", code)]
    cells += [("markdown", p) for p in prose[2:]]
    doc = _notebook(tmp_path, cells)
    concepts = _terms("numlib", "numlib array", "ufunc", "broadcasting")
    # defined, so its defining sentences can make it build on what they name
    concepts[2] = concepts[2].model_copy(update={"definition": prose[2]})
    concepts[3] = concepts[3].model_copy(update={"definition": prose[5]})
    edges = {
        (e.prerequisite, e.concept): e.kind
        for e in link_prerequisites(concepts, [doc])
        if e.status == "active"
    }
    assert edges.get(("numlib", "numlib array")) == "prerequisite"  # a kind of it
    assert edges.get(("numlib", "ufunc")) != "prerequisite"
    assert edges.get(("numlib", "broadcasting")) != "prerequisite"
    # the same text with no code importing it: the word is an ordinary concept again
    plain = _doc(prose)
    edges = _active(concepts, [plain])
    assert ("numlib", "ufunc") in edges


def test_a_concept_the_material_never_defines_is_not_defined_in_terms_of_its_neighbours():
    prose = [
        "A MultiIndex holds several levels of labels for each row.",
        "Each MultiIndex level names one part of the row label.",
        "A MultiIndex can be built from arrays or from tuples.",
        "The reindex method conforms the MultiIndex data to new labels.",
        "Calling reindex with a MultiIndex gives the hierarchical view.",
    ]
    multi, reindex = _terms("MultiIndex", "reindex")
    multi = multi.model_copy(update={"definition": prose[0]})
    assert ("MultiIndex", "reindex") not in _active([multi, reindex], [_doc(prose)])
    defined = reindex.model_copy(update={"definition": prose[3]})
    assert ("MultiIndex", "reindex") in _active([multi, defined], [_doc(prose)])
