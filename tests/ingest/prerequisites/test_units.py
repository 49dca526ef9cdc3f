"""Unit titles: what a unit teaches, never a file name with a counter."""

from __future__ import annotations

from pathlib import Path

import pytest

from teachback.core.document import Document, Section
from teachback.engine.protocol import ConceptDraft, Evidence
from teachback.ingest.prerequisites.units import order_units, source_title
from teachback.ingest.readers import load_sources, read_bytes

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"


def _code(name: str, source: str) -> Document:
    return read_bytes(name, source.encode())


def test_a_module_is_titled_by_its_docstrings_first_clause():
    doc = _code("model.py", '"""Full definition of a GPT model, all of it in one file."""\nX = 1\n')
    assert source_title(doc) == "Full definition of a GPT model"
    doc = _code("hashing.py", '"""hash functions: turning a key into a number."""\nX = 1\n')
    assert source_title(doc) == "Hash functions"


def test_a_module_without_a_title_like_docstring_has_no_title():
    assert source_title(_code("prepare.py", "X = 1\n")) == ""
    long = '"""This training script can be run both on a single gpu in debug mode, or not."""\n'
    assert source_title(_code("train.py", long + "X = 1\n")) == ""


def test_a_document_titled_by_its_file_name_is_titled_by_its_first_heading():
    text = "# Triangles\n\nA triangle has three sides.\n"
    sections = [
        Section("heading", 0, 11, "# Triangles", ("Triangles",)),
        Section("prose", 13, len(text) - 1, text[13:-1], ("Triangles",)),
    ]
    doc = Document("notes/geometry.md", "markdown", "geometry", text, sections)
    assert source_title(doc) == "Triangles"


def test_units_without_sources_are_named_by_their_main_concept():
    concepts = [
        ConceptDraft(name="hash table", importance=0.9, first_seen=(0, 5)),
        ConceptDraft(name="bucket", importance=0.4, first_seen=(0, 9)),
    ]
    units = order_units(concepts, [])
    assert [(u.title, u.concepts) for u in units] == [("hash table", ["hash table", "bucket"])]


@pytest.fixture(scope="module")
def sample_units():
    from teachback.ingest.concepts import extract_concepts
    from teachback.ingest.prerequisites import link_prerequisites

    docs = load_sources([str(SAMPLES)]).documents
    concepts = extract_concepts(docs)
    return docs, order_units(concepts, link_prerequisites(concepts, docs), docs)


def test_sample_units_are_titled_by_what_they_teach(sample_units):
    docs, units = sample_units
    titles = [u.title for u in units]
    stems = {Path(d.path).stem for d in docs} | {Path(d.path).name for d in docs}
    assert len(set(titles)) == len(titles)
    assert not [t for t in titles if t in stems or t.endswith(")")]
    # the course opens on the article's first section (its introduction lists no concept)
    assert titles[0] == "Keys, values and the lookup problem"
    assert "Collisions" in titles


def test_a_code_concept_is_taught_with_the_file_that_defines_it(sample_units):
    _, units = sample_units
    unit_of = {name: u.title for u in units for name in u.concepts}
    # the notes name fnv1a first, but it is taught with hashing.py, the module defining it
    # (the modules themselves are aliases of the techniques they implement)
    assert unit_of["fnv1a"] == unit_of["bucket_index"] != unit_of["hash value"]


def _markdown(text: str) -> Document:
    return read_bytes("notes.md", text.encode())


def _term(doc: Document, name: str, definition: str = "") -> ConceptDraft:
    first = doc.text.lower().index(name)
    evidence = []
    if definition:
        at = doc.text.index(definition)
        evidence = [
            Evidence(
                source=doc.path,
                start=at,
                end=at + len(definition),
                quote=definition,
                role="definition",
            )
        ]
    return ConceptDraft(name=name, definition=definition, evidence=evidence, first_seen=(0, first))


NOTES = """# Data

Some intro text about the course. Aggregation and stacking are mentioned here in passing.

## Missing data

Aggregations like sum will fail on missing values. Rehashing is not this.

## Reshaping

### Stacking and unstacking

The stack method turns columns into rows.

## Grouping

An aggregation is a computation in which a single number summarises many values.

## Glossary

- **Aggregation**: one number for many.
- **Rehashing**: recomputing buckets.
"""


def test_a_term_is_placed_where_it_is_taught_not_where_it_is_first_named():
    doc = _markdown(NOTES)
    concepts = [
        _term(
            doc,
            "aggregation",
            "An aggregation is a computation in which a single number summarises many values.",
        ),
        _term(doc, "stack"),
        _term(doc, "rehashing", "- **Rehashing**: recomputing buckets."),
    ] + [ConceptDraft(name=f"filler {k}", first_seen=(0, 3)) for k in range(12)]
    unit_of = {n: u.title for u in order_units(concepts, [], [doc]) for n in u.concepts}
    assert unit_of["aggregation"] == "Grouping"  # its definition, not "Aggregations like sum"
    assert unit_of["stack"] == "Reshaping"  # the heading that opens with "Stacking"
    assert unit_of["rehashing"] == "Missing data"  # a glossary entry is not where it is taught
