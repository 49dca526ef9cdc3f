"""Shortcuts taken for speed in concept extraction give what the long way gives."""

import re

import pytest

from teachback.ingest.concepts import aliases, definitions, lexicon
from teachback.ingest.keyphrases import frequency


def _split_word_every_join(a: str, b: str) -> bool:
    """``split_word`` without its shortcut: every join looked up."""
    if not (a.isalpha() and b.isalpha() and b.islower()):
        return False
    parts = max(frequency.zipf(a), frequency.zipf(b))
    head = a.lower()
    for word in frequency.listed_words([head + lig + b for lig in lexicon._LIGATURES]):
        joined = frequency.zipf(word)
        if joined >= lexicon.SPLIT_ZIPF and joined > parts + 1.0:
            return True
    return False


TEXT = (
    "The circum erence of a circle is its perimeter, di erent from its area. A trans "
    "formation maps points; a note book holds notes. The e ect of the fi eld is small. "
    "Atransformation and transfor mation are artefacts of the PDF's text layer."
)


def test_split_word_shortcut_agrees_with_every_join():
    words = re.findall(r"[A-Za-z]+", TEXT)
    pairs = list(zip(words, words[1:], strict=False))
    pairs += [("circum", "erence"), ("transfor", "mation"), ("note", "book"), ("e", "ect")]
    got = [lexicon.split_word.__wrapped__(a, b) for a, b in pairs]
    assert got == [_split_word_every_join(a, b) for a, b in pairs]
    assert lexicon.split_word.__wrapped__("circum", "erence")
    assert not lexicon.split_word.__wrapped__("note", "book")


@pytest.mark.parametrize(
    "text",
    [
        "hierarchical indexing (also known as multi-indexing) is useful.",
        "foo3abc, also called bar. x_abc (also known as yy). **Hash** table, often called map;",
        "A word inside: superhashmap, also called hm. And café, also called cafe.",
        "ab, also called cd, also called ef. Tail.",
    ],
)
def test_also_known_guard_changes_no_match(text):
    unguarded = re.compile(aliases._ALSO_KNOWN.pattern.removeprefix(aliases._NOT_MID_WORD))
    assert unguarded.pattern != aliases._ALSO_KNOWN.pattern
    found = [(m.span(), m.group("main", "alias")) for m in aliases._ALSO_KNOWN.finditer(text)]
    assert found == [(m.span(), m.group("main", "alias")) for m in unguarded.finditer(text)]
    assert found


def test_definition_patterns_need_what_their_shortcut_looks_for():
    """A sentence without a pattern's verbatim part is not read by the pattern; sentences that
    have it, and sentences that the pattern matches, give the same definitions either way."""
    sentences = [
        "A hash table is a structure that maps keys to values.",
        "Osmosis refers to the movement of water across a membrane.",
        "In practice, a bucket means one slot of the table's array.",
        "Recall is defined as the share of relevant items found.",
        "Load factor is ratio of entries to buckets in the table.",
        "Tables resize when they fill up.",
        "Chaining, which is simple, keeps a list per bucket.",
        "Probing\tIS\tA way to find a free slot.",
    ]
    for s in sentences:
        for pat, _ in definitions._DEF_PATTERNS:
            needs = definitions._DEF_NEEDS.get(pat)
            if pat.search(s) is not None and needs is not None:
                assert needs.search(s) is not None, (pat.pattern, s)
    got = [definitions.definitional_terms(s) for s in sentences]
    assert got[0] == [("hash table", 1.0)]
    assert got[1] == [("Osmosis", 1.0)]
    assert got[5] == []
