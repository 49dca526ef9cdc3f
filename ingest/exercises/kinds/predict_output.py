"""Predict the output: doctest examples and notebook cells with their SAVED outputs.

Nothing is executed, ever: the key is the output the source itself records (a doctest's
expected lines, a notebook cell's saved output). The prompt shows the function's code without
its docstring (so no example output leaks) and the call, or the notebook cell's source.
Examples whose output looks run-dependent (memory addresses, timestamps, random numbers),
rich outputs (figures, HTML) and long outputs (> 4 lines / 200 characters) are skipped.
``data`` holds ``source`` (the code shown), ``expected`` (the saved output), ``origin``
("doctest" | "notebook") and ``accepted`` (the output and its whitespace-normalised form).

Reader (self-check): find the same code in the sources and read the output saved next to it.
Two different saved outputs for the same code: ambiguous; none: unanswerable.
"""

from __future__ import annotations

import re
import textwrap

from teachback.ingest.exercises.context import ConceptView, difficulty
from teachback.ingest.exercises.corpus import Corpus, parse_doctests
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register

_RUN_DEPENDENT = re.compile(
    r"0x[0-9a-fA-F]{6,}|\bobject at\b|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|<Figure|<IPython|"
    r"<matplotlib|<div|<table|data:image|<svg",
)
_RANDOM_SOURCE = re.compile(r"\brandom\b|\btime\.time\(|\bdatetime\.now\(|\buuid\d?\(|\bid\(")
_DOCSTRING = re.compile(r"(\"\"\"|''')(.*?)\1", re.DOTALL)
MAX_LINES, MAX_CHARS = 4, 200


def _usable(source: str, want: str) -> bool:
    want = want.strip()
    return bool(
        want
        and len(want) <= MAX_CHARS
        and len(want.splitlines()) <= MAX_LINES
        and not _RUN_DEPENDENT.search(want)
        and not _RANDOM_SOURCE.search(source)
    )


def _exception_line(want: str) -> str:
    lines = want.strip().splitlines()
    if lines and lines[0].startswith("Traceback"):
        return lines[-1].strip()
    return want.strip()


def _fence(code: str) -> str:
    code = code.replace("```", "`\u200b``")
    return f"```python\n{code}\n```"


def _strip_docstring(code: str) -> str:
    """The code without its (first) docstring."""
    return re.sub(
        r"(^|\n)[ \t]*(\"\"\"|\'\'\')(.*?)\2[ \t]*(?=\n|$)", r"\1", code, count=1, flags=re.S
    )


def _predictable(code: str, want: str, max_lines: int) -> bool:
    """Could a learner work this out by hand? Short code, short output, few numbers, no
    big loops (a simulation's average is recorded, but not predictable)."""
    return (
        len(code.splitlines()) <= max_lines
        and len(want.splitlines()) <= 3
        and len(want) <= 120
        and len(re.findall(r"\d+(?:\.\d+)?", want)) <= 5
        and not re.search(r"range\([^)]*\d{3,}", code)
    )


def _doctest_block(history: list[tuple[str, str]], src: str) -> str:
    """Earlier examples (with their outputs, as the docstring shows them) then the target."""
    lines = []
    for h_src, h_want in history:
        lines += [(">>> " if i == 0 else "... ") + x for i, x in enumerate(h_src.splitlines())]
        lines += h_want.splitlines()
    lines += [(">>> " if i == 0 else "... ") + x for i, x in enumerate(src.splitlines())]
    return "\n".join(lines)


def _notebook_item(view: ConceptView, unit):
    code = unit.section.text.strip()
    want = "\n".join(o.strip() for o in unit.outputs).strip()
    if not _usable(code, want) or not _predictable(code, want, 10):
        return None
    prompt = (
        "What does this notebook cell output? (The sources record its output; nothing is "
        "run.)\n\n" + _fence(code)
    )
    cite = [view.corpus.span(unit.doc, unit.section.start, unit.section.end)]
    return prompt, code, code, want, "notebook", cite


