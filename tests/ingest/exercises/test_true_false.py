# ruff: noqa: E501  (realistic source text has long lines)
"""True/false statements: the falses a teacher would hand out (a direction or a number changed
in the claim, never inside code, never a word whose partner needs other grammar), and keys that
stay balanced per concept. Sources go through the real Markdown reader."""

from __future__ import annotations

from pathlib import Path

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises import generate_checked, make_exercises
from teachback.ingest.exercises.context import ConceptView
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.true_false.asking import false_first
from teachback.ingest.exercises.kinds.true_false.falsify import _change
from teachback.ingest.readers import load_sources

NOTES = """# Tables

## Buckets

A lookup stops at an empty bucket but walks past tombstones.
Linear probing is fast in practice because neighbouring buckets sit next to each other in memory.
The amortized cost of an insert is constant, written O(1), even though one insert may be slow.
Quadratic probing tries `i + 1`, `i + 4`, `i + 9`, and so on, after a collision in a table.
A key must never change while it is stored in a table.
A data frame has row and column labels that name its cells for every lookup.
The `columns` attribute of a data frame holds the column labels of the table.
"""


JOINS = """# Joins

## Outer joins

An outer join is a join that returns the union of the input columns of both tables.
An outer join is slower than an inner join on large tables with many keys.
An outer join fills every missing value with NaN and keeps every row of both tables.
An outer join keeps the first index of the left table in its result.
"""


def _view(tmp_path: Path, name: str, text: str = NOTES) -> ConceptView:
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    docs = load_sources([str(path)]).documents
    concept = ConceptDraft(name=name, definition="", kind="term")
    return ConceptView(concept, [concept], Corpus.of(docs), docs)


def _changed(tmp_path: Path, name: str, sentence: str):
    return _change(_view(tmp_path, name), sentence)


def test_a_direction_changes_every_use_of_the_word_and_its_article(tmp_path):
    assert _changed(
        tmp_path, "lookup", "A lookup stops at an empty bucket: an empty bucket ends it."
    ) == ("A lookup stops at a full bucket: a full bucket ends it.", "direction")
    assert _changed(
        tmp_path,
        "linear probing",
        "Linear probing is fast in practice because neighbouring buckets sit close.",
    ) == ("Linear probing is slow in practice because neighbouring buckets sit close.", "direction")


def test_no_change_inside_code_a_growth_rate_or_a_coordinated_pair(tmp_path):
    # the number in `i + 1` is code, and O(1) is a growth rate: nothing left to change
    assert (
        _changed(tmp_path, "quadratic probing", "Quadratic probing tries `i + 1`, `i + 4` in turn.")
        is None
    )
    assert _changed(tmp_path, "amortized cost", "The amortized cost is O(1) per insert.") is None
    # "row and column labels" read the same exchanged
    assert _changed(tmp_path, "data frame", "A data frame has row and column labels.") is None
    assert _changed(
        tmp_path, "data frame", "The `columns` attribute of a data frame holds the column labels."
    ) == ("The `columns` attribute of a data frame holds the row labels.", "direction")


def test_never_is_not_turned_into_always(tmp_path):
    assert _changed(tmp_path, "key", "A key must never change while it is stored.") is None


def test_a_concepts_keys_differ_by_one_at_most(tmp_path):
    view = _view(tmp_path, "outer join", JOINS)
    made = [ex for ex in make_exercises(view.concept, view.concepts, view.documents)]
    tf = [ex for ex in made if ex.kind == "true_false"]
    assert tf, [ex.prompt for ex in made]
    trues = sum(ex.answer is True for ex in tf)
    assert abs(trues - (len(tf) - trues)) <= 1
    kept, rejected = generate_checked(view.concept, view.concepts, view.documents)
    for ex in rejected:  # every rejected exercise says why
        assert ex.self_check.reasons and ":" in ex.self_check.reasons[0]


