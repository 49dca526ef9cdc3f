"""One grader per exercise kind, in a small registry keyed by kind.

A grader takes a ``GradeRequest`` and returns a ``Grade``. Built-in kinds register themselves
with ``@register("kind")`` exactly as an extension would. The learner's answer always arrives as
text (``GradeRequest.answer``); list-like answers (ordering, matching) may be one item per line,
separated by ``;``/``,``/``->``, given as 1-based positions / option letters, or a JSON list.

Not handled: partial credit for multiple choice (one option is right or it is not); executing
code to check a predicted output (outputs are compared as text and Python literals, never run).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from teachback.core.kinds import NAMES, graded_by_model
from teachback.core.text import stem
from teachback.engine.protocol import (
    PARTLY_AT,
    ExerciseDraft,
    Grade,
    GradeRequest,
    Span,
    verdict_for,
)
from teachback.tutor.grading.feedback import compose, said_and_covered
from teachback.tutor.grading.freetext import said_for, score_free_text
from teachback.tutor.grading.text import (
    clean,
    content_stems,
    idea_units,
    is_non_answer,
    words,
)

Grader = Callable[[GradeRequest], Grade]
GRADERS: dict[str, Grader] = {}


def register(kind: str) -> Callable[[Grader], Grader]:
    def wrap(fn: Grader) -> Grader:
        GRADERS[kind] = fn
        return fn

    return wrap


# -- helpers ---------------------------------------------------------------------------------


def _exercise(req: GradeRequest) -> ExerciseDraft | None:
    return req.exercise


def _citations(req: GradeRequest) -> list[Span]:
    return list(req.citations) or (list(req.exercise.citations) if req.exercise else [])


def _key(req: GradeRequest):
    """The answer key: the exercise's when there is one, else the request's reference text."""
    if req.exercise is not None and req.exercise.answer not in ("", [], None):
        return req.exercise.answer
    return req.reference


def _data(req: GradeRequest) -> dict:
    return dict(req.exercise.data) if req.exercise is not None else {}


def _norm(text: str) -> str:
    return " ".join(words(text))


def _grade(
    score: float,
    req: GradeRequest,
    *,
    right: list[str] | str | None = None,
    covered: list[str] | None = None,
    missing: list[str] | None = None,
    expected: str = "",
    notes: list[str] | None = None,
    verdict=None,
    say_missing: bool = True,
) -> Grade:
    verdict = verdict or verdict_for(score)
    covered, missing = covered or [], missing or []
    feedback = compose(
        verdict,
        right=right,
        missing=missing if say_missing else [],
        citations=_citations(req),
        expected=expected,
        notes=[n for n in (notes or []) if n],
    )
    return Grade(
        score=round(min(max(score, 0.0), 1.0), 4),
        verdict=verdict,
        feedback=feedback,
        covered=covered,
        missing=missing,
        citations=_citations(req),
    )


def _split_items(answer: str) -> list[str]:
    """A list-like answer as items: a JSON list, or lines, or ``;``/``,``/``->``/``>`` separated."""
    text = (answer or "").strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
            if isinstance(value, list):
                return [str(v).strip() for v in value if str(v).strip()]
        except ValueError:
            pass
    for sep in ("\n", "->", "=>", ">", ";", ","):
        if sep in text:
            items = [re.sub(r"^\s*(\d+[.)]|[-*•])\s+", "", p).strip() for p in text.split(sep)]
            return [i for i in items if i]
    return [text] if text else []


def _letter_or_index(item: str, options: list[str]) -> str | None:
    """'B', 'b)', '(b)', '2' -> the option it names (1-based numbers, letters a..z)."""
    m = re.fullmatch(r"\(?\s*([A-Za-z]|\d{1,2})\s*[).:]?\s*", item.strip())
    if not m or not options:
        return None
    tok = m.group(1)
    i = int(tok) - 1 if tok.isdigit() else ord(tok.lower()) - ord("a")
    return options[i] if 0 <= i < len(options) else None


def _best_match(item: str, options: list[str], cutoff: float = 80.0) -> str | None:
    """The option an item names: by letter/index, exact text, or a close fuzzy match."""
    by_position = _letter_or_index(item, options)
    if by_position is not None:
        return by_position
    n = _norm(item)
    for o in options:
        if _norm(o) == n:
            return o
    scored = [(fuzz.token_sort_ratio(n, _norm(o)), o) for o in options]
    scored.sort(key=lambda t: -t[0])
    if scored and scored[0][0] >= cutoff and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None


def _empty(req: GradeRequest, expected: str) -> Grade:
    return _grade(0.0, req, missing=[], right="No answer was given.", expected=expected)


# -- closed kinds -------------------------------------------------------------------------------


@register("multiple_choice")
def grade_multiple_choice(req: GradeRequest) -> Grade:
    key = str(_key(req))
    options = list(req.exercise.choices) if req.exercise else []
    if key and key not in options:
        # The key may itself be a letter ("B") naming an option.
        key = _letter_or_index(key, options) or key
    if is_non_answer(req.answer) and not _letter_or_index(req.answer, options):
        return _empty(req, key)
    chosen = _best_match(req.answer, options or [key], cutoff=90.0)
    if chosen is not None and _norm(chosen) == _norm(key):
        return _grade(1.0, req, right=f"“{key}” is the right option.")
    picked = f"You chose “{chosen}”." if chosen else "Your answer does not name one of the options."
    return _grade(0.0, req, right=picked, expected=key)


def _word_ok(given: str, wanted: str) -> tuple[bool, str]:
    """Same word up to inflection (same stem) or a small spelling slip (edit distance)."""
    g, w = _norm(given), _norm(wanted)
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
    key = _key(req)
    accepted = [str(key)] if not isinstance(key, list) else [str(k) for k in key]
    accepted += [str(a) for a in _data(req).get("accepted", []) or []]
    accepted = [a for a in dict.fromkeys(accepted) if a.strip()]
    if is_non_answer(req.answer):
        return _empty(req, accepted[0] if accepted else "")
    for a in accepted:
        ok, how = _word_ok(req.answer, a)
        if ok:
            note = {
                "exact": "",
                "inflection": f"(accepted as a form of “{a}”)",
                "spelling": f"Mind the spelling: “{a}”.",
            }[how]
            return _grade(1.0, req, right=f"“{clean(req.answer)}” fills the blank.", notes=[note])
    return _grade(
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
    key = _as_bool(_key(req))
    given = _as_bool(req.answer)
    corrected = _data(req).get("corrected", "")
    notes = [f"The corrected statement: {corrected}"] if corrected and key is False else []
    if given is None:
        return _grade(
            0.0,
            req,
            right="Answer true or false (yes/no, t/f also work).",
            expected=str(key).lower() if key is not None else "",
            notes=notes,
        )
    if key is None:
        raise ValueError("true/false exercise without a true/false key")
    if given == key:
        return _grade(1.0, req, right=f"The statement is {str(key).lower()}.", notes=notes)
    return _grade(0.0, req, right=f"The statement is {str(key).lower()}.", notes=notes)


def _lcs(a: list, b: list) -> int:
    """Length of the longest common subsequence: [1, 2, 3] vs [1, 3, 2] -> 2."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


