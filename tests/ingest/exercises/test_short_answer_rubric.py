"""The rubric a short answer carries: the phrases of its reference that name what the concept is
or involves, never hedges, manners, bare verbs or the question's own words."""

from __future__ import annotations

import pytest

from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.short_answer import key_points
from teachback.ingest.readers import load_sources

RESIZING = (
    "Resizing is allocating a new, larger bucket array, usually twice the old capacity, and "
    "moving every entry into it."
)
FINETUNING = (
    "Finetuning is no different than training, we just make sure to initialize from a "
    "pretrained model and train with a smaller learning rate."
)
PROBING = (
    "The search is called probing, and the sequence of buckets it visits is the key's probe "
    "sequence."
)
COLLISIONS = (
    "Every hash table needs a collision resolution strategy: a rule for where the second key "
    "goes when its bucket is already taken."
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    notes = tmp_path_factory.mktemp("src") / "notes.md"
    notes.write_text(
        "\n\n".join(["# Hash tables", RESIZING, COLLISIONS, "# Finetuning", FINETUNING, PROBING]),
        encoding="utf-8",
    )
    return Corpus.of(load_sources([str(notes)]).documents)


def test_points_are_what_the_concept_is_not_filler(corpus):
    assert key_points(RESIZING, ["resizing"], corpus) == [
        "larger bucket array",
        "old capacity",
        "moving every entry",
    ]
    assert key_points(FINETUNING, ["finetuning"], corpus) == [
        "training",
        "pretrained model",
        "smaller learning rate",
    ]


def test_points_come_from_what_the_sentence_says_after_the_name(corpus):
    # Not "Every hash table needs": the subject of the sentence, not what the strategy is.
    points = key_points(COLLISIONS, ["collision resolution"], corpus)
    assert points == ["strategy", "rule", "second key goes"]


def test_the_question_s_own_words_are_no_point(corpus):
    points = key_points(PROBING, ["probe sequence"], corpus)
    assert "sequence" not in points and "probing" not in points and "search" in points


PAIR = (
    "A key-value pair is a piece of data made of a key, which names the item, and a value, which "
    "is the data stored under that name."
)
HASH_TABLE = (
    "A hash table is an associative array built on an array of buckets, a hash function that "
    "turns keys into bucket indexes, a collision resolution strategy, and a resizing policy that "
    "keeps the load factor low."
)


@pytest.fixture(scope="module")
def hash_corpus(tmp_path_factory):
    notes = tmp_path_factory.mktemp("src") / "hash.md"
    notes.write_text("\n\n".join(["# Hash tables", PAIR, HASH_TABLE]), encoding="utf-8")
    return Corpus.of(load_sources([str(notes)]).documents)


def test_a_verb_ends_a_point(hash_corpus):
    # "which names the item": the verb "names" is no point; "built" ends "associative array".
    # ("piece" of data only frames the statement: filler.)
    assert key_points(PAIR, ["key-value pair"], hash_corpus) == ["value", "data", "name", "item"]
    assert key_points(HASH_TABLE, ["hash table"], hash_corpus) == [
        "associative array",
        "buckets",
        "bucket indexes",  # a plural after a noun, not the verb "indexes"
        "collision resolution strategy",
    ]


def test_shell_nouns_hedges_and_judgements_are_no_point(tmp_path):
    many = (
        "Many-to-many joins may be a bit confusing conceptually, but are nevertheless well defined."
    )
    collision = (
        "A collision is the situation where two different keys are assigned the same bucket."
    )
    notes = tmp_path / "joins.md"
    notes.write_text("\n\n".join(["# Joins", many, collision]), encoding="utf-8")
    corpus = Corpus.of(load_sources([str(notes)]).documents)
    # No claim a learner could say back ("joins" is common here): no short answer is asked.
    assert key_points(many, ["many-to-many"], corpus) == []
    assert key_points(collision, ["collision"], corpus) == ["two different keys", "bucket"]


def test_a_measure_noun_is_filler_only_before_its_of():
    from teachback.ingest.exercises.kinds.short_answer import _filler

    assert _filler("number", "The load factor is the number of stored entries.") is True
    assert _filler("number", "A hash function returns a whole number, its hash value.") is False
    assert _filler("bit confusing", "Joins may be a bit confusing.") is True


def test_a_participle_that_starts_a_noun_phrase_describes_its_noun(tmp_path):
    series = "A Pandas Series is a one-dimensional array of indexed data."
    notes = tmp_path / "series.md"
    notes.write_text("\n\n".join(["# Series", series, "Data frames hold columns."]), "utf-8")
    corpus = Corpus.of(load_sources([str(notes)]).documents)
    assert key_points(series, ["series"], corpus) == ["one-dimensional array", "indexed data"]


@pytest.mark.parametrize(
    "rubric, expected",
    [
        # One phrase alone is the whole rubric: saying it back would cover every point.
        (["stored entries divided"], False),
        (["stored entries divided", "buckets"], True),
        (["joins"], False),  # one word alone
        (["name", "information"], True),
        ([], False),
    ],
)
def test_a_short_answer_needs_a_rubric_to_grade_by(rubric, expected):
    from teachback.ingest.exercises.kinds.short_answer import gradable

    assert gradable(rubric) is expected


ASSOCIATIVE = (
    "An associative array is a collection of key-value pairs that supports three operations: "
    "insert a pair, look up the value for a key, and delete a key."
)
ILOC = (
    "The `iloc` attribute allows indexing and slicing that always references the implicit "
    "Python-style index."
)
LOAD_FACTOR = "The load factor is the number of stored entries divided by the number of buckets."
INNER = (
    "The result contains the intersection of the two sets of inputs; this is what is known as an "
    "inner join."
)


@pytest.fixture(scope="module")
def review_corpus(tmp_path_factory):
    notes = tmp_path_factory.mktemp("src") / "review.md"
    notes.write_text(
        "\n\n".join(
            ["# Tables", ASSOCIATIVE, LOAD_FACTOR, "Buckets hold entries.", ILOC, INNER]
            + ["Every bucket keeps its entries; the buckets are an array."] * 3
        ),
        encoding="utf-8",
    )
    return Corpus.of(load_sources([str(notes)]).documents)


def test_a_present_verb_before_its_object_or_particle_is_no_point(review_corpus):
    # "always *references* the", "*supports* three", "*look* up": verbs, not things (review 18).
    iloc = key_points(ILOC, ["iloc"], review_corpus)
    assert "references" not in iloc and "implicit Python-style index" in iloc
    points = key_points(ASSOCIATIVE, ["associative array"], review_corpus)
    assert "look" not in points and "key-value pairs" in points


def test_a_count_announcing_a_list_is_no_point(review_corpus):
    # "three operations:" says how many; the list after it says which.
    points = key_points(ASSOCIATIVE, ["associative array"], review_corpus)
    assert "three operations" not in points


def test_the_result_a_sentence_opens_with_is_no_point(review_corpus):
    assert "result" not in key_points(INNER, ["inner join"], review_corpus)


def test_one_phrase_is_made_up_to_two_points_from_the_reference(review_corpus):
    # One point alone would be passed by saying it back ("stored entries divided", review 18):
    # a common word of the reference ("buckets" is said all over these notes), or an action
    # named by its gerund, makes the second.
    assert key_points(LOAD_FACTOR, ["load factor"], review_corpus) == [
        "stored entries divided",
        "buckets",
    ]
    # (the pandas chapter says "indexing" too often for it to count; "slicing" makes the
    # second point there)
    assert key_points(ILOC, ["iloc"], review_corpus) == ["indexing", "implicit Python-style index"]


def test_a_verb_after_a_modal_is_no_point(tmp_path):
    dropna = "By default, `dropna` will drop all rows in which any null value is present."
    notes = tmp_path / "missing.md"
    notes.write_text("\n\n".join(["# Missing data", dropna, "Rows hold values."]), "utf-8")
    corpus = Corpus.of(load_sources([str(notes)]).documents)
    assert "drop" not in key_points(dropna, ["dropna"], corpus)


def test_a_sentence_that_only_names_the_term_is_folded_into_what_it_means():
    from teachback.ingest.exercises.kinds.short_answer import _named_then_meant

    # review 18: the reference opened "AI researchers have a term for it: jagged frontier."
    assert (
        _named_then_meant(
            "AI researchers have a term for it: jagged frontier.",
            "It means AI capabilities aren't advancing as a smooth line moving upward.",
            ["jagged frontier"],
        )
        == "Jagged frontier means AI capabilities aren't advancing as a smooth line moving upward."
    )
    # a first sentence that says something of the term is kept as it is
    assert (
        _named_then_meant("A hash table is fast.", "It means lookups are cheap.", ["hash table"])
        == ""
    )


JAGGED = (
    "Jagged frontier means AI capabilities aren\u2019t advancing as a smooth line moving upward "
    "\u2014 some directions have shot through the roof while others are still crawling on the "
    "floor."
)
HASHABLE = (
    "An object that can be used as a key is hashable: it has a hash value that never changes "
    "during its lifetime, and it can be compared for equality with other keys."
)
UNIFORM = (
    'It spreads keys uniformly over the possible values, so that similar keys such as `"user1"` '
    'and `"user2"` land in different buckets. This property is called uniform hashing.'
)
LINEAR = (
    "To look up a key you walk the list from the start and compare every key until you find a "
    "match. That is a linear search: its cost grows in proportion to the number of items, so a "
    "list of a million pairs may need a million comparisons."
)
TOMBSTONES_DO = (
    "Tombstones keep probe sequences intact, but they pile up, so tables with many deletions "
    "are rebuilt from time to time to clear them out."
)


@pytest.fixture(scope="module")
def head_corpus(tmp_path_factory):
    notes = tmp_path_factory.mktemp("src") / "heads.md"
    notes.write_text(
        "\n\n".join(["# Notes", JAGGED, HASHABLE, UNIFORM, LINEAR, TOMBSTONES_DO]), "utf-8"
    )
    return Corpus.of(load_sources([str(notes)]).documents)


def test_points_come_from_the_head_of_the_definition_not_its_figure_of_speech(head_corpus):
    # The rarest words were the metaphor's ("shot", "roof", "floor"): a right plain answer
    # ("AI progress is uneven ...") says none of them.
    assert key_points(JAGGED, ["jagged frontier"], head_corpus) == [
        "AI capabilities",
        "smooth line moving upward",
    ]


def test_an_example_or_a_consequence_after_the_head_gives_no_point(head_corpus):
    uniform = key_points(UNIFORM, ["uniform hashing"], head_corpus)
    assert uniform == ["possible values", "similar keys"]  # not `user1`, `user2`, "land"
    linear = key_points(LINEAR, ["linear search"], head_corpus)
    assert "million comparisons" not in linear and "cost" in linear


def test_a_word_under_a_negation_is_no_point(head_corpus):
    # "never changes" cut to "changes" says the opposite; an answer saying the hash changes
    # would cover it.
    points = key_points(HASHABLE, ["hashable"], head_corpus)
    assert "changes" not in points and "hash value" in points and "equality" in points


def test_a_head_too_short_to_grade_falls_back_to_the_whole_sentence(head_corpus):
    # "keep probe sequences intact" alone is one point: the rest of the sentence makes more.
    points = key_points(TOMBSTONES_DO, ["tombstone", "tombstones"], head_corpus)
    assert "keep probe sequences intact" in points and len(points) >= 2


MERGE = """# Combining datasets

## Merge and join

The main interface for this is the `pd.merge` function, and we'll see a few examples of how this
can work in practice.

The behavior implemented in `pd.merge` is a subset of what is known as relational algebra.

The `pd.merge` function implements a number of types of joins: one-to-one, many-to-one, and
many-to-many.
"""


def test_the_reader_of_what_is_x_takes_a_sentence_saying_what_x_does_for_its_answer(tmp_path):
    from teachback.engine.protocol import ConceptDraft
    from teachback.ingest.exercises import generate_checked

    notes = tmp_path / "merge.md"
    notes.write_text(MERGE, encoding="utf-8")
    docs = load_sources([str(notes)]).documents
    defined = "The `pd.merge` function implements a number of types of joins."
    concept = ConceptDraft(name="pd.merge", definition=defined, kind="term")
    kept, rejected = generate_checked(concept, [concept], docs)
    (asked,) = [ex for ex in kept + rejected if ex.kind == "short_answer"]
    assert asked.prompt == "In your own words, what is **pd.merge**?"
    # (it was unanswerable: no sentence reads "pd.merge is ...", so every mention scored 0
    # and the reader took the first one, which says nothing of what it does)
    assert asked.self_check.passed, asked.self_check.reasons
    assert asked.self_check.answered.startswith("The `pd.merge` function implements")


def test_the_noun_of_an_idiom_is_no_point(corpus):
    reference = (
        "The `GroupBy` object is a flexible abstraction: in many ways, it can be treated as "
        "simply a collection of `DataFrame`s, though it is doing more sophisticated things "
        "under the hood."
    )
    points = key_points(reference, ["GroupBy"], corpus)
    assert "hood" not in points
    assert "collection" in points


def test_what_an_object_of_the_name_is_is_not_read_as_what_it_does(tmp_path):
    from teachback.ingest.exercises.kinds.short_answer import _defines_here
    from teachback.ingest.exercises.text import term_regex

    notes = tmp_path / "groupby.md"
    notes.write_text(
        "# Grouping\n\nThe `GroupBy` object is a flexible abstraction over groups of rows.\n\n"
        "The `groupby` method splits the rows into groups by the values of a key.\n",
        encoding="utf-8",
    )
    corpus = Corpus.of(load_sources([str(notes)]).documents)
    pat = term_regex(["groupby"])
    said = {
        s.clean.split()[1]: _defines_here(s, m) for s, m in corpus.mentions_of(["groupby"], pat)
    }
    assert said == {"`GroupBy`": False, "`groupby`": True}


def test_a_conjunction_ends_a_point(head_corpus):
    array = (
        "An array is a block of numbered slots in memory, and reading slot number `i` takes the "
        "same short time whether `i` is 3 or 3,000,000."
    )
    points = key_points(array, ["array"], head_corpus)
    assert "short time whether" not in points and "short time" in points
