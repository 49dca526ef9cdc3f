"""Which call gives this output? — a notebook's cells, a long recorded output, calls to choose.

A notebook cell whose output is too long to write out (a DataFrame, a Series of more than five
lines, which predict-the-output leaves alone) can still be recognised: the prompt shows the
earlier cells it needs (``cells.dependencies``) and its output, and the options are its call
and other one-line calls of the same notebook on the same object (``data.fillna(0)`` against
``data.fillna(method='ffill')`` and ``data.dropna()``). Every option is run in the sandbox
after the same cells: the call must give the recorded output again, and each other option must
run without error and give an output of its own (none the same as the key's or another's).
At least two such other options, or no exercise. With no sandbox nothing is kept: an option
never run could give the same output.

Skipped: outputs that look run-dependent (memory addresses, timestamps, figures, HTML), code
that draws random numbers or reads the clock, IPython magics, outputs over ``MAX_OUT_LINES``
lines or ``MAX_OUT_CHARS`` characters, a last line that is a bare name (``df``: nothing to
choose between). Each notebook cell is asked under the one concept it belongs to
(``predict_output.ownership``); at most ``PER_CONCEPT`` per concept.

``data`` holds ``cells`` (what the prompt shows), ``expected`` (the recorded output),
``options_run`` ("verified") and ``symbol`` ("").

Reader (self-check): find each option as the last line of a notebook cell in the sources and
read the output saved with it; the option whose saved output is the one shown is the answer.
None: unanswerable; two: ambiguous.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from teachback import sandbox
from teachback.ingest.exercises import notebook_runs
from teachback.ingest.exercises.cells import has_magic, names, needed_code, strip_harmless_magics
from teachback.ingest.exercises.context import ConceptView, difficulty, rng_for
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.predict_output.candidates import fence
from teachback.ingest.exercises.kinds.predict_output.filters import (
    DRAWS,
    RANDOM_SOURCE,
    RUN_DEPENDENT,
    SEEDED,
    predictable,
)
from teachback.ingest.exercises.kinds.predict_output.ownership import owners
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.selfcheck import same_thing_options

MAX_OUT_LINES, MAX_OUT_CHARS = 15, 700
MAX_CALL_CHARS = 70
MAX_OPTIONS = 4
# other calls tried per cell (each a sandbox run) and cells tried per set of sources: bounds
# the time the sandbox adds to an ingest
MAX_TRIED = 5
MAX_CELLS = 150
PER_CONCEPT = 2
# the earlier cells shown: more than predict-the-output shows (the output is shown, not
# worked out), as few lines
MAX_SETUP_CELLS = 6
PROMPT = (
    "Which call, run in a fresh notebook after the cells shown (in order), gives the output "
    "shown?\n\n{cells}\n\nOutput:\n\n```\n{want}\n```"
)


@dataclass
class _Question:
    setup: list[str]  # the cells shown, run before the call
    call: str  # the key: the cell's last line
    want: str  # the output the notebook records for it
    others: list[str]  # other calls to try as options
    cite: list
    options: list[str] | None = None  # the call and the others that ran, once verified


def _last_call(code: str) -> tuple[str, str] | None:
    """(the code before the last line, the last line) when the cell ends with a one-line
    expression that is more than a bare name."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    last = tree.body[-1]
    if isinstance(last.value, ast.Name) or last.lineno != last.end_lineno:
        return None
    call = (ast.get_source_segment(code, last) or "").strip()
    if not call or len(call) > MAX_CALL_CHARS or call.startswith(("print(", "display(")):
        return None
    before = "\n".join(code.splitlines()[: last.lineno - 1]).strip()
    return (before, call) if last.col_offset == 0 else None


def _long_output(code: str, want: str) -> bool:
    """An output to recognise, not to write: longer than predict-the-output takes, short
    enough to read, and the same on every run."""
    want = want.strip()
    return (
        bool(want)
        and len(want) <= MAX_OUT_CHARS
        and len(want.splitlines()) <= MAX_OUT_LINES
        and not predictable(code, want, 10)
        and not RUN_DEPENDENT.search(want)
        and not (RANDOM_SOURCE.search(code) and not SEEDED.search(code))
        and not DRAWS.search(code)
    )


