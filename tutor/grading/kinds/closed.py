"""The closed kinds, checked against their key: multiple choice, cloze, true/false, ordering,
matching.

Matching is tolerant where a teacher would be: an option named by letter or a close spelling, a
cloze word up to inflection or a small slip, true/false as yes/no; ordering and matching earn
partial credit (steps in the right relative order, pairs right).

Not handled: partial credit for multiple choice (one option is right or it is not).
"""

from __future__ import annotations

import json
import re

from rapidfuzz.distance import Levenshtein

from teachback.core.text import stem
from teachback.engine.protocol import Grade, GradeRequest
from teachback.tutor.grading.kinds import request
from teachback.tutor.grading.kinds.items import (
    best_match,
    lcs_length,
    letter_or_index,
    norm,
    split_items,
)
from teachback.tutor.grading.kinds.registry import register
from teachback.tutor.grading.text import clean, is_non_answer, words


@register("multiple_choice")
def grade_multiple_choice(req: GradeRequest) -> Grade:
    key = str(request.key(req))
    options = list(req.exercise.choices) if req.exercise else []
    if key and key not in options:
        # The key may itself be a letter ("B") naming an option.
        key = letter_or_index(key, options) or key
    if is_non_answer(req.answer) and not letter_or_index(req.answer, options):
        return request.empty(req, key)
    chosen = best_match(req.answer, options or [key], cutoff=90.0)
    if chosen is not None and norm(chosen) == norm(key):
        return request.grade(1.0, req, right=f"“{key}” is the right option.")
    picked = f"You chose “{chosen}”." if chosen else "Your answer does not name one of the options."
    return request.grade(0.0, req, right=picked, expected=key)


def _word_ok(given: str, wanted: str) -> tuple[bool, str]:
    """Same word up to inflection (same stem) or a small spelling slip (edit distance)."""
    g, w = norm(given), norm(wanted)
    if not g or not w:
        return False, ""
    if g == w:
        return True, "exact"
    gs, ws = g.split(), w.split()
    if len(gs) == len(ws) and all(stem(a) == stem(b) for a, b in zip(gs, ws, strict=True)):
        return True, "inflection"
    longest = max(len(w), 1)
    budget = 0 if longest < 5 else 1 if longest < 9 else 2
    if budget and Levenshtein.distance(g, w) <= budget:
        return True, "spelling"
    stems_g, stems_w = " ".join(stem(a) for a in gs), " ".join(stem(b) for b in ws)
    if budget and Levenshtein.distance(stems_g, stems_w) <= budget and len(gs) == len(ws):
        return True, "spelling"
    return False, ""


@register("cloze")
def grade_cloze(req: GradeRequest) -> Grade:
    key = request.key(req)
    accepted = [str(key)] if not isinstance(key, list) else [str(k) for k in key]
    accepted += [str(a) for a in request.data(req).get("accepted", []) or []]
    accepted = [a for a in dict.fromkeys(accepted) if a.strip()]
    if is_non_answer(req.answer):
        return request.empty(req, accepted[0] if accepted else "")
    for a in accepted:
        ok, how = _word_ok(req.answer, a)
        if ok:
            note = {
                "exact": "",
                "inflection": f"(accepted as a form of “{a}”)",
                "spelling": f"Mind the spelling: “{a}”.",
            }[how]
            return request.grade(
                1.0, req, right=f"“{clean(req.answer)}” fills the blank.", notes=[note]
            )
    return request.grade(
        0.0, req, right=f"“{clean(req.answer)}” does not fit the blank.", expected=accepted[0]
    )


_TRUE = {"true", "t", "yes", "y", "1", "correct", "right", "wahr", "vrai"}
_FALSE = {"false", "f", "no", "n", "0", "incorrect", "wrong", "falsch", "faux"}


def _as_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    w = words(str(value))
    if not w:
        return None
    if w[0] in _TRUE:
        return True
    if w[0] in _FALSE:
        return False
    return None


