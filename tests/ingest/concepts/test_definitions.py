"""A definition that points back ("This property is called ...") keeps the sentence it points
to, so that it says what the term is."""

from __future__ import annotations

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.concepts.drafts import says_what
from teachback.ingest.readers import read_bytes

HASHING = b"""# Hash functions

A good hash function spreads keys evenly over the buckets, so that similar keys land in
different buckets. This property is called **uniform hashing**. Uniform hashing keeps every
bucket short, and a hash function without uniform hashing makes a slow table.

# Searching a list

To look up a key you walk the list and compare every key until you find a match. That is a
**linear search**: its cost grows with the number of items. A linear search is fine for a
short list.
"""


def test_a_definition_that_points_back_keeps_its_antecedent():
    defs = {c.name: c.definition for c in extract_concepts([read_bytes("hash.md", HASHING)])}
    assert defs["uniform hashing"] == (
        "A good hash function spreads keys evenly over the buckets, so that similar keys land "
        "in different buckets. This property is called **uniform hashing**."
    )
    assert defs["linear search"] == (
        "To look up a key you walk the list and compare every key until you find a match. "
        "That is a **linear search**: its cost grows with the number of items."
    )


ALIGNMENT = b"""# Operations

## Index Alignment in Series

For binary operations on two Series objects, Pandas will align indices in the process of
performing the operation. The result holds the union of the two indices, and a label missing
on one side gives NaN in the result.

## Index Alignment in DataFrames

A similar alignment of indices takes place for both columns and indices when you are
performing operations on DataFrames: labels are matched on both axes before adding.
"""


def test_a_term_only_headings_name_is_explained_by_its_section_opening():
    concepts = {c.name: c for c in extract_concepts([read_bytes("ops.md", ALIGNMENT)])}
    alignment = concepts["index alignment"]
    assert alignment.definition == (
        "For binary operations on two Series objects, Pandas will align indices in the "
        "process of performing the operation."
    )
    assert [e.role for e in alignment.evidence] == ["mention"]


def test_a_judgement_or_a_bare_label_after_the_copula_defines_nothing():
    from teachback.ingest.concepts.definitions import definitional_terms

    assert definitional_terms("Deletion is the subtle part of open addressing.") == []
    assert definitional_terms("Linear probing is fast in practice because it suits caches.") == []
    assert definitional_terms("Voice mode is a consumer toy.") == []
    assert definitional_terms("What is a tensor?") == []
    assert definitional_terms("Codex is a coding agent.") == [("Codex", 1.0)]  # a name
    assert definitional_terms("At the time of writing (Dec 29, 2022) X is a nightly tool.") == []
    assert definitional_terms("A Series is a one-dimensional array of indexed data.") == [
        ("Series", 1.0)
    ]


def test_a_process_an_inverted_copula_and_an_appositive_define_their_terms():
    from teachback.ingest.concepts.definitions import definitional_terms

    assert definitional_terms("**Resizing** is allocating a new, larger bucket array.") == [
        ("Resizing", 0.9)
    ]
    assert definitional_terms(
        "The simplest rule is **linear probing**: if bucket `i` is taken, try `i + 1`."
    ) == [("linear probing", 0.9)]
    assert definitional_terms(
        "Or mark it with `NaN` (Not a Number), a special value that is part of IEEE 754."
    ) == [("NaN", 0.7)]
    assert definitional_terms("Try decreasing the `block_size` (context length).") == [
        ("block size", 0.7)
    ]


def test_a_kind_named_after_the_copula_and_a_condition_naming_its_result_define_terms():
    from teachback.ingest.concepts.definitions import definitional_terms

    assert definitional_terms(
        "Perhaps the simplest type of merge is the one-to-one join, which is like concat."
    ) == [("one-to-one join", 0.8)]
    assert definitional_terms(
        "When two different keys land in the same bucket, the result is a collision."
    ) == [("collision", 0.8)]
    assert definitional_terms("A kind of join for this is the `merge` function, and more.") == []


