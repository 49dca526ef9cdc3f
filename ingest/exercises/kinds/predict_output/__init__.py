"""Predict the output: notebook cells and doctest examples, rerun in the sandbox.

The key is the output the source records (a notebook cell's saved output, a doctest's expected
lines), kept only when running the code the prompt shows gives that same output again
(``teachback.sandbox``: a separate, confined process). A notebook cell is shown with the
earlier cells it needs (``cells.dependencies``: what defines or changes the names it uses);
a doctest with the function's code (without its docstring, so no example output leaks), the
module imports it uses and up to three earlier examples. Of a run of cells about a term only
through the text before the run, the setup a later cell needs is not asked (``_setup``).
Skipped before running: outputs that look run-dependent (memory addresses, timestamps,
figures, HTML), code that reads the clock, draws random numbers (a seeded draw repeats, but
no learner can say it by hand), prints a version or uninitialised memory, IPython magics and
shell escapes, long outputs (> 5 lines / 120 characters: a short Series is fine). One question
per output for a concept. Missing modules or data fail when run, and so are dropped.

With no sandbox on the machine (``sandbox.available()`` says why) nothing is run: only single
cells with no earlier dependency and doctests are kept, from their recorded outputs.

``data`` holds ``source`` (the code asked about), ``cells`` (what the prompt shows, as cells),
``expected`` (the recorded output), ``origin`` ("doctest" | "notebook"), ``run``
("reproduced" | "recorded") and ``accepted`` (the output and its whitespace-normalised form).

Reader (self-check): find the same code in the sources and read the output saved next to it.
Two different saved outputs for the same code: ambiguous; none: unanswerable.

This module is the kind (the exercises of a concept, the self-check's reader, grading, its
registration); ``filters`` says which outputs are predictable, ``candidates`` makes the code
shown and the output asked, ``reproduction`` reruns them in the sandbox, ``ownership`` gives
each notebook cell to one concept.
"""

from __future__ import annotations

import re

from teachback.ingest.exercises.cells import strip_harmless_magics
from teachback.ingest.exercises.context import ConceptView, difficulty
from teachback.ingest.exercises.context.code_units import place
from teachback.ingest.exercises.corpus import Corpus, parse_doctests
from teachback.ingest.exercises.kinds.predict_output import probes
from teachback.ingest.exercises.kinds.predict_output.candidates import Item, fence
from teachback.ingest.exercises.kinds.predict_output.filters import (
    RANDOM_SOURCE,
    RUN_DEPENDENT,
    exception_line,
)
from teachback.ingest.exercises.kinds.predict_output.ownership import owners, uses_directly
from teachback.ingest.exercises.kinds.predict_output.reproduction import plan
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register


def generate(view: ConceptView):
    out = []
    kept = plan(view.corpus)
    owner = owners(view) if any(u.kind == "cell" for u in view.code_units) else {}
    asked: set[str] = set()  # outputs already asked for this concept
    for unit in _asked_units(view, kept, owner):
        if unit.kind == "cell":
            items = kept.get(("cell", unit.doc, unit.section.start), [])
        else:
            items = kept.get(("unit", unit.doc, unit.symbol), [])
        for it in items:
            same = " ".join(it.want.split())
            if same in asked:
                continue  # four constructors of one MultiIndex: one question, not four
            asked.add(same)
            out.append(_exercise(view, it, unit.symbol))
    for key in _probed(view, kept):
        for it in kept[key]:
            if " ".join(it.want.split()) not in asked:
                asked.add(" ".join(it.want.split()))
                out.append(_exercise(view, it, key[2]))
    return out


