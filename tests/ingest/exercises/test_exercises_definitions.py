# ruff: noqa: E501  (realistic source text has long lines)
"""Which sentences count as saying what a concept is: the ones exercises are built on."""

from __future__ import annotations

import re

import pytest

from teachback.ingest.exercises import make_exercises, self_check
from teachback.ingest.exercises.context.defining import predicate_of
from teachback.ingest.exercises.kinds.true_false.wording import own_clause
from teachback.ingest.exercises.quality.definitions import defines

from .conftest import concept, markdown_doc, with_evidence

DEFINING = [
    (
        "Its weakness is **primary clustering**, the tendency of occupied buckets to form long unbroken runs.",
        "primary clustering",
    ),
    (
        "That is an example of amortized analysis, which averages the cost of an occasional expensive operation over a long sequence of cheap ones.",
        "amortized analysis",
    ),
    (
        "So every hash table needs a collision resolution strategy: a rule for where the second key goes when its bucket is already taken.",
        "collision resolution",
    ),
    (
        "An object that can be used as a key is hashable: it has a hash value that never changes during its lifetime.",
        "hashable",
    ),
    (
        "The search is called probing, and the sequence of buckets it visits is the key's probe sequence.",
        "probe sequence",
    ),
    (
        "A hash function takes a key and returns a whole number, called the key's hash value (or just its hash).",
        "hash value",
    ),
    ("Quadratic probing tries `i + 1`, `i + 4`, `i + 9`, and so on.", "Quadratic probing"),
    (
        "Quadratic probing tries `i + 1`, `i + 4`, and so on, and double hashing uses a second hash function to choose the step size.",
        "double hashing",
    ),
    (
        "It uses `index = hash(key) % capacity`, where the capacity is the number of slots in the array.",
        "capacity",
    ),
]
NOT_DEFINING = [
    # a topic label over a claim
    (
        "Productivity Anxiety: The current anxiety in the industry is no longer about fully utilizing GPUs.",
        "Productivity Anxiety",
    ),
    # a mention in a clause about something else
    (
        "Pandas inherits much of this functionality from NumPy, and the ufuncs introduced in Computation on NumPy Arrays are key to this.",
        "ufuncs",
    ),
    ("We store the keys, the values and the buckets in one list.", "keys"),
    ("The fastest option is a hash table.", "hash table"),
    (
        "Every table picks a maximum load factor; Python's dict uses about two thirds.",
        "maximum load factor",
    ),
    # the author's verdict on the term, not what it is
    ("Deletion is the subtle part of open addressing.", "Deletion"),
    ("Backpropagation is the hardest step to get right.", "Backpropagation"),
]


@pytest.mark.parametrize(("sentence", "name"), DEFINING)
def test_sentences_that_say_what_the_term_is_count_as_definitions(sentence, name):
    assert defines(sentence, [name]) is True


@pytest.mark.parametrize(("sentence", "name"), NOT_DEFINING)
def test_mentions_and_topic_labels_do_not(sentence, name):
    assert defines(sentence, [name]) is False


@pytest.mark.parametrize(
    ("sentence", "name", "gloss"),
    [
        (
            "Its weakness is **primary clustering**, the tendency of occupied buckets to form long unbroken runs: any key that lands in a run walks to its end.",
            "primary clustering",
            "the tendency of occupied buckets to form long unbroken runs",
        ),
        (
            "So every hash table needs a collision resolution strategy: a rule for where the second key goes when its bucket is taken.",
            "collision resolution",
            "a rule for where the second key goes when its bucket is taken",
        ),
        ("We store the keys, the values and the buckets in one list.", "keys", ""),
        ("An object that can be used as a key is hashable: it has a hash value.", "hashable", ""),
    ],
)
def test_a_gloss_in_apposition_is_the_concepts_predicate(sentence, name, gloss):
    assert predicate_of(sentence, re.search(re.escape(name), sentence)) == gloss


