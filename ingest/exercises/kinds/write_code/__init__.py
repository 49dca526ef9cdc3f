"""Write the code: the learner writes a small function, checked by the source's own examples.

For each function or method of a Python source, the prompt shows its signature and docstring
(the body hidden) and what the module defines that the body uses; the learner writes the body.
It is checked (``teachback.code_checks``) by running, in the sandbox, the docstring examples
that call it anywhere in the sources (its own, its class's, its neighbours') and the test
functions that call it, when test files are among the sources (``--include 'tests/**'``).

Kept only when, run in the sandbox at ingest, every check passes with the source's own body and
at least one fails with an empty body (``pass``, and ``raise NotImplementedError``); checks that
pass either way are dropped, and cases that pass with ``pass`` do not count towards the score.
Also rejected, with the reason recorded: bodies of one line (nothing to write) or over 25 lines,
functions with no example or test calling them, modules that do not import in the sandbox
(missing packages, data), nested functions. With no sandbox on the machine nothing is kept
(the reason says why): an unverified check could mark a right answer wrong.

``data``: ``symbol``, ``stub`` (what the editor starts with), ``suite`` (for
``code_checks.run``), ``checks`` (a line per check), ``cases`` (how many), ``run``
("verified") or ``problem`` (why it cannot be an exercise).

Reader (self-check): the verification above; it answers with the source's own code.

This module is the kind (the exercise from a verified candidate, its self-check, its
registration); ``sources`` lays out the sources as modules, ``candidates`` finds the functions
and their checks, ``verification`` runs them in the sandbox, ``prompt`` writes what is shown.
"""

from __future__ import annotations

import textwrap

from teachback import code_checks
from teachback.ingest.exercises.context import ConceptView, difficulty
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.write_code.candidates import body_lines
from teachback.ingest.exercises.kinds.write_code.prompt import fence, prompt
from teachback.ingest.exercises.kinds.write_code.sources import rel_path
from teachback.ingest.exercises.kinds.write_code.verification import plan
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register


def generate(view: ConceptView):
    by_symbol = plan(view.corpus)
    found = []
    for unit in view.code_units:
        if unit.kind in ("function", "method"):
            items = [by_symbol.get((unit.doc, unit.symbol))]
        elif unit.kind == "class":  # a class is learnt by writing its methods
            prefix = unit.symbol + "."
            items = [
                v for (d, sym), v in by_symbol.items() if d == unit.doc and sym.startswith(prefix)
            ]
        else:
            continue
        found += [item for item in items if item is not None and item not in found]
    found.sort(key=lambda item: bool(item.get("problem")))  # the usable ones first
    return [_exercise(view, item) for item in found]


def _exercise(view: ConceptView, item: dict):
    corpus = view.corpus
    doc = corpus.documents[item["doc"]]
    node, name = item["node"], item["qualname"]
    path = rel_path(item["module"], doc.path)
    suite = item.get("suite")
    checks = suite["checks"] if suite else []
    lines = doc.text.splitlines(keepends=True)
    start = sum(map(len, lines[: node.lineno - 1])) + node.col_offset
    end = sum(map(len, lines[: node.end_lineno]))
    source = textwrap.dedent(doc.text[start - node.col_offset : end]).rstrip("\n")
    starter = code_checks.stub(doc.text, node)
    text = prompt(corpus, item, path, starter)
    cases = sum(len(c["cases"]) if c["kind"] == "doctest" else 1 for c in checks)
    data = {
        "symbol": f"{item['module']}.{name}",
        "stub": starter,
        "checks": [c["label"] for c in checks],
        "cases": cases,
        "language": "python",
    }
    if suite and not item.get("problem"):
        data.update(suite=suite, run="verified")
    else:
        data["problem"] = item.get("problem") or "not verified"
    return view.new(
        "write_code",
        text,
        source,
        explanation="The source's own implementation:\n\n" + fence(source),
        citations=[corpus.span(item["doc"], start, end)],
        difficulty=difficulty(
            "write_code",
            words_count=len(source.split()),
            extra=0.05 + 0.012 * body_lines(doc.text, node),  # longer bodies are harder
        ),
        data=data,
    )


def solve(exercise, corpus: Corpus) -> Solution:
    data = exercise.data
    if data.get("problem") or not data.get("suite"):
        return Solution(answer=None, note=data.get("problem") or "no checks")
    cite = list(exercise.citations)
    n = len(data.get("checks", []))
    return Solution(
        answer=exercise.answer,
        support=1.0,
        supporting=cite,
        note=(
            f"run in the sandbox: the source's own body passes {data.get('cases')} case(s) of "
            f"{n} check(s); an empty body fails them"
        ),
    )


def reveals(exercise) -> str:
    """The prompt shows the body (e.g. an identical function given as context)."""
    body = [x.strip() for x in str(exercise.answer).splitlines()[1:] if len(x.strip()) > 12]
    shown = {x.strip() for x in exercise.prompt.splitlines()}
    code = [x for x in body if not x.startswith(("#", '"""', "'''", ">>>"))]
    if len(code) >= 2 and all(x in shown for x in code):
        return "the prompt shows the function's body"
    return ""


register(
    ExerciseKindPlugin(
        name="write_code",
        kind="write_code",
        generate=generate,
        solve=solve,
        matches=lambda answered, key: str(answered) == str(key),
        reveals=reveals,
        min_support=0.5,
        order=7,
    )
)
