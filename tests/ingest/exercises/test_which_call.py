"""Which call gives this output? (``ingest/exercises/kinds/which_call.py``), run in the sandbox."""

from __future__ import annotations

import json

from teachback.ingest.exercises import generate_checked
from teachback.ingest.readers import load_sources
from teachback.tests.sandbox_required import require_sandbox

from .conftest import concept

WORDS = ["watermelon", "strawberry", "blackcurrant", "gooseberry", "elderberry", "cranberry",
         "persimmon", "pomegranate", "tangerine", "clementine"]  # fmt: skip


def _notebook(tmp_path, cells):
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "The sorted function returns "
             "a new sorted list from the items of any iterable."}
        ] + [
            {"cell_type": "code", "metadata": {}, "execution_count": i, "source": src,
             "outputs": [{"output_type": "execute_result", "execution_count": i, "metadata": {},
                          "data": {"text/plain": out}}] if out else []}
            for i, (src, out) in enumerate(cells, 1)
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }  # fmt: skip
    path = tmp_path / "sorting.ipynb"
    path.write_text(json.dumps(nb))
    return load_sources([str(path)]).documents


def test_a_long_output_is_asked_as_which_call_gives_it(tmp_path):
    require_sandbox()
    by_len = sorted(WORDS, key=len)
    docs = _notebook(
        tmp_path,
        [
            (f"words = {WORDS!r}", ""),
            ("sorted(words)", repr(sorted(WORDS))),
            ("sorted(words, key=len)", repr(by_len)),
            ("sorted(words, reverse=True)", repr(sorted(WORDS, reverse=True))),
            ("words[::-1]", repr(WORDS[::-1])),
        ],
    )
    c = concept("sorted", "The sorted function returns a new sorted list.", kind="code")
    kept, rejected = generate_checked(c, [c], docs)
    asked = [ex for ex in kept + rejected if ex.data.get("generator") == "which_call"]
    first = asked[0]
    assert [ex.self_check.passed for ex in asked] == [True, True]
    assert (first.kind, first.answer) == ("multiple_choice", "sorted(words)")
    assert sorted(first.choices) == sorted(
        ["sorted(words)", "sorted(words, key=len)", "sorted(words, reverse=True)", "words[::-1]"]
    )
    assert first.data["cells"] == [f"words = {WORDS!r}"]
    assert first.prompt.endswith(f"Output:\n\n```\n{sorted(WORDS)!r}\n```")
    assert asked[1].answer == "sorted(words, key=len)"


def test_a_call_whose_output_does_not_reproduce_is_not_asked(tmp_path):
    require_sandbox()
    docs = _notebook(
        tmp_path,
        [
            (f"words = {WORDS!r}", ""),
            ("sorted(words)", repr(WORDS)),  # recorded before the list changed: not reproduced
            ("sorted(words, key=len)", repr(sorted(WORDS, key=len))),
            ("words[::-1]", repr(WORDS[::-1])),
        ],
    )
    c = concept("sorted", "The sorted function returns a new sorted list.", kind="code")
    kept, rejected = generate_checked(c, [c], docs)
    answers = [ex.answer for ex in kept + rejected if ex.data.get("generator") == "which_call"]
    assert answers == ["sorted(words, key=len)"]