HASHING = """# Open addressing

A **bucket** is one slot of the table's array where entries are kept.
A **probe** is one look at a bucket while searching for a key.
Its weakness is **primary clustering**, the tendency of occupied buckets to form long unbroken runs: any key that hashes into a run must walk to its end.
Other probing rules reduce clustering. **Quadratic probing** tries `i + 1`, `i + 4`, `i + 9`, and so on, and **double hashing** uses a second hash function to choose the step size.
"""


def _case():
    doc = markdown_doc("hashing.md", HASHING)
    lines = [ln for ln in HASHING.splitlines() if ln and not ln.startswith("#")]
    pair = lines[3].split(". ", 1)[1]
    defs = [
        ("bucket", lines[0]),
        ("probe", lines[1]),
        ("primary clustering", lines[2]),
        ("Quadratic probing", pair),
        ("double hashing", pair),
    ]
    return [with_evidence(concept(n, d), doc) for n, d in defs], doc


def _alone(c, concepts, doc):
    """The candidates that pass the self-check on their own (against no kept exercise: in
    ``generate_checked`` a fact already asked in another form is not asked again)."""
    return [ex for ex in make_exercises(c, concepts, [doc]) if self_check(ex, [doc], []).passed]


def test_a_term_defined_by_a_gloss_gets_a_which_term_question():
    concepts, doc = _case()
    kept = _alone(concepts[2], concepts, doc)
    term = [ex for ex in kept if ex.kind == "multiple_choice" and ex.data.get("variant") == "term"]
    assert [ex.prompt for ex in term] == [
        "Which term is described here: \u201cthe tendency of occupied buckets to form long unbroken runs\u201d?"
    ]
    assert term[0].answer == "primary clustering"


def test_a_false_statement_changes_the_concepts_own_claim_not_its_neighbours():
    text = "Quadratic probing tries `i + 1`, `i + 4`, and so on, and double hashing uses a second hash function."
    own = own_clause(text, re.search("double hashing", text))
    # "i + 10" would be a false claim about quadratic probing, filed under double hashing
    assert text[own.start : own.stop] == "double hashing uses a second hash function."
    whole = own_clause("Diffusion moves particles from higher to lower concentration.", None)
    assert (whole.start, whole.stop) == (0, 61)


def test_the_clause_defining_a_second_term_gives_it_a_cloze():
    concepts, doc = _case()
    kept = _alone(concepts[4], concepts, doc)
    assert [ex.answer for ex in kept if ex.kind == "cloze"] == ["double hashing"]


@pytest.mark.parametrize(
    "sentence",
    [
        "In all the preceding examples we have glossed over one consideration in performing a join: the type of set arithmetic used in the join.",
        "We'll look at a more powerful approach to combining data from multiple sources: the database-style merges implemented in `pd.merge`.",
    ],
)
def test_a_colon_that_glosses_something_else_is_not_a_definition(sentence):
    name = "join" if "a join" in sentence else "multiple"
    assert defines(sentence, [name]) is False
    assert predicate_of(sentence, re.search(rf"\b{name}\b", sentence)) == ""


@pytest.mark.parametrize(
    "text, name",
    [
        ("A dictionary maps each key to a value.", "dictionary"),
        ("The Pandas Series holds one column of data.", "series"),
        ("The Foo foo maps keys to values in order.", "foo"),  # two places the opener reaches
        ("`fillna`s replace every missing value with one.", "fillna"),
        ("**Hash tables** store each key in a bucket array.", "hash table"),
        ("Dictionaryish maps nothing at all here.", "dictionary"),  # no word boundary
        ("The dictionary", "dictionary"),  # nothing after the name
        ("Where a dictionary maps keys, a list holds items.", "dictionary"),
    ],
)
def test_the_words_after_an_opening_name_are_those_its_own_pattern_finds(text, name):
    """``defines`` reads what follows a name that opens the sentence without compiling the
    name's pattern when one place of the name can open it: the same words as the pattern."""
    from teachback.ingest.exercises.quality import definitions as d

    opens = d._definition_patterns(name)[1]
    places = d._places(text.lower(), name)
    starts = [p for p in places if d._OPENS_BEFORE.fullmatch(text, 0, p)]
    m = opens.match(text)
    assert d._opened(text, name, starts, opens) == (m.group(1) if m else None)