@register("ordering")
def grade_ordering(req: GradeRequest) -> Grade:
    key = _data(req).get("sequence") or _key(req)
    order = [str(k) for k in key] if isinstance(key, list) else _split_items(str(key))
    items = _split_items(req.answer)
    if not items or not order:
        return _empty(req, " → ".join(order))
    options = list(req.exercise.choices) if req.exercise and req.exercise.choices else order
    mapped = []
    for it in items:
        m = _best_match(it, options)
        m = _best_match(m, order) if m is not None and m not in order else m
        if m is not None and m not in mapped:
            mapped.append(m)
    # Partial credit: the longest run of steps in the right relative order, over all steps.
    score = _lcs(mapped, order) / len(order)
    if score == 1.0:
        return _grade(1.0, req, right="Every step is in the right place.")
    right = f"{_lcs(mapped, order)} of {len(order)} steps are in the right relative order."
    return _grade(score, req, right=right, expected=" → ".join(order))


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
        # One pair per line; a single line may hold several pairs separated by ";".
        value = [p for p in re.split(r"\n" if "\n" in text else ";", text) if p.strip()]
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
    data = _data(req)
    key = _pairs(data.get("pairs") or _key(req))
    given = _pairs(req.answer)
    if not key:
        raise ValueError("matching exercise without pairs")
    lefts, rights = [k for k, _ in key], [v for _, v in key]
    chosen: dict[str, str] = {}
    for left, right in given:
        lm = _best_match(left, lefts)
        rm = _best_match(right, rights)
        if lm is not None and rm is not None:
            chosen.setdefault(lm, rm)
    good = [f"{k} => {v}" for k, v in key if chosen.get(k) == v]
    bad = [f"{k} => {v}" for k, v in key if chosen.get(k) != v]
    score = len(good) / len(key)
    right = f"{len(good)} of {len(key)} pairs are right."
    return _grade(score, req, right=right, covered=good, missing=bad)


