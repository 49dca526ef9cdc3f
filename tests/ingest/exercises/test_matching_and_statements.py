# ruff: noqa: E501  (realistic source text has long lines)
"""Facts a concept's exercises may ask besides "X is a ...": what a defining sentence says the
concept does (a matching description), a property with the reason the source gives for it (a
statement), and its neighbours' definitions that name it (a cloze). Sources go through the real
Markdown reader."""

from __future__ import annotations

from pathlib import Path

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises.context import ConceptView
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds import cloze, multiple_choice, short_answer
from teachback.ingest.exercises.kinds.matching import _description, generate
from teachback.ingest.exercises.selfcheck import teacher_problems
from teachback.ingest.readers import load_sources

PROBING = """# Open addressing

## Probing rules

Quadratic probing tries `i + 1`, `i + 4`, `i + 9`, and so on, and double hashing uses a second hash function to choose the step size.
The birthday paradox shows how soon they arrive in a table with many keys.
Linear probing is fast in practice because neighbouring buckets sit next to each other in memory.
Deletion is the subtle part of open addressing in every table.
"""

BUCKETS = """# Tables

## Buckets

A bucket is the place in the table's array where entries are kept.
A tombstone is a special marker left in a bucket whose entry was deleted.
A chain is a small list of the entries whose keys hash to one bucket.
A probe visits one bucket of the array after another in a fixed order.
A resize moves every entry into a bucket of a new, larger array.
"""


def _views(tmp_path: Path, text: str, names: list[str]) -> dict[str, ConceptView]:
    """Views of ``names``, each defined (as the extractor does) by the first sentence that
    names it."""
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    docs = load_sources([str(path)]).documents
    lines = text.splitlines()
    concepts = [
        ConceptDraft(name=n, definition=next(x for x in lines if n in x.lower()), kind="term")
        for n in names
    ]
    corpus = Corpus.of(docs)
    return {c.name: ConceptView(c, concepts, corpus, docs) for c in concepts}


def test_a_matching_description_is_what_the_concept_does_in_its_own_clause(tmp_path):
    views = _views(tmp_path, PROBING, ["quadratic probing", "double hashing", "birthday paradox"])
    described = {name: _description(v) for name, v in views.items()}
    assert described["quadratic probing"][0] == "tries `i + 1`, `i + 4`, `i + 9`, and so on"
    assert described["double hashing"][0] == ("uses a second hash function to choose the step size")
    # "shows how soon they arrive": "they" is in the text around it, not in the description
    assert described["birthday paradox"] is None


def test_a_judgement_is_a_statement_only_with_the_reason_the_source_gives(tmp_path):
    views = _views(tmp_path, PROBING, ["linear probing", "deletion"])
    assert [d.sentence.clean for d in views["linear probing"].statements] == [
        "Linear probing is fast in practice because neighbouring buckets sit next to each other in memory."
    ]
    assert views["deletion"].statements == []


def test_a_cloze_on_a_neighbours_definition_is_about_the_neighbour(tmp_path):
    views = _views(tmp_path, BUCKETS, ["bucket", "tombstone", "chain", "probe", "resize"])
    uses = [d.sentence.clean for d in views["bucket"].uses]
    assert uses == [
        "A chain is a small list of the entries whose keys hash to one bucket.",
        "A tombstone is a special marker left in a bucket whose entry was deleted.",
        "A resize moves every entry into a bucket of a new, larger array.",
    ]
    # "A chain is a small list of the entries whose keys hash to one _____." asks for a word
    # of the chain's definition, not what a bucket is: the teacher's reading rejects it
    made = [ex for ex in cloze.generate(views["bucket"]) if ex.data["sentence"] in uses]
    assert made
    for ex in made:
        assert [r.split(":")[0] for r in teacher_problems(ex)] == ["off_topic"], ex.prompt


JOINS = """# Merge and join

## Types of joins

By default, the result contains the intersection of the two sets of inputs; this is what is known as an inner join.
An outer join returns a join over the union of the input columns, and fills in all missing values with NAs.
Many-to-one joins are joins in which one of the two key columns contains duplicate entries.
A data frame is a table of columns, and a single-column data frame can be made from one series.
"""


def test_a_matching_of_joins_asks_the_joins_apart(tmp_path):
    names = ["inner join", "outer join", "many-to-one join", "data frame"]
    views = _views(tmp_path, JOINS, names)
    # the name given to a clause ("...; this is what is known as an inner join") is
    # described by that clause
    assert _description(views["inner join"])[0] == (
        "the result contains the intersection of the two sets of inputs"
    )
    (matching,) = generate(views["inner join"])
    # the joins, not the data frame, whose description names it
    assert sorted(matching.data["terms"]) == ["inner join", "many-to-one join", "outer join"]


GLOSSARY = """# Missing data

## Operating on null values

Pandas has several useful methods for detecting, removing, and replacing null values:

- ``isnull``: Generates a Boolean mask indicating missing values
- ``dropna``: Returns a filtered version of the data
- ``fillna``: Returns a copy of the data with missing values filled or imputed

## Career choice

- Career Choice: Working in a frontier laboratory is not free for anyone.
"""