@register("true_false")
def grade_true_false(req: GradeRequest) -> Grade:
    key = _as_bool(request.key(req))
    given = _as_bool(req.answer)
    corrected = request.data(req).get("corrected", "")
    notes = [f"The corrected statement: {corrected}"] if corrected and key is False else []
    if given is None:
        return request.grade(
            0.0,
            req,
            right="Answer true or false (yes/no, t/f also work).",
            expected=str(key).lower() if key is not None else "",
            notes=notes,
        )
    if key is None:
        raise ValueError("true/false exercise without a true/false key")
    if given == key:
        return request.grade(1.0, req, right=f"The statement is {str(key).lower()}.", notes=notes)
    return request.grade(0.0, req, right=f"The statement is {str(key).lower()}.", notes=notes)


@register("ordering")
def grade_ordering(req: GradeRequest) -> Grade:
    key = request.data(req).get("sequence") or request.key(req)
    order = [str(k) for k in key] if isinstance(key, list) else split_items(str(key))
    items = split_items(req.answer)
    if not items or not order:
        return request.empty(req, " → ".join(order))
    options = list(req.exercise.choices) if req.exercise and req.exercise.choices else order
    mapped = []
    for it in items:
        m = best_match(it, options)
        m = best_match(m, order) if m is not None and m not in order else m
        if m is not None and m not in mapped:
            mapped.append(m)
    # Partial credit: the longest run of steps in the right relative order, over all steps.
    in_order = lcs_length(mapped, order)
    score = in_order / len(order)
    if score == 1.0:
        return request.grade(1.0, req, right="Every step is in the right place.")
    right = f"{in_order} of {len(order)} steps are in the right relative order."
    return request.grade(score, req, right=right, expected=" → ".join(order))


_PAIR_COMMA = re.compile(r",\s*(?=[^,]*(?:=>|->|\u2192))")


def _pair_lines(text: str) -> list[str]:
    """One pair per line; a single line may hold several pairs separated by ";", or by ","
    before each further pair ("rehashing => 3, tombstone => 1"; a comma inside a description,
    with no pair after it, stays in it)."""
    if "\n" in text:
        return text.split("\n")
    if ";" in text:
        return text.split(";")
    return _PAIR_COMMA.split(text)


def _pairs(value) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [(str(k), str(v)) for k, v in value.items()]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            try:
                return _pairs(json.loads(text))
            except ValueError:
                pass
        value = [p for p in _pair_lines(text) if p.strip()]
    out = []
    for item in value or []:
        if isinstance(item, list | tuple) and len(item) == 2:
            out.append((str(item[0]), str(item[1])))
            continue
        # The strongest separator present wins, so a ":" inside a description stays in it.
        for sep in ("=>", "->", "→", "=", ":"):
            if sep in str(item):
                left, right = str(item).split(sep, 1)
                if left.strip() and right.strip():
                    out.append((left.strip(), right.strip()))
                break
    return out


@register("matching")
def grade_matching(req: GradeRequest) -> Grade:
    data = request.data(req)
    key = _pairs(data.get("pairs") or request.key(req))
    given = _pairs(req.answer)
    if not key:
        raise ValueError("matching exercise without pairs")
    lefts, rights = [k for k, _ in key], [v for _, v in key]
    # A number names a description as the question lists them (its choices), not in key order.
    shown = list(req.exercise.choices) if req.exercise is not None and req.exercise.choices else []
    chosen: dict[str, str] = {}
    for left, right in given:
        lm = best_match(left, lefts)
        rm = best_match(right, shown or rights)
        if lm is not None and rm is not None:
            chosen.setdefault(lm, rm)
    good = [f"{k} => {v}" for k, v in key if chosen.get(k) == v]
    bad = [f"{k} => {v}" for k, v in key if chosen.get(k) != v]
    score = len(good) / len(key)
    right = f"{len(good)} of {len(key)} pairs are right."
    return request.grade(score, req, right=right, covered=good, missing=bad)
