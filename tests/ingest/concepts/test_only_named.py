"""Terms a heading or a code span only names: one word of a heading that lists several things,
an API used on the way to something else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


NANOGPT = Path(__file__).resolve().parents[3].parent / "shared/data/dev_sources/nanogpt"
PANDAS = NANOGPT.parent / "pandas-notebooks"


@pytest.mark.skipif(not NANOGPT.is_dir(), reason="needs ../shared/data/dev_sources")
def test_a_module_whose_docstring_says_it_is_its_class_is_listed_once():
    concepts = extract_concepts(load_sources([str(NANOGPT)]).documents)
    by_name = {c.name: c for c in concepts}
    # model.py: "Full definition of a GPT Language Model, all of it in this single file."
    assert "model" not in by_name
    assert by_name["GPT"].aliases == ["model.GPT"]
    assert by_name["GPT"].definition.startswith("A subclass of nn.Module made of transformer")


@pytest.mark.skipif(not PANDAS.is_dir(), reason="needs ../shared/data/dev_sources")
def test_the_data_set_a_notebook_loads_and_an_api_only_a_table_names_are_not_concepts():
    names = {c.name.lower() for c in extract_concepts(load_sources([str(PANDAS)]).documents)}
    # "(known as *extrasolar planets*, or *exoplanets* for short)" beside
    # ``planets = sns.load_dataset('planets')``
    assert not names & {"extrasolar planet", "exoplanet"}
    # "| `-` | `sub`, `subtract` |" and "(addition, subtraction, multiplication, etc.)"
    assert not names & {"subtraction", "subtract"}
    assert {"groupby", "aggregation", "split-apply-combine", "pd.merge", "concatenation"} <= names