# -- code kinds -----------------------------------------------------------------------------------


def _output_forms(text: str) -> set[str]:
    """Equivalent spellings of an output: whitespace, quote style and Python literal reprs.

    ``"'a'"``, ``'"a"'`` and ``"a"`` are one output; so are ``[1,2]`` and ``[1, 2]``. Literals are
    parsed with ``ast.literal_eval`` (which never runs code), nothing is executed.
    """
    raw = (text or "").strip().strip("`").strip()
    forms = {" ".join(raw.split()), " ".join(raw.replace('"', "'").split())}
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = None
    else:
        forms.add(repr(value))
        if isinstance(value, str):
            forms.add(" ".join(value.split()))
    return {f for f in forms if f}


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").strip().splitlines() if line.strip()]


@register("predict_output")
def grade_predict_output(req: GradeRequest) -> Grade:
    key = str(_key(req))
    accepted = [key] + [str(a) for a in _data(req).get("accepted", []) or []]
    if not (req.answer or "").strip():
        return _empty(req, key)
    given = _output_forms(req.answer)
    if any(given & _output_forms(a) for a in accepted):
        return _grade(1.0, req, right="That is exactly what it prints.")
    want, got = _lines(key), _lines(req.answer)
    if len(want) > 1:
        # Several output lines: credit for each line predicted right, in place.
        hits = sum(
            1
            for i, w in enumerate(want)
            if i < len(got) and _output_forms(got[i]) & _output_forms(w)
        )
        score = hits / len(want)
        return _grade(score, req, right=f"{hits} of {len(want)} lines are right.", expected=key)
    return _grade(0.0, req, right="That is not what it prints.", expected=key)


def _symbol(name: str) -> str:
    """'pkg.mod.func(x, y)' -> 'func'; '`Class.method()`' -> 'method'."""
    text = clean(name).strip("`'\" ").split("(")[0].strip()
    text = re.split(r"\s+", text)[-1] if text else text
    return re.split(r"\.|::|:", text)[-1].lower() if text else ""


@register("which_function")
def grade_which_function(req: GradeRequest) -> Grade:
    key = _key(req)
    names = [str(k) for k in key] if isinstance(key, list) else [str(key)]
    names += [str(a) for a in _data(req).get("accepted", []) or []]
    options = list(req.exercise.choices) if req.exercise and req.exercise.choices else []
    answer = (_best_match(req.answer, options, cutoff=90.0) if options else None) or req.answer
    if is_non_answer(answer):
        return _empty(req, names[0])
    if _symbol(answer) and any(_symbol(answer) == _symbol(n) for n in names):
        return _grade(1.0, req, right=f"“{names[0]}” is the one to call.")
    return _grade(0.0, req, right=f"“{clean(answer)}” is not the one.", expected=names[0])


