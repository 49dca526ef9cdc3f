"""A module docstring's title names what the module teaches; the paragraph after it defines it."""

from __future__ import annotations

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.concepts.module_titles import explanation, module_title
from teachback.ingest.readers import load_sources

QUEUES_PY = '''"""Ring buffer (a.k.a. circular buffer).

Writing past the last slot of a fixed-size array wraps around to its start and
overwrites the oldest entry.

Usage:

buf = make(8)      # an empty buffer of eight slots
"""


def make(n):
    """Return an empty buffer of n slots."""
    return [None] * n
'''

SCRIPT_PY = '''"""Sample from a trained model."""


def sample(n):
    """Draw n tokens from the model."""
    return [0] * n
'''


def test_a_title_and_its_paragraph():
    assert module_title(QUEUES_PY, "queues") == "circular buffer"
    a, b = explanation(QUEUES_PY)
    assert QUEUES_PY[a:b].startswith("Writing past the last slot")
    assert QUEUES_PY[a:b].endswith("overwrites the oldest entry.")
    # a sentence is no title; a docstring that stops at its title explains nothing
    assert module_title(SCRIPT_PY, "sample") == ""
    assert explanation(SCRIPT_PY) is None


def test_the_topic_a_module_docstring_names_is_a_concept_defined_by_its_paragraph(tmp_path):
    (tmp_path / "queues.py").write_text(QUEUES_PY)
    (tmp_path / "sample.py").write_text(SCRIPT_PY)
    concepts = {c.name: c for c in extract_concepts(load_sources([str(tmp_path)]).documents)}
    buffer = concepts["circular buffer"]
    assert buffer.kind == "term"
    assert buffer.definition.startswith("Writing past the last slot of a fixed-size array")
    # the script's sentence-like first line names no topic
    assert not {"trained model", "model"} & set(concepts)


def test_a_docstrings_error_clause_is_no_concept():
    from teachback.ingest.concepts.admission import _raises

    assert _raises("Raises ValueError") and _raises("ValueError raised")
    assert not _raises("ValueError") and not _raises("raised cosine")
