"""Offline hints and explanations (teachback.tutor.hints): a hint never states the key."""

from __future__ import annotations

from teachback.engine.answer_check import gives_answer_away
from teachback.engine.protocol import ExerciseDraft, Span
from teachback.tutor.hints import (
    GAP,
    mask_keys,
    offline_explanation,
    offline_hint,
)

QUOTE = (
    "A hash table stores key-value pairs in an array of buckets. A hash function maps each "
    "key to a bucket index, so lookups take constant time on average."
)
SPAN = Span(source="s1", start=0, end=len(QUOTE), quote=QUOTE)


def exercise(kind="cloze", answer="hash function", **kw) -> ExerciseDraft:
    return ExerciseDraft(
        concept="hash table",
        kind=kind,
        prompt=kw.pop("prompt", "A ____ maps each key to a bucket index."),
        answer=answer,
        citations=kw.pop("citations", [SPAN]),
        **kw,
    )


def test_the_key_is_blanked_in_the_passage_shown():
    hint = offline_hint(exercise())
    assert GAP in hint and "bucket index" in hint
    assert "hash function" not in hint.lower()
    assert not gives_answer_away(hint, exercise())


def test_accepted_variants_are_blanked_too():
    x = exercise(answer="hash function", data={"accepted": ["hashing function", "key-value"]})
    hint = offline_hint(x)
    assert "key-value" not in hint and "hash function" not in hint


def test_masking_is_whole_word_and_case_insensitive():
    text, hit = mask_keys("Heaps of HEAP memory; a heap.", exercise(answer="heap"))
    assert hit and text == f"Heaps of {GAP} memory; a {GAP}."
    assert mask_keys("nothing here", exercise(answer="heap")) == ("nothing here", False)


def test_choice_and_true_false_hints_point_at_the_passage():
    mc = exercise(
        kind="multiple_choice",
        answer="constant time",
        choices=["constant time", "linear time", "log time", "quadratic time"],
        prompt="How long does a lookup take on average?",
    )
    hint = offline_hint(mc)
    assert GAP in hint and "constant time" not in hint
    tf = exercise(kind="true_false", answer=True, prompt="Buckets live in an array.")
    assert "Does the source agree" in offline_hint(tf)


def test_no_citation_still_gives_a_nudge():
    hint = offline_hint(exercise(citations=[]))
    assert "lesson" in hint and "hash function" not in hint


def test_a_model_hint_that_states_the_key_is_caught():
    assert gives_answer_away("It is the Hash Function, of course.", exercise())
    assert not gives_answer_away("What maps a key to a bucket?", exercise())


def test_explanation_quotes_each_passage_once():
    collide = "Collisions happen when two keys share a bucket."
    other = Span(source="s2", start=0, end=len(collide), quote=collide)
    text = offline_explanation("hash table", [SPAN, SPAN, other])
    assert text.count("> ") == 2 and "Collisions happen" in text and "hash table" in text
    assert "no more" in offline_explanation("hash table", [])


def test_a_sentence_key_becomes_a_cloze_of_the_passage():
    quote = "The **load factor** is the number of stored entries divided by the number of buckets."
    x = ExerciseDraft(
        concept="load factor",
        kind="short_answer",
        prompt="What is the load factor?",
        answer="The load factor is the number of stored entries divided by the number of buckets.",
        citations=[Span(source="s1", start=0, end=len(quote), quote=quote)],
    )
    hint = offline_hint(x)
    assert "load factor" in hint  # what the question already says stays
    for word in ("stored", "entries", "divided", "buckets"):
        assert word not in hint
    assert not gives_answer_away(hint, x)
    assert gives_answer_away("It is stored entries divided by buckets.", x)
    assert not gives_answer_away("Think about what a table holds and how it is split up.", x)


def test_explanation_keeps_lists_joins_wrapped_lines_and_drops_docstring_quotes():
    listed = (
        '"""hashkit: two small hash tables,\n'
        "written to be read. The package has two modules:\n\n"
        "* hashing: hash functions\n"
        "* chaining: a list per bucket, which\n  resolves collisions\n"
        '"""'
    )
    text = offline_explanation("hashkit", [Span(source="s", start=0, end=9, quote=listed)])
    assert text.split("\n\n", 1)[1] == (
        "> hashkit: two small hash tables, written to be read. The package has two modules:\n"
        ">\n"
        "> * hashing: hash functions\n"
        "> * chaining: a list per bucket, which resolves collisions"
    )
