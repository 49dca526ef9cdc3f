"""Code symbols whose docstrings open alike get definitions that tell them apart."""

from __future__ import annotations

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.readers import read_bytes

BISECT = '''"""Bisection algorithms."""


def bisect_right(a, x):
    """Return the index where to insert item x in list a, assuming a is sorted.

    The return value i is such that all e in a[:i] have e <= x, and all e in
    a[i:] have e > x.  So if x already appears in the list, a.insert(i, x) will
    insert just after the rightmost x already there.
    """
    return len([e for e in a if e <= x])


def bisect_left(a, x):
    """Return the index where to insert item x in list a, assuming a is sorted.

    The return value i is such that all e in a[:i] have e < x, and all e in
    a[i:] have e >= x.  So if x already appears in the list, a.insert(i, x) will
    insert just before the leftmost x already there.
    """
    return len([e for e in a if e < x])


def insort(a, x):
    """Insert item x in list a, and keep it sorted assuming a is sorted."""
    a.insert(bisect_right(a, x), x)
'''


def _definitions(tmp_path) -> dict[str, str]:
    doc = read_bytes(str(tmp_path / "bisect.py"), BISECT.encode(), {"module": "bisect"})
    return {c.name: c.definition for c in extract_concepts([doc])}


def test_siblings_with_the_same_first_sentence_are_defined_up_to_where_they_differ(tmp_path):
    defs = _definitions(tmp_path)
    assert defs["bisect_right"] == (
        "Return the index where to insert item x in list a, assuming a is sorted. The return "
        "value i is such that all e in a[:i] have e <= x, and all e in a[i:] have e > x."
    )
    assert defs["bisect_left"] == (
        "Return the index where to insert item x in list a, assuming a is sorted. The return "
        "value i is such that all e in a[:i] have e < x, and all e in a[i:] have e >= x."
    )


def test_a_symbol_whose_first_sentence_is_its_own_keeps_it(tmp_path):
    defs = _definitions(tmp_path)
    assert defs["insort"] == "Insert item x in list a, and keep it sorted assuming a is sorted."
