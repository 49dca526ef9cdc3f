"""Calls of a library module's documented functions, asked as predict-the-output."""

from __future__ import annotations

import ast

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.exercises import make_exercises
from teachback.ingest.exercises.kinds.predict_output.calls import (
    calls_of,
    library_code,
    worth_asking,
)
from teachback.ingest.readers import load_sources
from teachback.tests.sandbox_required import require_sandbox

SEARCH_PY = '''"""Searching a sorted list."""


def count_below(a, x):
    """How many entries of the sorted list a are smaller than x."""
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def largest(n, iterable):
    """The n largest entries, largest first."""
    return sorted(iterable, reverse=True)[:n]


def mark(a):
    """Append a marker to a, in place."""
    a.append(0)


def apply(func, a):
    """Call func on every entry."""
    return [func(v) for v in a]


if __name__ == "__main__":
    print("this never runs")
'''


def _def(src: str) -> ast.FunctionDef:
    return ast.parse(src).body[0]


def test_values_follow_the_parameters_names_and_what_the_function_assumes():
    assert calls_of(_def("def f(a, x):\n    'Where x goes in the sorted list a.'")) == [
        "f([1, 2, 4, 4, 7], 4)"
    ]
    assert calls_of(_def("def f(n, data):\n    'The n first.'")) == ["f(2, [5, 1, 4, 4, 2])"]
    assert calls_of(_def("def f(heap):\n    'Pop one.'")) == ["f([1, 2, 4, 4, 7])"]
    # a parameter whose name says nothing, or keyword-only without default: not called
    assert calls_of(_def("def f(func, a):\n    pass")) == []
    assert calls_of(_def("def f(a, *, key):\n    pass")) == []
    assert calls_of(_def("def f():\n    pass")) == []


def test_a_script_is_never_run_and_a_main_block_is_left_out():
    assert library_code("train()\n", ast.parse("train()\n")) is None
    code = library_code(SEARCH_PY, ast.parse(SEARCH_PY))
    assert "def largest" in code and "__main__" not in code and "never runs" not in code


def test_a_documented_function_is_asked_what_a_call_returns(tmp_path):
    require_sandbox()
    (tmp_path / "search.py").write_text(SEARCH_PY)
    docs = load_sources([str(tmp_path)]).documents
    concepts = extract_concepts(docs)
    asked = {}
    for c in concepts:
        for ex in make_exercises(c, concepts, docs):
            if ex.kind == "predict_output":
                asked[ex.data["source"]] = ex.answer
    # the key is what the source's own function returned in the sandbox; a function that
    # returns None (mark) or one that needs a function (apply) is not asked
    assert asked == {
        "count_below([1, 2, 4, 4, 7], 4)": "2",
        "largest(2, [5, 1, 4, 4, 2])": "[5, 4]",
    }


def test_a_result_worth_asking_is_worked_out_not_copied_nor_interpolated():
    assert worth_asking("bisect_left([1, 2, 4, 4, 7], 4)", "2")
    assert worth_asking("median([5, 1, 4, 4, 2])", "4.0")  # a whole number, written as a float
    assert not worth_asking("quantiles([5, 1, 4, 4, 2])", "[1.5, 4.0, 4.5]")
    assert not worth_asking("mark([5, 1, 4, 4, 2])", "None")
    assert not worth_asking("wrap('the quick brown fox jumps')", "['the quick brown fox jumps']")