# -- free-text kinds ----------------------------------------------------------------------------


def grade_free_text(req: GradeRequest) -> Grade:
    """Short answers, what-does-this-function-do, and unknown kinds: meaning against a reference."""
    if req.exercise is not None and req.exercise.choices:
        # e.g. "what does this function do?" offered as options: the answer is an option.
        return grade_multiple_choice(req)
    data = _data(req)
    key = _key(req)
    reference = (
        req.reference
        or str(data.get("reference") or "")
        or (key if isinstance(key, str) else " ".join(map(str, key)))
    )
    rubric = list(req.rubric) or [str(r) for r in data.get("rubric", []) or []]
    question = req.question or (req.exercise.prompt if req.exercise else "")
    result = score_free_text(question, reference, req.answer, rubric)
    notes = []
    if result.instructions_seen:
        notes.append("Instructions inside an answer are not followed; it was graded as an answer.")
    verdict = verdict_for(result.score)
    covered, missing = _as_ideas(result.covered, result.missing, reference)
    # Nothing of the reference stated: show it whole, once, rather than each point as missing.
    whole = verdict != "correct" and not covered
    return _grade(
        result.score,
        req,
        right=_free_text_right(result, covered, req.answer, question),
        covered=covered,
        missing=missing,
        expected=reference if whole else "",
        notes=notes,
        verdict=verdict,
        say_missing=not whole,
    )


# What an answer made of the reference's words got wrong, by ``FreeTextResult.diagnosis``.
_GAMING = {
    "negated": "Your answer says the opposite of the expected answer",
    "reordered": (
        "Your answer uses the right terms but puts them in the wrong relation to each other."
    ),
    "keywords": "Your answer lists words from the expected answer without saying how they relate.",
}


def _as_ideas(covered: list[str], missing: list[str], reference: str) -> tuple[list, list]:
    """Rubric points cut out of the reference ("load factor low") named by the idea unit of the
    reference they come from ("a resizing policy that keeps the load factor low"), so feedback
    quotes statements, not stray words. A unit is covered when all its points are. Only for a
    reference of several units: naming a one-statement reference whole would hide which part
    was missing."""
    units = idea_units(reference)
    if len(units) < 2:
        return covered, missing  # one statement: its fragments say more than the whole would
    norm = " ".join(words(reference))

    def unit_of(point: str) -> str:
        said = " ".join(words(point))
        if not said or f" {said} " not in f" {norm} ":
            return point  # the author's own wording: shown as written
        return next((u for u in units if f" {said} " in f" {' '.join(words(u))} "), point)

    missed = list(dict.fromkeys(unit_of(p) for p in missing))
    kept = [u for u in dict.fromkeys(unit_of(p) for p in covered) if u not in missed]
    return kept, missed


def _free_text_right(result, covered: list[str], answer: str, question: str) -> str:
    if result.rule == "non_answer":
        return "No answer was given."
    if result.rule == "off_topic":
        return "Your answer is about something else."
    if result.rule == "gaming":
        said = _GAMING[result.diagnosis]
        if result.diagnosis == "negated":
            said += f": “{result.quote}”." if result.quote else "."
        return said
    if covered:
        # Quote what the learner said that covers each point, in their own words.
        return said_and_covered(said_for(answer, covered, set(content_stems(question))))
    if result.rule == "question":
        return "Your answer restates the question without answering it."
    if result.rule == "no_key_point":
        return "Your answer does not say it in the expected answer's terms; compare the two."
    if result.score >= PARTLY_AT:
        return "Your answer is on the topic but does not clearly state the expected answer."
    return "Your answer does not yet state the expected answer."


# Every kind core/kinds.py declares graded by the model is free text against a reference.
for _name in NAMES:
    if graded_by_model(_name):
        GRADERS[_name] = grade_free_text
