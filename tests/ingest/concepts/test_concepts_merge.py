"""One idea, one concept: the names the material gives it merge; weak marks are not evidence."""

from teachback.ingest.concepts import compact_key, extract_concepts
from teachback.ingest.readers import read_bytes


def test_a_class_that_implements_a_technique_is_that_technique():
    code = (
        b'"""Probing tables."""\n\n\nclass LinearProbingTable:\n'
        b'    """A hash table using open addressing with linear probing."""\n'
    )
    prose = (
        b"# Linear probing\n\n*Linear probing* looks at the next bucket when a bucket is taken. "
        b"Linear probing is simple and fast, and a hash table using it stays compact.\n"
    )
    docs = [read_bytes("pkg/probing.py", code), read_bytes("notes.md", prose)]
    found = {c.name: c for c in extract_concepts(docs)}
    assert "LinearProbingTable" not in found
    probing = found["linear probing"]
    assert "LinearProbingTable" in probing.aliases
    assert [e.quote for e in probing.evidence if e.role == "code"] == ["class LinearProbingTable:"]


NOTEBOOK = b"""{"cells": [
 {"cell_type": "markdown", "metadata": {}, "source": ["# Concatenation\\n",
   "The *concatenation* of Series is done with `pd.concat`, which joins them end to end. ",
   "We use *hierarchical indexing* (also known as *multi-indexing*) for the keys; ",
   "hierarchical indexing gives each row several labels, a `MultiIndex`."]},
 {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
  "source": ["import pandas as pd\\n", "from tqdm import tqdm\\n",
   "x = pd.concat([a, b], keys=['x', 'y'])\\n", "i = pd.MultiIndex.from_tuples(t)\\n",
   "for _ in tqdm(x): pass"]},
 {"cell_type": "markdown", "metadata": {}, "source": ["Progress is shown with `tqdm`."]}
 ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"""


def test_an_api_and_the_operation_it_abbreviates_are_one_concept():
    concepts = extract_concepts([read_bytes("concat.ipynb", NOTEBOOK)])
    by_name = {c.name: c for c in concepts}
    assert "concat" not in by_name
    assert {"concat", "pd.concat"} <= set(by_name["concatenation"].aliases)


def test_names_given_as_the_same_merge_and_an_imported_package_is_no_api():
    names = {c.name for c in extract_concepts([read_bytes("concat.ipynb", NOTEBOOK)])}
    assert "hierarchical indexing" in names
    assert "multi-indexing" not in names and "MultiIndex" not in names
    assert "tqdm" not in names


def test_split_and_joined_spellings_share_a_key():
    assert compact_key("GroupBy object") == compact_key("groupby")
    assert compact_key("key-value pairs") == compact_key("key value pair")


def test_a_phrase_the_code_also_names_is_a_concept():
    code = (
        b'"""Training."""\n\ngradient_accumulation_steps = 8  # simulate larger batches\n'
        b"# gradient accumulation splits each batch into micro-steps\n"
        b"for step in range(gradient_accumulation_steps):\n"
        b"    # sum gradients: gradient accumulation keeps memory low\n    pass\n"
    )
    concepts = extract_concepts([read_bytes("train.py", code)])
    found = [c for c in concepts if c.name == "gradient accumulation"]
    assert len(found) == 1
    assert found[0].evidence[0].quote.startswith("# gradient accumulation splits")


ESSAY = b"""Why coding improved first

Programming is the perfect playground for reinforcement learning: code passes a test or not.
RL needs a clear reward, and RL gets one from unit tests. Essays give RL no such signal.

The US market pays for it. The US is where most buyers are.
"""


def test_an_acronym_spelled_out_once_is_one_concept_with_its_expansion():
    concepts = extract_concepts([read_bytes("essay.txt", ESSAY)])
    by_name = {c.name: c for c in concepts}
    assert "RL" in by_name["reinforcement learning"].aliases
    assert not any("US" in [c.name, *c.aliases] for c in concepts)


PAIRS = b"""{"cells": [
 {"cell_type": "markdown", "metadata": {}, "source": ["# Null values\\n",
   "`isnull()` marks the missing entries of a Series; `notnull()` is its opposite. ",
   "Both `isnull` and `notnull` return Boolean masks."]},
 {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
  "source": ["import pandas as pd\\n", "s = pd.Series([1, None])\\n",
   "a = s.isnull()\\n", "b = s.notnull()"]}
 ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"""