PROBING = b"""# Probing

## Linear probing

The simplest rule is **linear probing**: if bucket i is taken, try i + 1, and so on.
Every table picks a **maximum load factor**; Python's dict uses about two thirds.
When the **maximum load factor** is passed, the table grows. Linear probing keeps a table
compact, and the maximum load factor keeps probe sequences short.

## Deletion

Deletion is the subtle part of linear probing. A deletion must leave a marker behind, or a
later lookup stops too early. Deletion with linear probing needs care.
"""


def test_a_term_no_sentence_says_what_it_is_has_no_definition():
    concepts = {c.name: c for c in extract_concepts([read_bytes("p.md", PROBING)])}
    assert concepts["linear probing"].definition == (
        "The simplest rule is **linear probing**: if bucket i is taken, try i + 1, and so on."
    )
    # set in bold and not said what it is there: the later sentence that says what passing it
    # does is its definition, cited first
    maximum = concepts["maximum load factor"]
    assert maximum.definition == "When the **maximum load factor** is passed, the table grows."
    assert [(e.role, e.quote) for e in maximum.evidence] == [
        ("definition", "When the **maximum load factor** is passed, the table grows."),
        (
            "mention",
            "Every table picks a **maximum load factor**; Python's dict uses about two thirds.",
        ),
    ]
    assert concepts["deletion"].definition == ""


def test_a_sentence_that_says_what_a_term_does_is_told_from_one_that_uses_it():
    said = [
        ("The `iloc` attribute allows indexing by position.", ["iloc"]),
        ("First, the `loc` attribute allows indexing by label:", ["loc"]),
        ("**Quadratic probing** tries i + 1, i + 4, i + 9, and so on.", ["quadratic probing"]),
        ("An object used as a key is **hashable**: its hash never changes.", ["hashable"]),
        ("The *left join* and *right join* return joins over the left entries.", ["right join"]),
        ("... and the sequence it visits is the key's **probe sequence**.", ["probe sequence"]),
        ("A `MultiIndex` has several *levels* of indexing\u2014here states and years.", ["levels"]),
        ("Finetuning is no different than training, with a smaller learning rate.", ["finetuning"]),
        (
            "If keys were small we could use them. **Direct addressing** is storing the value for "
            "key k in slot k of an array.",
            ["direct addressing"],
        ),
        (
            "While aggregation must return a reduced version of the data, transformation can "
            "return some transformed version of the full data to recombine.",
            ["transform", "transformation"],
        ),
        (
            "It is computing aggregations like `sum`, `mean` and `max`, in which a single number "
            "summarizes a large dataset.",
            ["aggregation"],
        ),
        (
            "A cryptographic hash is designed so that nobody finds two equal outputs.",
            ["cryptographic hash"],
        ),
        ("The opposite of `unstack` is `stack`, which recovers the series:", ["stack"]),
        ("The `unstack` method will quickly convert a Series into a DataFrame:", ["unstack"]),
        (
            "For convenience, Pandas includes the `DataFrame.join()` method, which performs an "
            "index-based merge without extra keywords:",
            ["join"],
        ),
        (
            "Assign this feature to Agent 1 and that one to Agent 2. These are the "
            "\u201cmacro - actions\u201d for operating code repositories.",
            ["macro action", "macro actions"],
        ),
        (
            "The **amortized cost** of an insert into a doubling hash table is constant.",
            ["amortized cost"],
        ),
    ]
    used = [
        ("Ultimately, it's a skill issue.", ["skill issue"]),
        ("For more questions feel free to stop by **#nanoGPT** on Discord:", ["nanogpt"]),
        ("# adamw optimizer", ["optimizer"]),
        (
            "Every table picks a **maximum load factor**; Python's dict uses two thirds.",
            ["maximum load factor"],
        ),
        (
            "Perhaps the most important operations of a `GroupBy` are *aggregate*, *filter*, "
            "*transform*, and *apply*.",
            ["aggregate"],
        ),
        ("The token embeddings would too, except for the parameter sharing.", ["token embedding"]),
        ("When an insert would push the load factor past it, the table is resized.", ["insert"]),
        # relative to something it does not name; a plural noun is not a verb
        ("Naturally, the ``stack`` method provides the opposite operation:", ["stack"]),
        ("We saw this in the `stack` and `unstack` methods, but there is more.", ["stack"]),
        ("For example, `data` can be a list or NumPy array, in which case ...", ["numpy array"]),
        ("A deletion must leave a marker behind, or a lookup stops early.", ["deletion"]),
        # a plural head noun before a modal is the subject, not a verb
        ("Many-to-many joins may be a bit confusing, but are well defined.", ["many-to-many"]),
        # a plural noun after the term is no verb in the present
        ("ANN predictions correlated with measured pressures (r=0.846).", ["ann"]),
        ("The segmentation results obtained from the two features are compared.", ["segmentation"]),
        # a demonstrative naming an unmarked phrase says nothing of it
        ("That is the main thing in life.", ["main thing"]),
        # a keyword argument's default, not what the term is
        ("By default, the join is a union of the input columns (`join='outer'`).", ["join"]),
    ]
    assert [s for s, names in said if not says_what(s, names)] == []
    assert [s for s, names in used if says_what(s, names)] == []


