"""What counts as the material teaching a term, and which sentence says what it is: a prose
term stays a term beside the function that computes it; a mention of who coined a name, a
table's column, a channel's handle and an image's alt text teach nothing; a comment right
above an undocumented function documents it."""

from __future__ import annotations

from pathlib import Path

import pytest

from teachback.ingest.concepts import definitional_terms, extract_concepts
from teachback.ingest.readers import load_sources, read_bytes

NOTES = b"""# Load factor

How full a table is decides how often keys collide. The **load factor** is the number of
stored entries divided by the number of buckets. A table with 6 entries in 8 buckets has a
load factor of 0.75, and a table keeps its load factor low by growing.
"""

HASHING = b'''"""Hash helpers."""


def load_factor(entries: int, buckets: int) -> float:
    """The load factor: stored entries divided by the number of buckets."""
    return entries / buckets
'''


def test_a_prose_term_stays_a_term_beside_the_function_that_computes_it():
    docs = [read_bytes("notes.md", NOTES), read_bytes("hashing.py", HASHING)]
    by_name = {c.name: c for c in extract_concepts(docs)}
    assert "load_factor" not in by_name
    term = by_name["load factor"]
    assert term.kind == "term"
    assert term.definition == (
        "The **load factor** is the number of stored entries divided by the number of buckets."
    )
    assert sorted(term.aliases) == ["hashing.load_factor", "load_factor"]


def test_naming_who_coined_a_name_does_not_define_it():
    assert definitional_terms("Note the person who coined Vibe Coding (we covered it).") == []
    assert definitional_terms("In 2025 she coined the term vibe coding.") == [("vibe coding", 0.9)]


README = b"""# Results

Training runs on the small dataset take minutes. The baselines we reach:

| model | params | train loss | val loss |
| ------| ------ | ---------- | -------- |
| tiny  | 10M    | 1.2        | 1.3      |

For more questions feel free to stop by **#tinyGPT** on Discord:

![tinyGPT](assets/logo.jpg)

The tinyGPT repository trains small character-level models on a laptop, and tinyGPT keeps
its code short on purpose. Training tinyGPT takes minutes.
"""

TRAIN = b'''"""Training script."""
best_val_loss = 1e9


# learning rate decay scheduler (cosine with warmup)
def get_lr(it):
    return 6e-4 * it


# unrelated note about the loop

def get_batch(split):
    return split
'''


def test_a_table_column_a_handle_and_an_image_teach_nothing():
    docs = [read_bytes("README.md", README), read_bytes("train.py", TRAIN)]
    by_name = {c.name.lower(): c for c in extract_concepts(docs)}
    assert "val loss" not in by_name  # only a column of the results table names it
    definition = by_name["tinygpt"].definition
    assert "Discord" not in definition and "![" not in definition


def test_a_comment_right_above_an_undocumented_function_documents_it():
    docs = [read_bytes("README.md", README), read_bytes("train.py", TRAIN)]
    by_name = {c.name: c for c in extract_concepts(docs)}
    assert by_name["get_lr"].definition == "learning rate decay scheduler (cosine with warmup)"
    assert "get_batch" not in by_name  # a blank line parts the comment from the function


NANOGPT = Path(__file__).resolve().parents[3].parent / "shared/data/dev_sources/nanogpt"


@pytest.mark.skipif(not NANOGPT.is_dir(), reason="needs ../shared/data/dev_sources")
def test_a_name_that_recurs_only_in_lists_and_comments_is_not_taught():
    names = {c.name.lower() for c in extract_concepts(load_sources([str(NANOGPT)]).documents)}
    # "- `transformers` for huggingface transformers", "# takes 54GB in huggingface .cache
    # dir": a dependency; OpenWebText recurs in the README's sentences.
    assert "huggingface" not in names
    assert "openwebtext" in names


GROUPING = NANOGPT.parent / "pandas-notebooks/03.08-Aggregation-and-Grouping.ipynb"


@pytest.mark.skipif(not GROUPING.is_file(), reason="needs ../shared/data/dev_sources")
def test_a_step_of_a_named_process_is_taught_with_the_process():
    names = {c.name.lower() for c in extract_concepts(load_sources([str(GROUPING)]).documents)}
    # "- The *combine* step merges the results of these operations into an output array."
    assert "split-apply-combine" in names
    assert "combine" not in names


