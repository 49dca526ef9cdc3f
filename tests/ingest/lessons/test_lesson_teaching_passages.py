"""A lesson holds the passages that teach its concept, not those that name it in passing: a
cell whose loop variable is called ``key`` under a paragraph about probing, the verb
"transform" in a sentence about reshaping, or "the AdamW optimizer" at the end of a sentence
about memory."""

from __future__ import annotations

import json

from teachback.engine.protocol import ConceptDraft, Evidence
from teachback.ingest.lessons import write_lesson
from teachback.ingest.readers import read_bytes


def _cell(source: str, shown: str) -> dict:
    out = {"output_type": "execute_result", "data": {"text/plain": shown}, "metadata": {}}
    return {"cell_type": "code", "source": source, "execution_count": 1, "outputs": [out]}


def _md(source: str) -> dict:
    return {"cell_type": "markdown", "source": source}


def _notebook(tmp_path, name: str, cells: list[dict]):
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return read_bytes(str(tmp_path / name), json.dumps(nb).encode())


def _evidence(doc, quote: str) -> Evidence:
    at = doc.text.index(quote)
    return Evidence(source=doc.path, start=at, end=at + len(quote), quote=quote)


def test_a_cell_with_a_variable_named_like_the_term_is_not_its_demonstration(tmp_path):
    doc = _notebook(
        tmp_path,
        "keys.ipynb",
        [
            _md("# Keys\n\nA **key** names the item a table stores, as a word names its entry."),
            _md("# Probing\n\nWith linear probing, a lookup walks neighbouring buckets:"),
            _cell("for key in keys:\n    table.put(key, True)\ntable.probes()", "2.3"),
        ],
    )
    concept = ConceptDraft(name="key", evidence=[_evidence(doc, "A **key** names the item")])
    assert write_lesson(concept, [doc]).text == (
        "**key**\n\nA **key** names the item a table stores, as a word names its entry. [1]\n"
    )


GROUPING = [
    _md("# Grouping\n\nGroups have `aggregate`, `filter` and `transform` methods."),
    _md("## Transformation\n\nA transformation returns data of the same shape as its input:"),
    _cell("df.groupby('key').transform(center)", "   data\n0  -1.5"),
]


def test_an_api_named_as_a_verb_is_not_its_lesson_and_a_chained_call_shows_it(tmp_path):
    grouping = _notebook(tmp_path, "grouping.ipynb", GROUPING)
    pivot = _notebook(
        tmp_path,
        "pivot.ipynb",
        [
            _md(
                "# Pivot tables\n\nWe can use the tools of hierarchical indexing to transform "
                "this multiply indexed frame into the table we are interested in."
            )
        ],
    )
    concept = ConceptDraft(
        name="transform",
        evidence=[
            _evidence(grouping, "Groups have `aggregate`"),
            _evidence(pivot, "We can use the tools"),
        ],
    )
    text = write_lesson(concept, [grouping, pivot]).text
    assert "df.groupby('key').transform(center)" in text
    assert "hierarchical indexing" not in text


def test_a_term_named_at_the_end_of_a_sentence_about_something_else_is_left_out(tmp_path):
    text = (
        "# Memory\n\n"
        "We can also estimate the share of GPU memory taken up by the weights and the buffers "
        "inside the AdamW optimizer, which keeps two statistics for every parameter.\n\n"
        "# Training\n\n"
        "An optimizer updates the weights after every batch. The optimizer of this script is "
        "AdamW, with weight decay on the weight matrices only.\n"
    )
    doc = read_bytes(str(tmp_path / "notes.md"), text.encode())
    concept = ConceptDraft(
        name="optimizer",
        evidence=[_evidence(doc, "We can also estimate"), _evidence(doc, "An optimizer updates")],
    )
    assert write_lesson(concept, [doc]).text == (
        "**optimizer**\n\nAn optimizer updates the weights after every batch. The optimizer of "
        "this script is AdamW, with weight decay on the weight matrices only. [1]\n"
    )


def test_a_definition_in_a_section_on_something_else_brings_its_explanation_only(tmp_path):
    text = (
        "# Quick start\n\n"
        "Training takes three minutes on a CPU. To wait longer, raise the context length "
        "(`--block_size`), the number of tokens the model reads at once.\n\n"
        "A longer context lets the model see whole lines of the play, so its samples rhyme "
        "more often.\n\n"
        "Finally, on Apple Silicon add `--device=mps` to train on the on-chip GPU, which is "
        "two or three times faster.\n"
    )
    doc = read_bytes(str(tmp_path / "README.md"), text.encode())
    ev = _evidence(doc, "To wait longer, raise the context length")
    concept = ConceptDraft(
        name="block size", evidence=[ev.model_copy(update={"role": "definition"})]
    )
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    assert parts[1:] == [
        "Training takes three minutes on a CPU. To wait longer, raise the context length "
        "(`--block_size`), the number of tokens the model reads at once. [1]",
        "A longer context lets the model see whole lines of the play, so its samples rhyme "
        "more often. [2]",
    ]
