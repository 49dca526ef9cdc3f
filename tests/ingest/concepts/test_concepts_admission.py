"""Admission by evidence of teaching; name variants merge; the curriculum bench's judge."""

from teachback.benchmarks.concept_names import normalise
from teachback.benchmarks.curriculum import Gold, judge
from teachback.ingest.concepts import compact_key, extract_concepts
from teachback.ingest.readers import read_bytes

ARTICLE = b"""# Hash tables

A **hash table** stores values under keys. The cache in your web browser is one, and so is a
small idea your phone uses. A hash table finds a key in one or two steps.

## Collisions

A collision is the situation where two keys land in the same bucket. Every hash table has to
resolve collisions somehow, and a web browser does too.
"""


def test_only_what_the_material_teaches_is_a_concept():
    doc = read_bytes("article.md", ARTICLE)
    names = sorted(c.name for c in extract_concepts([doc]))
    assert names == ["collision", "hash table"]


NOTEBOOK = b"""{"cells": [
 {"cell_type": "markdown", "metadata": {}, "source": ["# Combining data\\n",
   "The `pd.merge` function joins two tables on a key column, and `dropna` removes rows."]},
 {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
  "source": ["import pandas as pd\\n", "df = pd.merge(a, b)\\n", "df = df.dropna()"]}
 ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"""


def test_an_api_the_code_cells_demonstrate_is_a_concept():
    doc = read_bytes("merge.ipynb", NOTEBOOK)
    names = {c.name for c in extract_concepts([doc])}
    assert {"pd.merge", "dropna"} <= names


def test_code_and_prose_names_of_one_idea_are_one_concept():
    src = b'class CausalSelfAttention:\n    """Attention to earlier tokens only."""\n'
    prose = (
        b"# Attention\n\nCausal self-attention is attention in which a token sees only the "
        b"tokens before it. Causal self-attention keeps a language model from peeking.\n"
    )
    docs = [read_bytes("model.py", src), read_bytes("notes.md", prose)]
    concepts = [c for c in extract_concepts(docs) if "self" in c.name.lower()]
    assert [(c.name, "causal self-attention" in c.aliases) for c in concepts] == [
        ("CausalSelfAttention", True)
    ]
    assert compact_key("MultiIndex") == compact_key("multi-index")


def test_the_bench_matches_names_aliases_and_counts_duplicates():
    gold = Gold(
        key=[{"causalselfattention"}, {"merge"}],
        acceptable=[{"gelu"}],
        names=["causal self-attention", "merge"],
    )
    listed = [
        {"name": "CausalSelfAttention", "aliases": []},
        {"name": "causal self attention", "aliases": []},
        {"name": "GELU", "aliases": []},
        {"name": "small idea", "aliases": []},
    ]
    result = judge(listed, gold)
    assert result == {
        "concepts": 4,
        "kept": 2,
        "precision": 0.5,
        "recall": 0.5,
        "duplicates": ["causal self attention"],
        "not_kept": ["small idea"],
        "missed": ["merge"],
    }
    assert normalise("pd.merge()") == "merge" and normalise("train.py") == "train"


LECTURE = b"""{"cells": [
 {"cell_type": "markdown", "metadata": {}, "source": ["## params"]},
 {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
  "source": ["def params(n_layer, d_model):\\n",
             "    \\"\\"\\"Estimate the number of parameters of a transformer.\\"\\"\\"\\n",
             "    per_layer = 12 * d_model * d_model\\n",
             "    total = n_layer * per_layer\\n",
             "    return total\\n",
             "\\n",
             "def helper(x):\\n",
             "    return x * 2\\n"]}
 ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"""


def test_a_lecture_notebooks_documented_functions_are_concepts():
    doc = read_bytes("sizing.ipynb", LECTURE)
    code = [(c.name, c.definition) for c in extract_concepts([doc]) if c.kind == "code"]
    assert code == [("params", "Estimate the number of parameters of a transformer.")]


def test_speakers_of_a_transcript_are_not_concepts():
    text = (
        b"# The interview\n\n"
        b"Karpathy: A token is the unit of text a language model reads and writes.\n\n"
        b"Host: And how many tokens does a model read?\n\n"
        b"Karpathy: Tokens are cheap now; Karpathy says so every week, and Karpathy means it.\n"
    )
    names = {c.name.lower() for c in extract_concepts([read_bytes("talk.md", text)])}
    assert "karpathy" not in names and "host" not in names
    assert "token" in names


def test_a_word_discussed_section_after_section_is_a_concept():
    """In the geometry textbook "square" is a key term of six sections, though too common in
    English to count as a key word by its frequency alone."""
    from pathlib import Path

    from teachback.benchmarks.concepts_textbook import load_sections, sections_document

    path = Path(__file__).resolve().parents[4] / "shared/data/prerequisites"
    rows = load_sections(path / "textbook_sections_dev.jsonl")
    domain = next(iter(rows))
    names = {c.name for c in extract_concepts([sections_document(rows[domain], domain)])}
    assert {"square", "plane", "rotation"} <= names  # "Rotations": a heading names a noun


GROUPBY = b"""# Grouping

## groupby: Split, Apply, Combine

A groupby operation splits the rows by a key, applies a function to each group and combines
the results into a new table.

### Split, Apply, Combine

The split step breaks the table apart; the apply step computes a sum; the combine step merges
the results. This is the whole idea behind grouping.
"""


def test_a_heading_that_lists_three_steps_names_a_process():
    names = {c.name for c in extract_concepts([read_bytes("groupby.md", GROUPBY)])}
    assert "split-apply-combine" in names
    assert not names & {"split", "apply", "combine"}


def test_a_heading_gives_its_topic_and_the_setting_it_is_taught_in():
    from teachback.ingest.concepts.headings import comment_label_terms, heading_terms

    assert heading_terms("Triangles in the Coordinate Plane") == ["Triangles", "Coordinate Plane"]
    assert heading_terms("Simple Aggregation in Pandas") == ["Aggregation", "Pandas"]
    assert heading_terms("Law of Cosines") == ["Law of Cosines"]
    assert comment_label_terms("# init a new model from scratch") == []


def test_an_evaluative_word_does_not_make_a_term():
    from teachback.ingest.concepts.lexicon import clean_term

    assert clean_term("good hash function") == "hash function"
    assert clean_term("appropriate baseline") == "baseline"