def _probed(view: ConceptView, kept: dict) -> list[tuple]:
    """The probe calls (``probes``) asked under this concept: a function concept's own, a
    module concept's (a script: ``train``) of its functions that are no concept of their own."""
    own: set[str] | None = None  # the other concepts' names: read only for a module concept
    keys = []
    for u in view.code_units:
        if u.kind == "function" and ("probe", u.doc, u.short) in kept:
            keys.append(("probe", u.doc, u.short))
        elif u.kind == "module":
            if own is None:
                own = {
                    n.rsplit(".", 1)[-1]
                    for c in view.concepts
                    if c is not view.concept
                    for n in [c.name, *c.aliases]
                }
            keys += [k for k in kept if k[:2] == ("probe", u.doc) and k[2] not in own]
    return list(dict.fromkeys(keys))


def _asked_units(view: ConceptView, kept: dict, owner: dict) -> list:
    """The concept's code units to ask about, in source order: its functions, and its own
    cells with a kept output (not another concept's), less the setup of a run (``_setup``)."""
    mine = {}
    for unit in view.code_units:
        key = (unit.doc, unit.section.start)
        if unit.kind == "cell" and owner.get(key, view.concept.name) == view.concept.name:
            if ("cell", *key) in kept:
                mine[key] = unit
    setup = _setup(view, list(mine.values()), kept)
    return [
        u
        for u in view.code_units
        if u.kind != "cell" or ((key := (u.doc, u.section.start)) in mine and key not in setup)
    ]


def _setup(view: ConceptView, cells: list, kept: dict) -> set[tuple]:
    """The cells of a run that is about the concept only through the text before it which a
    later cell of the run needs ("x = pd.Series(range(2), dtype=int)" before "x[0] = None"):
    the later one shows the point the text makes (the upcast to float), and its prompt shows
    the setup above it anyway. ``{(doc, cell start)}``."""
    runs: dict[tuple, list] = {}
    for u in cells:
        if not uses_directly(view, u):
            runs.setdefault((u.doc, place(view.corpus, u).run), []).append(u)
    out = set()
    for run in runs.values():
        for i, u in enumerate(run):
            code = strip_harmless_magics(u.section.text)
            shown_later = (
                c
                for later in run[i + 1 :]
                for it in kept[("cell", later.doc, later.section.start)]
                for c in it.cells[:-1]
            )
            if code in shown_later:
                out.add((u.doc, u.section.start))
    return out


def _exercise(view: ConceptView, it: Item, symbol: str):
    want = it.want
    if it.origin in ("probe", "call"):
        explanation = f"Running the source's function gives `{want}`."
    elif "\n" not in want:
        explanation = f"The source records this output: `{want}`"
    else:
        explanation = "The source records this output:\n\n" + fence(want)
    return view.new(
        "predict_output",
        it.prompt,
        want,
        explanation=explanation,
        citations=it.cite,
        difficulty=difficulty(
            "predict_output",
            rarity=0.5,
            words_count=len(it.shown.split()),
            extra=0.05 * (len(want.splitlines()) - 1),
        ),
        data={
            "source": it.source,
            "shown": it.shown,
            "cells": it.cells,
            "expected": want,
            "origin": it.origin,
            "run": it.run,
            "symbol": symbol,
            "accepted": sorted({want, " ".join(want.split())}),
        },
    )


def _notebook_outputs(corpus: Corpus, source: str) -> dict[str, object]:
    """``{output: citation}`` for every notebook cell with this code and a saved output."""
    found: dict[str, object] = {}
    for u in corpus.code_units:
        same = strip_harmless_magics(u.section.text) == strip_harmless_magics(source)
        if u.kind == "cell" and same and u.outputs:
            want = "\n".join(o.strip() for o in u.outputs).strip()
            found.setdefault(want, corpus.span(u.doc, u.section.start, u.section.end))
    return found


