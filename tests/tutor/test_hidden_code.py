"""A lesson shown by the tutor never gives away a body a write-the-code exercise asks for."""

from __future__ import annotations

from teachback.tutor.hidden_code import PLACEHOLDER, hidden_bodies, hide_in_lesson, shows_body

SOURCE = '''def bucket_index(key: str, capacity: int) -> int:
    """Reduce the hash of ``key`` to a bucket index.

    >>> bucket_index("apple", 8)
    7
    """
    if capacity <= 0:
        raise ValueError("capacity must be positive")
    return fnv1a(key) % capacity'''
BODIES = hidden_bodies([{"kind": "write_code", "answer": SOURCE}, {"kind": "cloze", "answer": "x"}])


def test_the_body_is_the_code_after_the_docstring():
    assert BODIES == (
        (
            "if capacity <= 0:",
            'raise ValueError("capacity must be positive")',
            "return fnv1a(key) % capacity",
        ),
    )


def test_a_lesson_showing_the_function_keeps_its_signature_and_docstring_only():
    text = f"**bucket_index**\n\n```python\n{SOURCE}\n```\n\nIt picks a bucket. [2]\n"
    head = SOURCE.split("    if capacity")[0]
    citations = [
        {"source": "s1", "start": 100, "end": 100 + len(SOURCE), "quote": SOURCE},
        {"source": "s2", "start": 5, "end": 20, "quote": "It picks a bucket."},
    ]
    shown, cited = hide_in_lesson(text, citations, BODIES)
    assert shown == (
        f"**bucket_index**\n\n```python\n{head}    {PLACEHOLDER}\n```\n\nIt picks a bucket. [2]\n"
    )
    kept = head.rstrip()
    assert cited == [
        {"source": "s1", "start": 100, "end": 100 + len(kept), "quote": kept},
        citations[1],
    ]


def test_a_method_body_inside_a_class_block_is_hidden_and_the_rest_of_the_class_kept():
    method = SOURCE.replace("\n", "\n    ").replace("def bucket_index(", "def bucket_index(self, ")
    other = "    def size(self) -> int:\n        return self._size"
    code = f"class Table:\n    {method}\n\n{other}"
    shown, _ = hide_in_lesson(f"```python\n{code}\n```\n", [], BODIES)
    assert shown.endswith(
        '        7\n        """\n        ' + PLACEHOLDER + "\n\n" + other + "\n```\n"
    )
    assert "fnv1a(key) % capacity" not in shown


def test_a_snippet_of_the_body_shown_elsewhere_goes_with_its_note_and_markers_follow():
    text = (
        "**fnv1a**\n\nFNV-1a mixes bytes. [1]\n\n```python\nreturn fnv1a(key) % capacity\n```\n\n"
        "*(Used in `hashing.bucket_index`, `hashing.py`.)*\n\nIt is fast. [3]\n"
    )
    citations = [
        {"source": "a", "start": 0, "end": 18, "quote": "FNV-1a mixes bytes."},
        {"source": "b", "start": 40, "end": 68, "quote": "return fnv1a(key) % capacity"},
        {"source": "a", "start": 30, "end": 41, "quote": "It is fast."},
    ]
    shown, cited = hide_in_lesson(text, citations, BODIES)
    assert shown == "**fnv1a**\n\nFNV-1a mixes bytes. [1]\n\nIt is fast. [2]\n"
    assert cited == [citations[0], citations[2]]


def test_a_lesson_without_the_body_is_returned_as_written():
    text = "**x**\n\n\n\nA short line: `return value`.\n\n```python\nreturn value\nx = 1\n```\n"
    citations = [{"source": "a", "start": 0, "end": 3, "quote": "x y"}]
    assert hide_in_lesson(text, citations, BODIES) == (text, citations)
    assert hide_in_lesson(text, citations, ()) == (text, citations)


def test_a_lone_short_line_of_a_body_is_not_taken_for_it():
    bodies = hidden_bodies([{"kind": "write_code", "answer": "def f(x):\n    y = x\n    return y"}])
    assert not shows_body("return y", bodies)  # too common to say anything
    assert shows_body("y = x\nreturn y", bodies)
    assert shows_body("return fnv1a(key) % capacity", BODIES)


def test_explain_it_another_way_never_draws_on_a_passage_that_quotes_the_body():
    from teachback.engine.protocol import Span
    from teachback.tutor.hidden_code import without_hidden_bodies
    from teachback.tutor.published import Curriculum

    cur = Curriculum(
        id="hash",
        concepts=[],
        prerequisites={},
        units={},
        exercise_rows={"c1": [{"kind": "write_code", "answer": SOURCE}]},
    )
    quoting = Span(source="s", start=0, end=30, quote="    return fnv1a(key) % capacity")
    other = Span(source="s", start=40, end=80, quote="A bucket is one slot of the array.")
    assert without_hidden_bodies(cur, [quoting, other]) == [other]
    cur.exercise_rows = {}
    assert without_hidden_bodies(cur, [quoting, other]) == [quoting, other]