def _question(corpus: Corpus, units: list, codes: list[str], calls: list, i: int):
    """Cell ``i`` as a question (not yet run), or None."""
    unit, found = units[i], calls[i]
    if found is None or not _long_output(codes[i], "\n".join(o.strip() for o in unit.outputs)):
        return None
    # shown as recorded: a table's header keeps its indent
    want = "\n".join(x.rstrip() for x in "\n".join(unit.outputs).splitlines()).strip("\n")
    before, call = found
    needed = needed_code(codes, i, max_cells=MAX_SETUP_CELLS)
    if needed is None:
        return None
    setup = [shown for _, shown in needed] + ([before] if before else [])
    shown = "\n".join(setup)
    if DRAWS.search(shown) or (RANDOM_SOURCE.search(shown) and not SEEDED.search(shown)):
        return None
    defined, imported = set(), set()
    for code in setup:
        n = names(code)
        defined |= (n[0] | n[1]) if n else set()
        imported |= _imported(code)
    others = _others(calls, i, call, defined, imported)
    if len(others) < 2:
        return None
    # cited: the cell asked about (the cells before it are shown whole in the prompt, and two
    # questions after the same cells ask different facts)
    cite = [corpus.span(unit.doc, unit.section.start, unit.section.end)]
    return _Question(setup, call, want, others, cite)


