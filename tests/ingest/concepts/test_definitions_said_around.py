"""Definitions said around the sentence that names a term: the sentence after one that only
names it, a comment of the code where no prose sentence says what it is, a gloss set before a
code name, the clause that glosses one of two terms of a sentence that points back."""

from __future__ import annotations

from pathlib import Path

import pytest

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.concepts.definitions import gloss_before, relative_gloss
from teachback.ingest.readers import load_sources, read_bytes

ESSAY = (
    "Some spines of a hedgehog reach the ceiling; others are barely visible.\n"
    "The second fracture Karpathy identifies is the one that makes this whole gap unfixable. "
    "AI researchers have a term for it: jagged frontier. It means AI capabilities aren't "
    "advancing as a smooth line moving upward: some directions have shot through the roof "
    "while others are still crawling on the floor.\n"
    "Two people may be standing on different points of the jagged frontier, and the jagged "
    "frontier explains why they argue.\n"
)


def test_a_sentence_that_only_names_a_term_takes_the_next_one_that_says_what_it_means():
    by_name = {c.name: c for c in extract_concepts([read_bytes("essay.txt", ESSAY.encode())])}
    assert by_name["jagged frontier"].definition == (
        "AI researchers have a term for it: jagged frontier. It means AI capabilities aren't "
        "advancing as a smooth line moving upward: some directions have shot through the roof "
        "while others are still crawling on the floor."
    )
    definition = next(e for e in by_name["jagged frontier"].evidence if e.role == "definition")
    assert definition.quote == by_name["jagged frontier"].definition


def test_a_gloss_before_a_code_name_and_a_relative_clause_are_clipped_from_their_sentence():
    s = "Feel free to tune the size of the network, the context length (`--block_size`), etc."
    a, b = gloss_before(s, ["block size"])
    assert s[a:b] == "the context length (`--block_size`)"
    assert gloss_before("The context length (`--block_size`) is 1024 tokens here.", ["x"]) is None
    s = (
        "Generally, they revolve around one of two strategies: using a *mask* that globally "
        "indicates missing values, or choosing a *sentinel value* that indicates a missing entry."
    )
    a, b = relative_gloss(s, ["masking", "mask"])
    assert s[a:b] == "using a *mask* that globally indicates missing values"
    a, b = relative_gloss(s, ["sentinel value", "sentinel values"])
    assert s[a:b] == "choosing a *sentinel value* that indicates a missing entry"
    # a sentence that reads on its own keeps its subject
    own = "Pandas uses a *sentinel value* that indicates a missing entry."
    assert relative_gloss(own, ["sentinel value"]) is None


NANOGPT = Path(__file__).resolve().parents[3].parent / "shared/data/dev_sources/nanogpt"
PANDAS = NANOGPT.parent / "pandas-notebooks"


@pytest.mark.skipif(not NANOGPT.is_dir(), reason="needs ../shared/data/dev_sources")
def test_terms_the_code_comments_explain_are_defined_by_those_comments():
    docs = load_sources([str(NANOGPT)]).documents
    by_name = {c.name.lower(): c for c in extract_concepts(docs)}
    texts = {d.path: d.text for d in docs}
    assert by_name["gradient accumulation"].definition == "used to simulate larger batch sizes"
    assert by_name["flash attention"].definition == (
        "efficient attention using Flash Attention CUDA kernels"
    )
    assert by_name["mfu"].definition == (
        "estimate model flops utilization (MFU) in units of A100 bfloat16 peak FLOPS"
    )
    assert by_name["block size"].definition == "the context length (`--block_size`)"
    for name in ("gradient accumulation", "flash attention", "mfu"):
        cited = by_name[name].evidence[0]
        assert cited.role == "definition"
        assert cited.quote == texts[cited.source][cited.start : cited.end]
        assert cited.quote == by_name[name].definition


@pytest.mark.skipif(not PANDAS.is_dir(), reason="needs ../shared/data/dev_sources")
def test_two_terms_glossed_in_one_sentence_get_one_clause_each():
    by_name = {c.name.lower(): c for c in extract_concepts(load_sources([str(PANDAS)]).documents)}
    assert by_name["masking"].definition == "using a *mask* that globally indicates missing values"
    assert by_name["sentinel value"].definition == (
        "choosing a *sentinel value* that indicates a missing entry"
    )


SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"


def test_a_term_glossed_inside_another_terms_definition_gets_its_gloss():
    by_name = {c.name: c for c in extract_concepts(load_sources([str(SAMPLES)]).documents)}
    # "A **key-value pair** is a piece of data made of a key, which names the item, and a
    # value, which is the information stored under that name."
    assert by_name["key"].definition == "a key, which names the item"
    assert by_name["key-value pair"].definition.startswith("A **key-value pair** is a piece of")
    # a glossary item's list mark is not part of the definition
    assert by_name["rehashing"].definition == (
        "**Rehashing**: recomputing every key's bucket after the capacity changes."
    )


SOURCES = Path(__file__).resolve().parents[3].parent / "shared/sources"


@pytest.mark.skipif(not SOURCES.is_dir(), reason="needs ../shared/sources")
def test_a_sentence_that_only_reports_what_someone_calls_a_thing_does_not_define_it():
    by_name = {c.name: c for c in extract_concepts(load_sources([str(SOURCES)]).documents)}
    # "Karpathy says this group is experiencing what he calls “AI Psychosis.”" (which group?),
    # and no sentence after it says what it means
    assert by_name["AI psychosis"].definition == ""
    assert all(e.role == "mention" for e in by_name["AI psychosis"].evidence)
    assert by_name["jagged frontier"].definition.endswith("still crawling on the floor.")