@pytest.mark.skipif(not GROUPING.is_file(), reason="needs ../shared/data/dev_sources")
def test_the_kind_of_named_things_is_not_a_concept_of_its_own():
    docs = load_sources([str(GROUPING.parent)]).documents
    names = {c.name.lower() for c in extract_concepts(docs)}
    # "`Series` objects", "Pandas objects", "a `GroupBy` object": the named things are taught
    assert "object" not in names
    assert {"dataframe", "series", "groupby"} <= names


def _definitions(text: bytes) -> dict[str, str]:
    return {c.name.lower(): c.definition for c in extract_concepts([read_bytes("post.txt", text)])}


STORY = """{title}

Engineers at the company argue about their tools every week, and the argument never ends.
The company sells two products to two very different kinds of customers. {sentence} Its
customers run Codex on large codebases, where Codex restructures modules, writes tests and
fixes builds. Engineers who tried Codex last year still judge Codex by that first impression.
"""


def test_a_metaphor_for_a_named_thing_is_no_definition():
    agent = STORY.format(title="Coding agents", sentence="Codex is a coding agent.")
    agent += "An agent plans and edits files; a good agent runs the tests as well.\n"
    quip = STORY.format(title="Two products", sentence="Codex is a B2B money printer.")
    assert _definitions(agent.encode())["codex"] == "Codex is a coding agent."
    assert _definitions(quip.encode()).get("codex", "") != "Codex is a B2B money printer."


@pytest.mark.skipif(not NANOGPT.is_dir(), reason="needs ../shared/data/dev_sources")
def test_a_name_set_in_capitals_and_used_again_is_marked():
    names = {c.name.lower() for c in extract_concepts(load_sources([str(NANOGPT)]).documents)}
    # "# efficient attention using Flash Attention CUDA kernels", "# flash attention make GPU
    # go brrrrr": the technique the code's fast path uses
    assert "flash attention" in names


def test_capitals_of_a_link_a_person_or_printed_data_mark_nothing():
    text = b"""# Notes

We follow the approach of Andrej Karpathy here, as Andrej Karpathy explains it in his talk.
The details are in [Handling Missing Data](missing.ipynb), and Handling Missing Data is the
next chapter; the model keeps its answers short and its tests pass on every small change.
"""
    names = {c.name.lower() for c in extract_concepts([read_bytes("notes.md", text)])}
    assert not {"andrej karpathy", "handling missing data"} & names


PODCAST = NANOGPT.parents[2] / "sources/karpathy-podcast-agents.txt"


@pytest.mark.skipif(not PODCAST.is_file(), reason="needs ../shared/sources")
def test_an_everyday_phrase_always_in_scare_quotes_is_no_term():
    names = {c.name.lower() for c in extract_concepts(load_sources([str(PODCAST)]).documents)}
    # 'I'm in a state of “mental disorder,”' three times, never plainly
    assert "mental disorder" not in names
    # 'the “personality” of the model', then 'Claude has a good personality.'
    assert "personality" in names


ATTENTION = b'''"""A small attention layer."""
import torch


class Attention(torch.nn.Module):
    """Self-attention over a sequence."""

    def __init__(self, size):
        super().__init__()
        # causal mask to ensure that attention is only applied to the left in the sequence
        self.register_buffer("bias", torch.tril(torch.ones(size, size)))

    def forward(self, att):
        # apply softmax to convert the scores to probabilities
        return torch.softmax(att.masked_fill(self.bias == 0, float("-inf")), dim=-1)
'''


def test_a_comment_that_names_a_thing_and_its_purpose_defines_it():
    by_name = {c.name: c for c in extract_concepts([read_bytes("attention.py", ATTENTION)])}
    assert by_name["causal mask"].definition == (
        "causal mask to ensure that attention is only applied to the left in the sequence"
    )
    assert "apply softmax" not in by_name  # an instruction, not a thing named


@pytest.mark.skipif(not NANOGPT.is_dir(), reason="needs ../shared/data/dev_sources")
def test_a_thing_named_by_its_kind_and_its_name_is_one_concept():
    nano = {c.name.lower(): c for c in extract_concepts(load_sources([str(NANOGPT)]).documents)}
    # "# adamw optimizer", "# Create AdamW optimizer ...", "# optimizer": the only optimizer
    assert "optimizer" not in nano
    assert "optimizer" in nano["adamw optimizer"].aliases
    samples = Path(__file__).resolve().parents[3] / "data/samples"
    names = {c.name for c in extract_concepts(load_sources([str(samples)]).documents)}
    assert {"load factor", "maximum load factor"} <= names  # an everyday modifier
