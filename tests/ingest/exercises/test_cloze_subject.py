"""A cloze asks for what its sentence is about (``quality/blanks.py``, ``kinds/cloze.py``): not a
word of a sentence about something else, not a run time, not a part of another term's
definition asked once per part; its accepted forms name the same thing, no invented plurals;
a proper name written in prose is not blanked."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises import generate_checked, make_exercises
from teachback.ingest.exercises.kinds.cloze import _accepted
from teachback.ingest.exercises.quality.blanks import not_defining_sentence, not_its_subject
from teachback.ingest.exercises.text import inflections
from teachback.ingest.readers import load_sources


def test_the_blanked_term_must_be_what_the_sentence_is_about():
    assert (
        not_its_subject(
            "A _____ happens when two different keys land in the same bucket.", "collision"
        )
        == ""
    )
    assert (
        not_its_subject("While indexing refers to columns, _____ refers to rows.", "slicing") == ""
    )
    assert (
        not_its_subject(
            "Resizing is allocating a new, larger bucket _____, usually twice the old capacity.",
            "array",
        )
        == "the sentence is about something else: the blank asks for the word 'array'"
    )


def test_a_blank_in_a_reason_for_the_main_clause_is_not_its_subject():
    assert (
        not_its_subject(
            "Because the _____ grows as entries are added, a hash table must grow too.",
            "load factor",
        )
        == "the blank is in a clause that gives a reason or a condition for something else"
    )
    # a contrast of two subjects asks about both
    assert (
        not_its_subject(
            "While _____ must return a reduced version of the data, transformation can return "
            "some transformed version of the full data.",
            "aggregation",
        )
        == ""
    )


def test_a_run_time_or_too_little_said_does_not_pin_the_term():
    assert (
        not_its_subject(
            "_____ can take very little time, e.g. on a single GPU just a few minutes.",
            "Finetuning",
        )
        == "a fact about how long something takes, not what it is or does"
    )
    assert (
        not_its_subject(
            "For non-embedding count (default), the _____ get subtracted.", "position embeddings"
        )
        == "the sentence says too little of 'position embeddings' to pin it"
    )


def test_a_cost_in_steps_or_a_gloss_ending_the_sentence_is_a_fact_of_the_term():
    assert (
        not_its_subject(
            "An _____ is a block of numbered slots in memory, and reading slot number i takes the "
            "same short time whether i is 3 or 3,000,000.",
            "array",
        )
        == ""
    )
    assert (
        not_its_subject(
            "The search is called probing, and the sequence of buckets it visits is the "
            "key's _____.",
            "probe sequence",
        )
        == ""
    )
    assert not_its_subject("`_____` gives us a few ways to handle it.", "pd.concat") == (
        "what it says leans on 'it'/'this', which the sentence does not name"
    )


def test_a_category_of_things_admits_each_kind_of_them():
    prompt = "At a very basic level, _____ can be thought of as enhanced versions of NumPy arrays."
    assert not_its_subject(prompt, "Pandas objects") == (
        "'Pandas objects' names a category: a member of it fits the blank as well"
    )
    assert (
        not_its_subject("A _____ must be deterministic and spread keys apart.", "hash function")
        == ""
    )


def test_the_parts_of_another_terms_definition_are_not_asked_one_by_one():
    sentence = (
        "A key-value pair is a piece of data made of a key, which names the item, and a value, "
        "which is the information stored under that name."
    )
    for part in ("key", "value"):
        prompt = sentence.replace(f"a {part},", "a _____,", 1)
        assert not_its_subject(prompt, part) == (
            f"the sentence defines 'key-value pair', not {part!r}"
        )


def test_a_second_key_term_is_blanked_only_in_the_concepts_own_definition():
    assert (
        not_defining_sentence(
            "Rehashing is recomputing the _____ of every existing key for the new capacity.",
            ["rehashing"],
            "bucket",
        )
        == ""
    )
    assert (
        not_defining_sentence(
            "Indices are aligned irrespective of their order in the two _____.",
            ["index"],
            "objects",
        )
        == "the blank asks for 'objects', a word any sentence could hold"
    )


def test_accepted_forms_name_the_same_thing_without_invented_plurals():
    names = ["object", "Pandas object", "Python object"]
    assert _accepted(names, "Pandas objects") == [
        "Pandas object", "Pandas objects", "Pandas-object", "Pandas-objects", "object",
        "objects", "pandas object", "pandas objects", "pandas-object", "pandas-objects",
    ]  # fmt: skip
    assert _accepted(["stack", "unstack"], "unstack") == ["unstack", "unstacks"]
    assert _accepted(["concatenation", "pd.concat", "concat"], "pd.concat") == [
        "concat", "concats", "pd.concat", "pd.concats",
    ]  # fmt: skip
    # the call without its module, though no name of the concept spells it so
    assert _accepted(["pd.merge"], "pd.merge") == ["merge", "merges", "pd.merge", "pd.merges"]
    assert sorted(inflections("keys")) == ["key", "keys"]
    assert sorted(inflections("axis")) == ["axes", "axis"]


def test_a_proper_name_in_prose_is_not_blanked(tmp_path):
    text = (
        "# Tools\n\n## Codex\n\n"
        "Codex is a coding agent that edits a whole repository from one request.\n"
        "Teams use Codex to restructure a codebase in an hour of unattended work.\n"
        "Many engineers now ask Codex to write the tests for every new feature.\n"
    )
    path = tmp_path / "tools.md"
    path.write_text(text, encoding="utf-8")
    docs = load_sources([str(path)]).documents
    codex = ConceptDraft(
        name="Codex", definition="Codex is a coding agent that edits a whole repository.",
        kind="term",
    )  # fmt: skip
    kept, rejected = generate_checked(codex, [codex], docs)
    assert [ex.prompt for ex in kept + rejected if ex.kind == "cloze"] == []


HASHES = """# Hash tables

## Tables

An **associative array** is a collection of key-value pairs that supports insert and delete.
It is also called a *map* or a *dictionary*.
A **hash table** is an associative array that uses a hash function to find the bucket of a key.
A **bucket** is the place in the table's array where the entries whose keys map to it are kept.
Every bucket holds the entries whose keys hash to it, in the order they were inserted.

## Glossary

- **Bucket**: one slot of the table's array.
"""


def test_a_blank_asks_for_its_own_concept_and_accepts_the_sources_other_words(tmp_path):
    path = tmp_path / "hashes.md"
    path.write_text(HASHES, encoding="utf-8")
    docs = load_sources([str(path)]).documents
    concepts = [
        ConceptDraft(name="associative array", definition="", kind="term"),
        ConceptDraft(name="hash table", definition="", kind="term"),
        ConceptDraft(name="bucket", definition="", kind="term"),
    ]
    clozes = {
        c.name: [ex for ex in make_exercises(c, concepts, docs) if ex.kind == "cloze"]
        for c in concepts
    }
    # never a neighbour blanked in the concept's sentence ("... to find the _____ of a key")
    assert {ex.answer for ex in clozes["hash table"]} == {"hash table"}
    assert [ex.prompt.count("_____") for ex in sum(clozes.values(), [])] == [1] * sum(
        map(len, clozes.values())
    )
    bucket = next(ex for ex in clozes["bucket"] if ex.prompt.startswith("Fill in the blank: Every"))
    assert {"slot", "slots", "bucket", "buckets"} <= set(bucket.data["accepted"])
    array = clozes["associative array"][0]
    assert {"map", "dictionary", "dictionaries"} <= set(array.data["accepted"])
    assert "hash table" not in array.data["accepted"]  # (a wider name is not another word)