def test_an_api_and_its_negation_are_one_concept():
    concepts = extract_concepts([read_bytes("nulls.ipynb", PAIRS)])
    pair = [(c.name, c.aliases) for c in concepts if "null" in c.name]
    assert pair == [("isnull", ["notnull"])]


def test_a_piece_of_a_snake_case_name_is_no_prose_word():
    from teachback.ingest.keyphrases.candidates import chunks

    text = "decay it to min_lr after max_iters steps of warmup"
    words = [[w for w, _, _ in c] for c in chunks(text)]
    assert words == [["decay"], ["steps"], ["warmup"]]


JOINS = b"""{"cells": [
 {"cell_type": "markdown", "metadata": {}, "source": ["# Set arithmetic for joins\\n",
   "By default, the result contains the *intersection* of the two sets of inputs; this is ",
   "what is known as an *inner join*. We can say so with the `how` keyword:"]},
 {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
  "source": ["import pandas as pd\\n", "pd.merge(df6, df7, how='inner')"]},
 {"cell_type": "markdown", "metadata": {}, "source": [
   "An *outer join* returns a join over the union of the input columns. ",
   "The *left join* and *right join* return joins over the left and right entries."]},
 {"cell_type": "code", "metadata": {}, "execution_count": 2, "outputs": [],
  "source": ["pd.merge(df6, df7, how='outer')\\n", "pd.merge(df6, df7, how='left')\\n",
   "pd.merge(df6, df7, how='right')"]},
 {"cell_type": "markdown", "metadata": {}, "source": ["# Stacking\\n",
   "The `unstack` method will quickly convert a multiply indexed `Series` into a `DataFrame`. ",
   "The opposite of `unstack` is `stack`, which here can be used to recover the series:"]},
 {"cell_type": "code", "metadata": {}, "execution_count": 3, "outputs": [],
  "source": ["pop.unstack().stack()"]},
 {"cell_type": "markdown", "metadata": {}, "source": ["## Stack and unstack\\n",
   "We saw the `stack` and `unstack` methods: `stack` puts columns into the index."]},
 {"cell_type": "code", "metadata": {}, "execution_count": 4, "outputs": [],
  "source": ["pop_df.stack()"]}
 ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"""


def test_the_kinds_a_keyword_selects_stay_apart_and_an_inverse_api_is_another():
    found = {c.name: c for c in extract_concepts([read_bytes("joins.ipynb", JOINS)])}
    # how='inner' / 'outer': two joins, each with its own definition; listed as one concept,
    # one would be shown as the other's synonym and its exercises would ask the wrong one
    assert found["inner join"].definition == (
        "By default, the result contains the *intersection* of the two sets of inputs; this is "
        "what is known as an *inner join*."
    )
    assert found["outer join"].definition == (
        "An *outer join* returns a join over the union of the input columns."
    )
    assert "outer join" not in found["inner join"].aliases
    # stack and unstack are two operations, each with the sentence that says what it does
    assert found["unstack"].definition == (
        "The `unstack` method will quickly convert a multiply indexed `Series` into a `DataFrame`."
    )
    assert found["stack"].definition == (
        "The opposite of `unstack` is `stack`, which here can be used to recover the series."
    )


def test_a_module_named_after_the_technique_its_docstring_names_is_that_technique():
    code = (
        b'"""Separate chaining: every bucket keeps a list of the entries that hash to it."""\n\n'
        b"def insert(table, key):\n    return table\n"
    )
    prose = (
        b"# Collisions\n\n**Separate chaining** is a collision resolution strategy in which "
        b"every bucket holds a small list of entries. Separate chaining is simple.\n"
    )
    docs = [read_bytes("hashkit/chaining.py", code), read_bytes("notes.md", prose)]
    found = {c.name: c for c in extract_concepts(docs)}
    assert [c.name for c in found.values() if c.kind == "code"] == []
    chaining = found["separate chaining"]
    assert chaining.aliases == ["chaining"]
    assert chaining.definition == (
        "**Separate chaining** is a collision resolution strategy in which every bucket holds "
        "a small list of entries."
    )