def test_a_glossary_entry_of_what_a_method_does_defines_it(tmp_path):
    views = _views(tmp_path, GLOSSARY, ["isnull", "dropna", "fillna", "career choice"])
    fillna = views["fillna"]
    assert [d.predicate for d in fillna.teaching] == [
        "Returns a copy of the data with missing values filled or imputed"
    ]
    (asked,) = [ex for ex in short_answer.generate(fillna) if ex.data["variant"] == "what"]
    assert asked.prompt == "In your own words, what does **fillna** do?"
    # (the reST code mark shown as Markdown's)
    assert asked.answer == (
        "`fillna` returns a copy of the data with missing values filled or imputed"
    )
    # a topic label over a claim is still not a definition
    assert views["career choice"].teaching == []


def test_a_cloze_has_one_blank_and_never_two():
    from teachback.ingest.exercises.kinds.cloze import _blank_out
    from teachback.ingest.exercises.text import term_regex

    both = term_regex(["isnull", "notnull"])  # (one concept under two names)
    sentence = "Pandas has two methods for detecting null data: `isnull` and `notnull`."
    assert _blank_out(sentence, both) is None
    # the same name twice is two holes for one answer box, or one hole beside the name
    assert _blank_out("A bucket holds entries; buckets are slots.", term_regex(["bucket"])) is None
    assert _blank_out("A bucket holds entries.", term_regex(["bucket"])) == (
        "A _____ holds entries.",
        "bucket",
    )
    multi = term_regex(["MultiIndex", "multi-index"])
    assert (
        _blank_out(
            "Our tuple-based indexing is essentially a rudimentary multi-index, and the Pandas "
            "`MultiIndex` type gives us the types of operations we wish to have.",
            multi,
        )
        is None
    )


PARTS = """# Tables

## Parts of a table

A slot is one numbered place in the table's array.
A tombstone is a special marker left where an entry was deleted.
A chain is a small list of the entries that share one place.
A probe is one look at a place during a search.
A resize moves every entry into a new, larger array.
"""


def test_a_matching_pairs_only_terms_taught_at_or_before_its_concept(tmp_path):
    names = ["slot", "tombstone", "chain", "probe", "resize"]
    views = _views(tmp_path, PARTS, names)
    for view in views.values():  # introduced in the order of the text, as the extractor says
        view.concept.first_seen = (0, PARTS.index(view.concept.definition))
    (chain,) = generate(views["chain"])
    assert sorted(chain.data["terms"]) == ["chain", "slot", "tombstone"]
    # the first concepts of the section have too few taught terms beside them to match
    assert generate(views["slot"]) == [] and generate(views["tombstone"]) == []
    (probe,) = generate(views["probe"])
    assert "resize" not in probe.data["terms"] and len(probe.data["terms"]) >= 3


def test_distractors_taught_by_now_come_first_among_the_close_ones(tmp_path):
    names = ["slot", "tombstone", "chain", "probe", "resize"]
    views = _views(tmp_path, PARTS, names)
    for view in views.values():
        view.concept.first_seen = (0, PARTS.index(view.concept.definition))
    c = {n: v.concept for n, v in views.items()}
    ranked = [(c["resize"], 0.9), (c["slot"], 0.8), (c["chain"], 0.7), (c["tombstone"], 0.2)]
    ordered = views["probe"].taught_first(ranked, within=3)
    # resize is taught after probe: behind slot and chain; tombstone, taught but far less
    # related, stays where it was
    assert [x.name for x, _ in ordered] == ["slot", "chain", "resize", "tombstone"]


COLLISIONS = """# Collisions

A collision is the situation where two different keys are assigned the same bucket index.

So every hash table needs a collision resolution strategy: a rule for where the second key
goes when its bucket is already taken.
"""


def test_a_term_named_only_inside_a_longer_options_name_is_not_named(tmp_path):
    path = tmp_path / "collisions.md"
    path.write_text(COLLISIONS, encoding="utf-8")
    corpus = Corpus.of(load_sources([str(path)]).documents)
    rule = "a rule for where the second key goes when its bucket is already taken"
    options = ["collision", "collision resolution"]
    # "collision" stands in the rule's sentence only as part of "collision resolution": the
    # reader of a matching or a which-term question must not take it for that description
    # (it found both at 1.00: "ambiguous")
    weak, where = multiple_choice._option_support_term(corpus, rule, "collision", options)
    strong, _ = multiple_choice._option_support_term(corpus, rule, "collision resolution", options)
    assert where.clean.startswith("A collision is the situation")
    assert (round(weak, 2), round(strong, 2)) == (0.38, 1.0)


def test_in_a_sentence_of_two_claims_a_description_belongs_to_the_term_of_its_clause(tmp_path):
    path = tmp_path / "probing.md"
    path.write_text(PROBING, encoding="utf-8")
    corpus = Corpus.of(load_sources([str(path)]).documents)
    uses = "uses a second hash function to choose the step size"
    tries = "tries `i + 1`, `i + 4`, `i + 9`, and so on"
    options = ["quadratic probing", "double hashing"]

    def support(clue: str, option: str) -> float:
        return round(multiple_choice._option_support_term(corpus, clue, option, options)[0], 2)

    # (the whole sentence covered both descriptions for both terms, and the term named first
    # won: matching double hashing to "uses a second hash function" was rejected, 1.00 vs 0.80)
    assert (support(uses, "double hashing"), support(uses, "quadratic probing")) == (1.0, 0.0)
    assert (support(tries, "quadratic probing"), support(tries, "double hashing")) == (1.0, 0.0)
