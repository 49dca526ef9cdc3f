"""Predict the output: notebook cells and doctest examples, rerun in the sandbox.

The key is the output the source records (a notebook cell's saved output, a doctest's expected
lines), kept only when running the code the prompt shows gives that same output again
(``teachback.sandbox``: a separate, confined process). A notebook cell is shown with the
earlier cells it needs (``cells.dependencies``: what defines or changes the names it uses);
a doctest with the function's code (without its docstring, so no example output leaks), the
module imports it uses and up to three earlier examples. Skipped before running: outputs that
look run-dependent (memory addresses, timestamps, figures, HTML), code that reads the clock,
draws random numbers (a seeded draw repeats, but no learner can say it by hand), prints a
version or uninitialised memory, IPython magics and shell escapes, long outputs (> 5 lines /
120 characters: a short Series is fine). One question per output for a concept. Missing
modules or data fail when run, and so are dropped.

With no sandbox on the machine (``sandbox.available()`` says why) nothing is run: only single
cells with no earlier dependency and doctests are kept, from their recorded outputs.

``data`` holds ``source`` (the code asked about), ``cells`` (what the prompt shows, as cells),
``expected`` (the recorded output), ``origin`` ("doctest" | "notebook"), ``run``
("reproduced" | "recorded") and ``accepted`` (the output and its whitespace-normalised form).

Reader (self-check): find the same code in the sources and read the output saved next to it.
Two different saved outputs for the same code: ambiguous; none: unanswerable.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass

from teachback import sandbox
from teachback.ingest.exercises.cells import dependencies, names, strip_harmless_magics
from teachback.ingest.exercises.context import ConceptView, difficulty
from teachback.ingest.exercises.corpus import Corpus, parse_doctests
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register

_RUN_DEPENDENT = re.compile(
    r"0x[0-9a-fA-F]{6,}|\bobject at\b|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|<Figure|<IPython|"
    r"<matplotlib|<div|<table|data:image|<svg",
)
_RANDOM_SOURCE = re.compile(
    r"\brandom\b|\brandn?\(|\btime\.time\(|\bperf_counter\(|\bdatetime\.now\(|\btoday\(|"
    r"\buuid\d?\(|\bid\(|__version__|\bnp\.empty\(|\bempty\(|\btimeit\b|\bgetsizeof\("
)
# a seeded generator makes "random" numbers repeatable
_SEEDED = re.compile(r"\bseed\(\s*\d|\bRandomState\(\s*\d|\bdefault_rng\(\s*\d")
# ... but not predictable by hand: a learner cannot say what `rng.randint(0, 10, 6)` draws
_DRAWS = re.compile(
    r"\brandom\.|\bRandomState\(|\bdefault_rng\(|\brng\.|\brand(?:n|int)?\(|\bshuffle\("
)
_DOCSTRING = re.compile(r"(\"\"\"|''')(.*?)\1", re.DOTALL)
MAX_LINES, MAX_CHARS = 6, 200


def _usable(source: str, want: str) -> bool:
    want = want.strip()
    return bool(
        want
        and len(want) <= MAX_CHARS
        and len(want.splitlines()) <= MAX_LINES
        and not _RUN_DEPENDENT.search(want)
        and not (_RANDOM_SOURCE.search(source) and not _SEEDED.search(source))
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


def _copied(code: str, want: str) -> bool:
    """The output is written out in the code itself (``models[0]`` of a list literal shown
    above it): reading it off the prompt is not predicting. Short outputs ("0", "True")
    are left alone: they appear in code by chance."""
    flat = " ".join(want.split())
    return len(flat) >= 12 and flat in " ".join(code.split())


def _predictable(code: str, want: str, max_lines: int) -> bool:
    """Could a learner work this out by hand? Short code, short output, few numbers, no
    big loops (a simulation's average is recorded, but not predictable)."""
    return (
        len(code.splitlines()) <= max_lines
        and len(want.splitlines()) <= 5
        and len(want) <= 120
        and len(re.findall(r"\d+(?:\.\d+)?", want)) <= 10
        and not _copied(code, want)
        # NumPy's byte-order codes ("dtype=[('A', '<i8')]"): a platform detail, not a lesson
        and not re.search(r"'[<>|=][a-zA-Z]\d*'", want)
        and not re.search(r"range\([^)]*\d{3,}", code)
        # a computed float to six places ("126.463121") is arithmetic, not understanding
        and not re.search(r"\d\.\d{4,}", want)
    )


def _doctest_block(history: list[tuple[str, str]], src: str) -> str:
    """Earlier examples (with their outputs, as the docstring shows them) then the target."""
    lines = []
    for h_src, h_want in history:
        lines += [(">>> " if i == 0 else "... ") + x for i, x in enumerate(h_src.splitlines())]
        lines += h_want.splitlines()
    lines += [(">>> " if i == 0 else "... ") + x for i, x in enumerate(src.splitlines())]
    return "\n".join(lines)


@dataclass
class _Item:
    prompt: str
    source: str  # the code whose output is asked (the cell, or the doctest's call)
    shown: str  # everything the prompt shows
    want: str  # the output the source records
    origin: str  # "notebook" | "doctest"
    cite: list
    cells: list[str]  # what runs, in order: the shown code as cells
    run: str = "recorded"  # "reproduced" once the sandbox gave the same output


NOTEBOOK_PROMPT = (
    "What does the last cell output? The cells run in order, in a fresh notebook; the "
    "output was checked by running them.\n\n"
)
SINGLE_CELL_PROMPT = "What does this notebook cell output?\n\n"
DOCTEST_PROMPT = "What does the last line show? (From the source's own examples.)\n\n"


def _notebook_items(corpus: Corpus) -> dict[tuple, _Item]:
    """Every notebook cell with a short recorded output, shown with the earlier cells it
    needs (``cells.dependencies``), keyed by (document, cell start)."""
    out: dict[tuple, _Item] = {}
    by_doc: dict[int, list] = {}
    for u in corpus.code_units:
        if u.kind == "cell":
            by_doc.setdefault(u.doc, []).append(u)
    for d, units in by_doc.items():
        codes = [u.section.text for u in units]
        for i, unit in enumerate(units):
            code = strip_harmless_magics(unit.section.text)
            want = "\n".join(o.strip() for o in unit.outputs).strip()
            if not want or not _predictable(code, want, 10):
                continue
            deps = dependencies(codes, i)
            if deps is None:
                continue
            cells = [strip_harmless_magics(codes[j]) for j in deps] + [code]
            shown = "\n\n".join(cells)
            if not _usable(shown, want) or _DRAWS.search(shown):
                continue
            head = NOTEBOOK_PROMPT if deps else SINGLE_CELL_PROMPT
            prompt = head + "\n\n".join(_fence(c) for c in cells)
            cite = [corpus.span(d, units[j].section.start, units[j].section.end) for j in deps]
            cite.append(corpus.span(d, unit.section.start, unit.section.end))
            out[(d, unit.section.start)] = _Item(
                prompt, code, "\n\n".join(cells), want, "notebook", cite, cells
            )
    return out


def _module_imports(doc) -> list[tuple[str, frozenset]]:
    """A Python file's top-level import statements and the names each binds."""
    if doc.format != "code" or doc.language not in ("python", ""):
        return []
    try:
        tree = ast.parse(doc.text)
    except (SyntaxError, ValueError):
        return []
    out = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            text = ast.get_source_segment(doc.text, node) or ""
            bound = names(text)
            if text and bound:
                out.append((text, bound[0]))
    return out


def _doctest_items(corpus: Corpus, unit) -> list[_Item]:
    doc = corpus.documents[unit.doc]
    body = textwrap.dedent(_strip_docstring(unit.code(doc.text))).strip()
    if unit.kind == "module":
        body = ""
    elif len(body.splitlines()) > 25:
        return []  # too long to show whole, and a signature alone cannot be run
    items: list[_Item] = []
    history: list[tuple[str, str]] = []
    for ex in unit.doctests:
        src, raw_want = ex.get("source", "").rstrip(), ex.get("want", "").rstrip()
        want = _exception_line(raw_want)
        if src and _usable(src, want) and _predictable(src, want, 6):
            calls = "\n".join(
                (">>> " if i == 0 else "... ") + x for i, x in enumerate(src.splitlines())
            )
            past = history[-3:]
            used = set()
            for code in [body, *(h for h, _ in past), src]:
                n = names(code)
                used |= n[2] if n else set()
            imports = "\n".join(t for t, bound in _module_imports(doc) if bound & used)
            top = "\n".join(x for x in (imports, body) if x)
            shown = (top + "\n\n" if top else "") + _doctest_block(past, src)
            first = ">>> " + src.splitlines()[0]
            lo = unit.definition_span[0] if unit.definition_span else 0
            at = doc.text.find(first, lo)
            at = doc.text.find(first) if at < 0 else at
            if at >= 0:
                last = want.splitlines()[-1]
                end = doc.text.find(last, at)
                end = end + len(last) if end >= 0 else at + len(first)
                cite = [corpus.span(unit.doc, at, end)]
                cells = [top, *(h for h, _ in past), src]
                items.append(
                    _Item(
                        DOCTEST_PROMPT + _fence(shown), calls, shown, want, "doctest", cite, cells
                    )
                )
        history.append((src, raw_want))
    return items


def _same(got, want: str) -> bool:
    """A rerun cell's output (or its exception, for an example that expects one) against
    the recorded output, whitespace aside."""
    shown = got.error if got.error and re.match(r"[\w.]+(Error|Exception)\b", want) else None
    if got.error and shown is None:
        return False
    text = shown if shown is not None else got.output
    return " ".join(text.split()) == " ".join(want.split())


def _plan(corpus: Corpus) -> dict:
    """Every predict-the-output candidate of the corpus, run once in the sandbox (one worker
    for all of them): ``{("cell", doc, start) | ("unit", doc, symbol): [items kept]}``.
    Kept: those whose shown code reproduces the recorded output; with no sandbox, only
    self-contained ones (a single cell, a doctest whose code is all shown), unverified."""
    cached = corpus.__dict__.get("_predict_plan")
    if cached is not None:
        return cached
    keyed: list[tuple[tuple, _Item]] = [
        (("cell", d, start), item) for (d, start), item in _notebook_items(corpus).items()
    ]
    for u in corpus.code_units:
        if u.kind != "cell" and u.doctests:
            keyed += [(("unit", u.doc, u.symbol), it) for it in _doctest_items(corpus, u)]
    plan: dict[tuple, list[_Item]] = {}
    if keyed and not sandbox.available():
        results = sandbox.run_programs([[c for c in it.cells if c] for _, it in keyed])
        for (key, item), result in zip(keyed, results, strict=True):
            earlier_ok = all(not c.error for c in result.cells[:-1])
            if result.cells and earlier_ok and _same(result.last, item.want):
                item.run = "reproduced"
                plan.setdefault(key, []).append(item)
    else:
        for key, item in keyed:
            if item.origin == "doctest" or len(item.cells) == 1:
                plan.setdefault(key, []).append(item)
    corpus.__dict__["_predict_plan"] = plan
    return plan


def _claim(view: ConceptView, unit) -> tuple:
    """How much a cell is about ``view``'s concept (higher is more): its code uses the
    concept's code name or a comment names it; else the prose just before it names it — the
    earlier in that prose, the more it is its subject ("The get method of a dictionary ..."
    is about the get method); then the longer (more specific) name."""
    code = unit.section.text
    comments = " ".join(re.findall(r"#[^\n]*", code))
    pattern = view.pattern
    api = [n.rsplit(".", 1)[-1] for n in view.names if re.fullmatch(r"[A-Za-z_][\w.]*", n)]
    calls = any(re.search(rf"\.{re.escape(n)}\b|\b{re.escape(n)}\(", code) for n in api if n)
    direct = view.concept.kind == "code" or calls or bool(pattern and pattern.search(comments))
    first = -(10**9)
    if not direct and pattern is not None:
        doc = view.documents[unit.doc]
        before = [s for s in doc.sections if s.end <= unit.section.start and s.kind != "output"]
        if before:
            found = pattern.search(before[-1].text)
            first = -found.start() if found else first
    return (direct, first, len(view.concept.name), view.concept.name)


def owners(view: ConceptView) -> dict[tuple, str]:
    """``{(document, cell start): concept name}``: each notebook cell belongs to the one
    concept it is most about (``_claim``), so one cell is not asked under three concepts
    ("DataFrame", "column", "column name") as three copies of one exercise. Made once per
    corpus and concept list."""
    cache = view.corpus.__dict__.get("_cell_owners")
    if cache is not None and cache[0] is view.concepts:
        return cache[1]
    best: dict[tuple, tuple] = {}
    for c in view.concepts:
        v = view.view_of(c)
        for u in v.code_units:
            if u.kind == "cell":
                key = (u.doc, u.section.start)
                claim = _claim(v, u)
                if key not in best or claim > best[key]:
                    best[key] = claim
    owner = {k: claim[-1] for k, claim in best.items()}
    view.corpus.__dict__["_cell_owners"] = (view.concepts, owner)
    return owner


def generate(view: ConceptView):
    out = []
    plan = _plan(view.corpus)
    owner = owners(view) if any(u.kind == "cell" for u in view.code_units) else {}
    asked: set[str] = set()  # outputs already asked for this concept
    for unit in view.code_units:
        if unit.kind == "cell":
            key = (unit.doc, unit.section.start)
            if owner.get(key, view.concept.name) != view.concept.name:
                continue  # another concept's cell
            items = plan.get(("cell", unit.doc, unit.section.start), [])
        else:
            items = plan.get(("unit", unit.doc, unit.symbol), [])
        for it in items:
            want = it.want
            same = " ".join(want.split())
            if same in asked:
                continue  # four constructors of one MultiIndex: one question, not four
            asked.add(same)
            out.append(
                view.new(
                    "predict_output",
                    it.prompt,
                    want,
                    explanation=f"The source records this output: `{want}`"
                    if "\n" not in want
                    else "The source records this output:\n\n" + _fence(want),
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
            same = strip_harmless_magics(u.section.text) == strip_harmless_magics(source)
            if u.kind == "cell" and same and u.outputs:
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