MISSING = b"""# Missing data

## Trade-offs

In the sentinel approach, the sentinel value could be a convention, such as indicating a
missing integer with -9999, or a missing float with `NaN` (Not a Number), a special value that
is part of the IEEE floating-point specification.

## NaN: missing numerical data

`NaN` spreads through arithmetic: the sum of `NaN` and 1 is `NaN`. Pandas marks missing data
with `NaN`, and `NaN` is a float.
"""


def test_a_gloss_in_passing_is_the_definition_not_the_sentence_around_it():
    from teachback.ingest.concepts.definitions import appositive_start

    concepts = {c.name.lower(): c for c in extract_concepts([read_bytes("m.md", MISSING)])}
    assert concepts["nan"].definition == (
        "`NaN` (Not a Number), a special value that is part of the IEEE floating-point "
        "specification."
    )
    # the gloss opens its sentence, or the sentence defines the term outright: kept whole
    assert (
        appositive_start("A `mask`, a Boolean array that marks gaps, is one way.", ["mask"]) is None
    )
    assert (
        appositive_start("Here `NaN` is a float, a special value that marks gaps.", ["nan"]) is None
    )
    assert appositive_start("We mark it as `NaN`, a special value that marks gaps.", ["nan"]) == 14


STEPS = b"""# Grouping

## groupby: Split, Apply, Combine

Often we would prefer to aggregate conditionally on some label or index: this is done by
the `groupby` operation, in the terms first coined by Hadley Wickham: *split, apply, combine*.

### Split, Apply, Combine

A canonical example of this split-apply-combine operation is shown in this figure.
This illustrates what the `groupby` operation accomplishes:

- The *split* step involves breaking up a `DataFrame` depending on the value of a key.
- The *apply* step involves computing some function within the individual groups.
- The *combine* step merges the results of these operations into an output array.

The split-apply-combine operation can be computed with the `groupby` method of a
`DataFrame`, passing the name of the key column:

```python
df.groupby("key").sum()
```

The `groupby` method returns a *GroupBy object*, which computes nothing until an aggregate
is applied to it.
"""


def test_a_process_named_by_its_steps_is_defined_by_the_list_of_its_steps():
    concepts = {c.name: c for c in extract_concepts([read_bytes("g.md", STEPS)])}
    steps = concepts["split-apply-combine"]
    assert steps.definition == (
        "- The *split* step involves breaking up a `DataFrame` depending on the value of a key. "
        "- The *apply* step involves computing some function within the individual groups. "
        "- The *combine* step merges the results of these operations into an output array."
    )
    assert steps.evidence[0].role == "definition"
    assert steps.evidence[0].quote.startswith("- The *split* step")
    assert steps.evidence[0].quote.endswith("into an output array.")
