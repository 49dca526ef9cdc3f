"""The code-reading kinds: predict the output, and which function to call.

Outputs are compared as text and as Python literals (``[1,2]`` and ``[1, 2]`` are one output),
then by what they show: the values of a repr or a table, cell by cell, however its lines are
broken or spaced (a pandas or NumPy repr written on one line is the same output). Nothing is
run. A function is named by its last dotted part, with or without arguments.

Not handled: executing code to check a predicted output.
"""

from __future__ import annotations

import ast
import re

from teachback.engine.protocol import Grade, GradeRequest
from teachback.tutor.grading.kinds import request
from teachback.tutor.grading.kinds.items import best_match, lcs_length
from teachback.tutor.grading.kinds.registry import register
from teachback.tutor.grading.text import clean, is_non_answer


def _output_forms(text: str) -> set[str]:
    """Equivalent spellings of an output: whitespace, quote style and Python literal reprs.

    ``"'a'"``, ``'"a"'`` and ``"a"`` are one output; so are ``[1,2]`` and ``[1, 2]``. Literals are
    parsed with ``ast.literal_eval`` (which never runs code), nothing is executed.
    """
    raw = (text or "").strip().strip("`").strip()
    forms = {" ".join(raw.split()), " ".join(raw.replace('"', "'").split())}
    forms |= {_compact(f) for f in forms}
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = None
    else:
        forms.add(repr(value))
        if isinstance(value, str):
            forms.add(" ".join(value.split()))
    return {f for f in forms if f}


# Whitespace beside brackets and separators, and a comma before a closing bracket, are how
# a repr wraps a long value ("MultiIndex([('a', 1),\n            ('b', 2)],\n           )"), not
# part of what it prints: a learner writes it on one line. Spaces between two words or numbers
# stay ("1 2" is not "12").
_AROUND_PUNCT = re.compile(r"\s*([()\[\]{},:])\s*")
_COMMA_BEFORE_CLOSE = re.compile(r",([)\]}])")


def _compact(text: str) -> str:
    return _COMMA_BEFORE_CLOSE.sub(r"\1", _AROUND_PUNCT.sub(r"\1", text))


def _shown(key: str) -> str:
    """The key as the feedback shows it: a repr the interpreter wrapped over lines written on one
    line, without the wrap's stray separator ("MultiIndex([('a', 1), ('b', 2)])", not "...],
    )"); a table or several printed lines as they are."""
    first = (key or "").strip().splitlines()[:1]
    if not first or sum(first[0].count(c) for c in "([{") <= sum(first[0].count(c) for c in ")]}"):
        return key
    return _COMMA_BEFORE_CLOSE.sub(r"\1", re.sub(r"\s*\n\s*", " ", key.strip()).replace(" )", ")"))


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").strip().splitlines() if line.strip()]


# A value an output shows: a quoted string, a number, or a name ("MultiIndex", "NaN", "dtype").
_CELL = re.compile(
    r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
    r"|[A-Za-z_]\w*"
)
# An output with some of its values wrong is partly predicted, never right: the score stays
# below "correct" however many values match.
CELLS_PARTLY_AT, CELLS_CAP = 0.5, 0.7


def _cells(text: str) -> list[tuple[str, object]]:
    """The values an output shows, in order: ``"1.0"`` and ``"1."`` are one number, ``'a'`` and
    ``"a"`` one string, and names compare without case ("nan" for "NaN")."""
    out: list[tuple[str, object]] = []
    for tok in _CELL.findall(text or ""):
        if tok[0] in "'\"":
            out.append(("str", tok[1:-1]))
        elif tok[0].isalpha() or tok[0] == "_":
            out.append(("name", tok.lower()))
        else:
            out.append(("num", float(tok)))
    return out


def _same_values(answer: str, accepted: list[str]) -> bool:
    """Whether the answer shows the values of an accepted output, all of them, in order."""
    got = _cells(answer)
    return bool(got) and any(got == _cells(a) for a in accepted)


def _partly_by_cells(req: GradeRequest, key: str) -> Grade | None:
    """Most of the output's values right, in order: partly right (None when few match)."""
    want, got = _cells(key), _cells(req.answer)
    if not want or not got:
        return None
    hits = lcs_length(want, got)
    share = hits / max(len(want), len(got))
    if share < CELLS_PARTLY_AT:
        return None
    return request.grade(
        min(share, CELLS_CAP),
        req,
        right=f"{hits} of {len(want)} values are right.",
        expected=_shown(key),
    )


@register("predict_output")
def grade_predict_output(req: GradeRequest) -> Grade:
    key = str(request.key(req))
    accepted = [key] + [str(a) for a in request.data(req).get("accepted", []) or []]
    if not (req.answer or "").strip():
        return request.empty(req, key)
    given = _output_forms(req.answer)
    if any(given & _output_forms(a) for a in accepted):
        return request.grade(1.0, req, right="That is exactly what it prints.")
    if _same_values(req.answer, accepted):
        return request.grade(1.0, req, right="That is what it prints.")
    want, got = _lines(key), _lines(req.answer)
    if len(want) != len(got) or len(want) == 1:
        # Lines broken otherwise than the key's: compared by the values they show.
        partly = _partly_by_cells(req, key)
        if partly is not None:
            return partly
    if len(want) > 1:
        # Several output lines: credit for each line predicted right, in place.
        hits = sum(
            1
            for i, w in enumerate(want)
            if i < len(got) and _output_forms(got[i]) & _output_forms(w)
        )
        # A line predicted wrong is a wrong prediction: partly, however many lines are right.
        score = 1.0 if hits == len(want) == len(got) else min(hits / len(want), CELLS_CAP)
        return request.grade(
            score, req, right=f"{hits} of {len(want)} lines are right.", expected=_shown(key)
        )
    return request.grade(0.0, req, right="That is not what it prints.", expected=_shown(key))


def _symbol(name: str) -> str:
    """'pkg.mod.func(x, y)' -> 'func'; '`Class.method()`' -> 'method'."""
    text = clean(name).strip("`'\" ").split("(")[0].strip()
    text = re.split(r"\s+", text)[-1] if text else text
    return re.split(r"\.|::|:", text)[-1].lower() if text else ""


@register("which_function")
def grade_which_function(req: GradeRequest) -> Grade:
    key = request.key(req)
    names = [str(k) for k in key] if isinstance(key, list) else [str(key)]
    names += [str(a) for a in request.data(req).get("accepted", []) or []]
    options = list(req.exercise.choices) if req.exercise and req.exercise.choices else []
    answer = (best_match(req.answer, options, cutoff=90.0) if options else None) or req.answer
    if is_non_answer(answer):
        return request.empty(req, names[0])
    if _symbol(answer) and any(_symbol(answer) == _symbol(n) for n in names):
        return request.grade(1.0, req, right=f"“{names[0]}” is the one to call.")
    return request.grade(0.0, req, right=f"“{clean(answer)}” is not the one.", expected=names[0])
