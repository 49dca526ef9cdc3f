"""Choice questions on terms (``kinds/blank_choice.py``, ``kinds/multiple_choice.py``,
``kinds/families.py``): the options are terms the sources teach, and the key is never the odd
one out of them."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises import make_exercises
from teachback.ingest.exercises.kinds.families import odd_one_out
from teachback.ingest.exercises.kinds.true_false.siblings import _GENUS_END, genus_of
from teachback.ingest.readers import load_sources


def family(name: str, predicate: str) -> tuple[str, str, str, str]:
    """As ``_family`` reads a concept: (name, genus, sort, predicate)."""
    sort = _GENUS_END.split(predicate, 1)[0]
    return name, genus_of(predicate), sort, predicate


TABLE = family(
    "hash table",
    "an associative array built on an array of buckets and a collision resolution strategy",
)
CHAINING = family(
    "separate chaining", "a collision resolution strategy in which every bucket holds a list"
)
PROBING = family("open addressing", "a collision resolution strategy in which entries move")
RESOLUTION = family("collision resolution", "a rule for where the second key goes")
COLLISION = family("collision", "the situation where two keys get one bucket")
BUCKET = family("bucket", "the place in the table's array where entries are kept")


def test_two_options_of_a_family_the_key_is_not_of_make_it_theodd_one_out():
    # two strategies beside a hash table
    assert odd_one_out(TABLE, PROBING, [CHAINING]) is True
    # a strategy beside the thing it is a kind of, unless the key's definition names it too
    assert odd_one_out(TABLE, RESOLUTION, [CHAINING]) is False
    key = family("load factor", "the number of stored entries divided by the buckets")
    assert odd_one_out(key, RESOLUTION, [CHAINING]) is True
    # two names sharing a word the key lacks
    assert odd_one_out(TABLE, COLLISION, [RESOLUTION]) is True
    # options of different sorts and names: nothing sets the key apart
    assert odd_one_out(TABLE, BUCKET, [CHAINING, RESOLUTION]) is False
    # the key of the same sort as the pair: they are its siblings
    assert odd_one_out(CHAINING, PROBING, [family("linear probing", "a strategy")]) is False


GPT = """# nanoGPT notes

## Attention

A causal mask is a matrix that hides the future tokens from each position of the sequence.
The causal mask makes sure attention only looks to the left in the input sequence.
Dropout is a regulariser that zeroes random activations while the model trains.
Weight decay is a penalty that pulls every weight towards zero during training.
The nanogpt repository trains the model on tiny shakespeare with dropout and a causal mask.
Layer normalization is a step that rescales the activations of each token to unit variance.
"""


def test_a_distractor_is_a_term_the_sources_teach(tmp_path):
    path = tmp_path / "gpt.md"
    path.write_text(GPT, encoding="utf-8")
    docs = load_sources([str(path)]).documents
    names = ["causal mask", "dropout", "weight decay", "nanogpt", "layer normalization"]
    concepts = [ConceptDraft(name=n, definition="", kind="term") for n in names]
    blanks = [
        ex
        for ex in make_exercises(concepts[0], concepts, docs)
        if ex.data.get("variant") == "blank"
    ]
    assert blanks
    for ex in blanks:
        assert "nanogpt" not in ex.choices  # (named, never explained)
        assert sorted(ex.choices) == [
            "causal mask", "dropout", "layer normalization", "weight decay",
        ]  # fmt: skip


def test_a_blank_opening_the_sentence_is_filled_by_the_name_glossed_before_which():
    from teachback.ingest.exercises.kinds.blank_choice import _glossed

    template = "_____ averages the cost of an occasional expensive operation over cheap ones."
    forms = ["amortized analysis", "amortized analyses"]
    # the source: "That is an example of amortized analysis, which averages the cost ..."
    assert _glossed(template, "That is an example of amortized analysis, which", forms)
    # another name before "which", or no gloss at all, fills nothing
    assert not _glossed(template, "That is an example of resizing, which", forms)
    assert not _glossed(template, "That is an example of amortized analysis", forms)
    # a blank inside the sentence is filled by its own context, not by a gloss
    assert not _glossed("The _____ averages the cost.", "amortized analysis, which", forms)
