"""Terms a heading or a code span only names: one word of a heading that lists several things,
an API used on the way to something else."""

from __future__ import annotations

import json
from pathlib import Path

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.readers import load_sources, read_bytes


def _notebook(cells: list[dict]) -> bytes:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def _md(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(src: str) -> dict:
    return {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": src, "outputs": []}


MERGING = _notebook(
    [
        _md(
            "# Merging tables\n\nThe `pd.merge` function combines two tables on their shared "
            "columns. The `pd.merge` function implements several kinds of joins."
        ),
        _code("merged = pd.merge(df1, df3, left_on='employee', right_on='name')"),
        _md(
            "The result has a redundant column that we can drop if desired, for example by "
            "using the `DataFrame.drop()` method:"
        ),
        _code("merged.drop('name', axis=1)"),
        _md(
            "Pandas also has the `DataFrame.join()` method, which performs an index-based "
            "merge without extra keywords:"
        ),
        _code("df1a.join(df2a)"),
        _md("We drop the rows we do not need and drop the helper columns as well."),
    ]
)


def test_an_api_used_on_the_way_is_not_a_concept():
    names = {c.name.lower() for c in extract_concepts([read_bytes("merge.ipynb", MERGING)])}
    assert "pd.merge" in names
    assert "dataframe.join" in names  # named once, but a sentence says what it does
    assert "drop" not in names  # named once as the means to another end, an everyday word


SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"


def test_one_word_of_a_heading_listing_things_is_not_a_concept():
    # "Keys, values and the lookup problem": the section teaches the key-value pair
    docs = load_sources([str(SAMPLES)]).documents
    names = {c.name.lower() for c in extract_concepts(docs)}
    assert {"key-value pair", "associative array", "hash function", "bucket"} <= names
    assert "value" not in names