KINDS = """# Joins

## Kinds of join

The result keeps only the records whose keys appear in both tables; this is what is known as an inner join.
The result keeps the records whose keys appear in either table and fills the gaps; this is what is known as an outer join.
"""


def test_a_siblings_definition_said_of_the_concept_is_its_false(tmp_path):
    """A definition not of the form "X is a ..." names no sort: siblings by the head word of
    their names ("inner join", "outer join"), the one's definition said of the other is a
    plausible false, citing the sibling's sentence."""
    path = tmp_path / "joins.md"
    path.write_text(KINDS, encoding="utf-8")
    docs = load_sources([str(path)]).documents
    # as concept extraction gives them: each with its defining sentence
    lines = KINDS.splitlines()[4:6]
    concepts = [
        ConceptDraft(name=n, definition=d, kind="term")
        for n, d in zip(("inner join", "outer join"), lines, strict=True)
    ]
    outer = concepts[1]
    kept, rejected = generate_checked(outer, concepts, docs)
    tf = [ex for ex in kept + rejected if ex.kind == "true_false"]
    assert [(ex.answer, ex.prompt) for ex in tf] == [
        (
            False,
            "True or false: The result keeps only the records whose keys appear in both tables; "
            "this is what is known as an outer join.",
        )
    ]
    # (two sentences this parallel leave the reader unsure here; either way it says why)
    assert tf[0].self_check.reasons
    assert tf[0].citations[0].quote.startswith("The result keeps only the records")


def test_a_word_explained_right_after_it_is_not_turned_round(tmp_path):
    # "random (the same key always gives the same number)" would contradict itself
    assert (
        _changed(
            tmp_path,
            "hash function",
            "A hash function must be deterministic (the same key always gives the same number).",
        )
        is None
    )


PLURALS = """# Joins

## Kinds of joins

Many-to-one joins are joins in which one of the two key columns contains duplicate entries.
An inner join is a join that keeps only the rows whose keys appear in both tables.
"""


def test_a_siblings_plural_definition_said_of_the_concept_agrees_in_number(tmp_path):
    from teachback.ingest.exercises.kinds.true_false.falsify import _confuse

    path = tmp_path / "plurals.md"
    path.write_text(PLURALS, encoding="utf-8")
    docs = load_sources([str(path)]).documents
    concepts = [
        ConceptDraft(name="inner join", definition="", kind="term"),
        ConceptDraft(name="many-to-one join", definition="", kind="term"),
    ]
    corpus = Corpus.of(docs)
    inner, many = (ConceptView(c, concepts, corpus, docs) for c in concepts)
    sentence = PLURALS.splitlines()[4]
    assert _confuse(inner, many, sentence) == (
        "Inner joins are joins in which one of the two key columns contains duplicate entries."
    )


BIRDS = """# Garden birds

A {name} is a songbird with a red breast that eats worms and berries.
Robins sing at dawn from the top of a tree or a fence.

## More about it

The {name} is a thrush that lives in the gardens of Europe.
"""


def _tf_alone(tmp_path: Path, name: str) -> list:
    path = tmp_path / "birds.md"
    path.write_text(BIRDS.format(name=name), encoding="utf-8")
    docs = load_sources([str(path)]).documents
    definition = f"A {name} is a songbird with a red breast that eats worms and berries."
    concepts = [ConceptDraft(name=name, definition=definition, kind="term")]
    kept, _ = generate_checked(concepts[0], concepts, docs)
    return [(ex.prompt, ex.answer) for ex in kept if ex.kind == "true_false"]


def test_a_defining_sentence_with_no_false_twin_is_asked_true_by_the_coin(tmp_path):
    # No direction, number or sibling to make a false of the second defining sentence: it is
    # asked true for half of such concepts (the coin's other side asks the lone falses), so
    # the two offset each other across a curriculum
    assert not false_first("robin") and false_first("finch")
    assert _tf_alone(tmp_path, "robin") == [
        ("True or false: The robin is a thrush that lives in the gardens of Europe.", True)
    ]
    assert _tf_alone(tmp_path, "finch") == []