def _doctest_outputs(corpus: Corpus, source: str) -> dict[str, object]:
    """``{output: citation}`` for every docstring example in the sources with this code."""
    src = "\n".join(
        re.sub(r"^(>>> |\.\.\. )", "", line)
        for line in source.splitlines()
        if line.startswith((">>> ", "... "))
    )
    if not src:
        return {}
    first = ">>> " + src.splitlines()[0]
    found: dict[str, object] = {}
    for d, doc in enumerate(corpus.documents):
        at = doc.text.find(first)
        while at >= 0:
            window = doc.text[at : at + 2000]
            for ex in parse_doctests(window)[:1]:
                if ex["source"].strip() == src.strip():
                    found.setdefault(
                        exception_line(ex["want"]), corpus.span(d, at, at + len(first))
                    )
            at = doc.text.find(first, at + 1)
    return found


def solve(exercise, corpus: Corpus) -> Solution:
    origin = exercise.data.get("origin")
    source = exercise.data.get("source", "")
    if origin == "probe":
        return _solve_probe(exercise, corpus)
    if origin == "call":
        return _solve_call(exercise, corpus)
    if origin == "notebook":
        found = _notebook_outputs(corpus, source)
    else:
        found = _doctest_outputs(corpus, source)
    if not found:
        return Solution(answer=None, note="the sources record no output for this code")
    outputs = list(found)
    ambiguous = ""
    if len(outputs) > 1:
        ambiguous = f"the sources record {len(outputs)} different outputs for this code"
    elif RUN_DEPENDENT.search(outputs[0]) or RANDOM_SOURCE.search(source):
        ambiguous = "the output depends on the run"
    return Solution(
        answer=outputs[0],
        support=1.0,
        ambiguous=ambiguous,
        supporting=[found[outputs[0]]],
        note=f"output read from the {origin} saved in the source, nothing executed",
    )


def _solve_probe(exercise, corpus: Corpus) -> Solution:
    """A probe call has no recorded output: its key is what the source's own function
    returned in the sandbox. Checked here: the function shown is the one the sources define
    (nothing is run outside the sandbox)."""
    cells = exercise.data.get("cells") or []
    name = exercise.data.get("symbol", "")
    cite = probes.find(corpus, cells[-2], name) if len(cells) >= 2 else None
    if cite is None:
        return Solution(answer=None, note=f"the sources define no {name}() as shown")
    return Solution(
        answer=exercise.answer,
        support=1.0,
        supporting=[cite],
        note="what the source's own function returns, computed in the sandbox",
    )


def _solve_call(exercise, corpus: Corpus) -> Solution:
    """A call of the source's function has no recorded output: its key is what it returned
    in the sandbox. Checked here: the sources document a function of that name (nothing is
    run outside the sandbox); its docstring is what teaches the answer."""
    name = exercise.data.get("symbol", "")
    for u in corpus.code_units:
        if u.kind == "function" and u.short == name and u.docstring_span is not None:
            return Solution(
                answer=exercise.answer,
                support=1.0,
                supporting=[corpus.span(u.doc, *u.docstring_span)],
                note="what the source's own function returns, computed in the sandbox",
            )
    return Solution(answer=None, note=f"the sources define no function {name}()")


def matches(answered, key) -> bool:
    return " ".join(str(answered).split()) == " ".join(str(key).split())


def reveals(exercise) -> str:
    want = str(exercise.answer).strip()
    shown = [line.strip() for line in exercise.prompt.splitlines()]
    if want and len(want) >= 3 and all(w.strip() in shown for w in want.splitlines()):
        return "the expected output is printed in the prompt"
    # the same example with its output, e.g. in a docstring left in the code
    src_lines = [x.strip() for x in str(exercise.data.get("source", "")).splitlines()]
    first_want = want.splitlines()[0].strip() if want else ""
    for k in range(len(shown) - 1):
        if src_lines and shown[k] == src_lines[-1] and shown[k + 1] == first_want:
            return "the prompt shows this example together with its output"
    return ""


register(
    ExerciseKindPlugin(
        name="predict_output",
        kind="predict_output",
        generate=generate,
        solve=solve,
        matches=matches,
        reveals=reveals,
        min_support=0.5,
        order=5,
    )
)