def _imported(code: str) -> set[str]:
    """Names a cell binds by importing (``np``, ``pd``): modules, not objects to work on."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return set()
    return {
        (a.asname or a.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for a in node.names
    }


def _others(calls: list, i: int, call: str, defined: set[str], imported: set[str]) -> list[str]:
    """Calls that end other cells of the notebook, on objects the shown cells define (not only
    modules: ``pd.Series(...)`` is no alternative to ``pd.merge(df1, df2)``), nearest first."""
    if not _objects(call, imported):
        return []
    out: list[str] = []
    for j in sorted(range(len(calls)), key=lambda j: abs(j - i)):
        if j == i or calls[j] is None:
            continue
        before, other = calls[j]
        used = names(other)
        if other == call or other in out or used is None or not used[2] <= defined:
            continue
        set_up = names(before) if before else None
        if set_up is None and before:
            continue
        if set_up and (set_up[0] | set_up[1]) & used[2]:
            continue  # its own cell sets up what it uses: not the same call here
        if _objects(other, imported):
            out.append(other)
        if len(out) >= MAX_TRIED:
            break
    return out


def _objects(call: str, imported: set[str]) -> set[str]:
    used = names(call)
    return set(used[2]) - imported if used else set()


def _notebook_questions(corpus: Corpus) -> dict[tuple, _Question]:
    """Candidate questions, keyed by (document, cell start); made once per corpus (their
    programs are run with the other kinds', ``notebook_runs``)."""
    cached = corpus.__dict__.get("_which_call_questions")
    if cached is not None:
        return cached
    corpus.__dict__["_which_call_questions"] = out = _find_questions(corpus)
    return out


def _find_questions(corpus: Corpus) -> dict[tuple, _Question]:
    by_doc: dict[int, list] = {}
    for u in corpus.code_units:
        if u.kind == "cell":
            by_doc.setdefault(u.doc, []).append(u)
    out: dict[tuple, _Question] = {}
    asked: set[str] = set()  # one question per output: "data['area']" and "data.area" agree
    for units in by_doc.values():
        codes = [strip_harmless_magics(u.section.text) for u in units]
        calls = [None if has_magic(c) else _last_call(c) for c in codes]
        for i, unit in enumerate(units):
            q = _question(corpus, units, codes, calls, i)
            if q is not None and " ".join(q.want.split()) not in asked:
                asked.add(" ".join(q.want.split()))
                out[(unit.doc, unit.section.start)] = q
            if len(out) >= MAX_CELLS:
                return out
    return out


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _plan(corpus: Corpus) -> dict[tuple, _Question]:
    """The questions whose call reproduces its output and that keep two other options or
    more, each option run once in the sandbox (one worker for all). Made once per corpus."""
    cached = corpus.__dict__.get("_which_call_plan")
    if cached is not None:
        return cached
    questions = _notebook_questions(corpus)
    kept: dict[tuple, _Question] = {}
    if questions and not sandbox.available():
        runs = _runs(corpus)
        results = notebook_runs.results(corpus, "which_call")
        outputs: dict[tuple, list] = {}
        for (key, _), result in zip(runs, results, strict=True):
            ok = result.cells and not any(c.error for c in result.cells)
            outputs.setdefault(key, []).append(result.last.output if ok else None)
        for key, q in questions.items():
            q.options = _options(q, outputs[key])
            if q.options:
                kept[key] = q
    corpus.__dict__["_which_call_plan"] = kept
    return kept


def _runs(corpus: Corpus) -> list[tuple[tuple, list[str]]]:
    """Each question's call and other calls, each after the question's cells."""
    questions = _notebook_questions(corpus)
    return [(key, q.setup + [c]) for key, q in questions.items() for c in [q.call, *q.others]]


notebook_runs.provide("which_call", lambda corpus: [cells for _, cells in _runs(corpus)])


def _options(q: _Question, outputs: list) -> list[str] | None:
    """The call and the other calls whose outputs differ from it and from each other, or
    None when the call does not reproduce or fewer than two others are left."""
    got, rest = outputs[0], outputs[1:]
    if got is None or not _same(got, q.want):
        return None
    seen = [got]
    options = [q.call]
    for other, out in zip(q.others, rest, strict=True):
        if out is None or not out.strip() or any(_same(out, s) for s in seen):
            continue
        if same_thing_options([*options, other]):
            continue  # ("data.iloc[1]" and "data.iloc[1:3]" read alike to the self-check)
        seen.append(out)
        options.append(other)
        if len(options) >= MAX_OPTIONS:
            break
    return options if len(options) >= 3 else None


def generate(view: ConceptView):
    if not any(u.kind == "cell" for u in view.code_units):
        return []
    plan = _plan(view.corpus)
    owner = owners(view)
    out = []
    for unit in view.code_units:
        key = (unit.doc, unit.section.start) if unit.kind == "cell" else None
        if key not in plan or owner.get(key, view.concept.name) != view.concept.name:
            continue
        out.append(_exercise(view, plan[key]))
        if len(out) >= PER_CONCEPT:
            break
    return out


def _exercise(view: ConceptView, q: _Question):
    choices = list(q.options or [])
    rng_for(q.call, "which_call").shuffle(choices)
    cells = "\n\n".join(fence(c) for c in q.setup)
    prompt = PROMPT.format(cells=cells, want=q.want.replace("```", "`\u200b``"))
    return view.new(
        "multiple_choice",
        prompt,
        q.call,
        choices=choices,
        explanation=f"The notebook runs `{q.call}` and records this output.",
        citations=q.cite,
        difficulty=difficulty(
            "multiple_choice",
            rarity=0.5,
            words_count=len(" ".join(q.setup).split()),
            distractor_similarity=0.8,
            extra=0.1,
        ),
        data={"cells": q.setup, "expected": q.want, "options_run": "verified", "symbol": ""},
    )


def solve(exercise, corpus: Corpus) -> Solution:
    want = str(exercise.data.get("expected", ""))
    saved: dict[str, list] = {c: [] for c in exercise.choices}
    for u in corpus.code_units:
        if u.kind != "cell" or not u.outputs:
            continue
        lines = strip_harmless_magics(u.section.text).splitlines()
        last = lines[-1].strip() if lines else ""
        if last in saved:
            out = "\n".join(o.strip() for o in u.outputs).strip()
            saved[last].append((out, corpus.span(u.doc, u.section.start, u.section.end)))
    right = [(c, span) for c, found in saved.items() for out, span in found if _same(out, want)]
    if not right:
        return Solution(answer=None, note="no option's saved output is the one shown")
    answers = {c for c, _ in right}
    return Solution(
        answer=right[0][0],
        support=1.0,
        ambiguous=f"{len(answers)} options record this output" if len(answers) > 1 else "",
        supporting=[right[0][1]],
        note="output read from the notebook cell saved in the source",
    )


def reveals(exercise) -> str:
    """The key's call is among the cells shown."""
    shown = {line.strip() for c in exercise.data.get("cells", []) for line in c.splitlines()}
    return "the prompt shows the call itself" if str(exercise.answer) in shown else ""


register(
    ExerciseKindPlugin(
        name="which_call",
        kind="multiple_choice",
        generate=generate,
        solve=solve,
        reveals=reveals,
        min_support=0.5,
        order=26,
    )
)