def _doctest_items(view: ConceptView, unit):
    doc = view.documents[unit.doc]
    body = textwrap.dedent(_strip_docstring(unit.code(doc.text))).strip()
    if unit.kind == "module":
        body = ""
    elif len(body.splitlines()) > 25:
        body = (unit.signature or unit.short).strip()
    history: list[tuple[str, str]] = []
    for ex in unit.doctests:
        src, raw_want = ex.get("source", "").rstrip(), ex.get("want", "").rstrip()
        want = _exception_line(raw_want)
        if src and _usable(src, want) and _predictable(src, want, 6):
            calls = "\n".join(
                (">>> " if i == 0 else "... ") + x for i, x in enumerate(src.splitlines())
            )
            shown = (body + "\n\n" if body else "") + _doctest_block(history[-3:], src)
            prompt = "What does the last line show? (From the source's own examples.)\n\n"
            prompt += _fence(shown)
            first = ">>> " + src.splitlines()[0]
            lo = unit.definition_span[0] if unit.definition_span else 0
            at = doc.text.find(first, lo)
            at = doc.text.find(first) if at < 0 else at
            if at >= 0:
                last = want.splitlines()[-1]
                end = doc.text.find(last, at)
                end = end + len(last) if end >= 0 else at + len(first)
                cite = [view.corpus.span(unit.doc, at, end)]
                yield prompt, calls, shown, want, "doctest", cite
        history.append((src, raw_want))


def generate(view: ConceptView):
    out = []
    for unit in view.code_units:
        if unit.kind == "cell":
            items = [x for x in [_notebook_item(view, unit)] if x]
        else:
            items = list(_doctest_items(view, unit))
        for prompt, source, shown, want, origin, cite in items:
            out.append(
                view.new(
                    "predict_output",
                    prompt,
                    want,
                    explanation=f"The source records this output: `{want}`"
                    if "\n" not in want
                    else "The source records this output:\n\n" + _fence(want),
                    citations=cite,
                    difficulty=difficulty(
                        "predict_output",
                        rarity=0.5,
                        words_count=len(shown.split()),
                        extra=0.05 * (len(want.splitlines()) - 1),
                    ),
                    data={
                        "source": source,
                        "shown": shown,
                        "expected": want,
                        "origin": origin,
                        "symbol": unit.symbol,
                        "accepted": sorted({want, " ".join(want.split())}),
                    },
                )
            )
    return out


def solve(exercise, corpus: Corpus) -> Solution:
    origin = exercise.data.get("origin")
    source = exercise.data.get("source", "")
    found: dict[str, object] = {}
    if origin == "notebook":
        for u in corpus.code_units:
            if u.kind == "cell" and u.section.text.strip() == source.strip() and u.outputs:
                want = "\n".join(o.strip() for o in u.outputs).strip()
                found.setdefault(want, corpus.span(u.doc, u.section.start, u.section.end))
    else:
        src = "\n".join(
            re.sub(r"^(>>> |\.\.\. )", "", line)
            for line in source.splitlines()
            if line.startswith((">>> ", "... "))
        )
        first = ">>> " + src.splitlines()[0] if src else ""
        for d, doc in enumerate(corpus.documents):
            at = doc.text.find(first) if first else -1
            while at >= 0:
                window = doc.text[at : at + 2000]
                for ex in parse_doctests(window)[:1]:
                    if ex["source"].strip() == src.strip():
                        found.setdefault(
                            _exception_line(ex["want"]), corpus.span(d, at, at + len(first))
                        )
                at = doc.text.find(first, at + 1)
    if not found:
        return Solution(answer=None, note="the sources record no output for this code")
    outputs = list(found)
    ambiguous = ""
    if len(outputs) > 1:
        ambiguous = f"the sources record {len(outputs)} different outputs for this code"
    elif _RUN_DEPENDENT.search(outputs[0]) or _RANDOM_SOURCE.search(source):
        ambiguous = "the output depends on the run"
    return Solution(
        answer=outputs[0],
        support=1.0,
        ambiguous=ambiguous,
        supporting=[found[outputs[0]]],
        note=f"output read from the {origin} saved in the source, nothing executed",
    )


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
