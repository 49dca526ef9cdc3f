"""The code a predict-the-output exercise shows and the output it asks, before any run.

From notebooks (``notebook_items``): each cell with a short recorded output, shown with the
earlier cells it needs (``cells.dependencies``). From docstrings (``doctest_items``): each
example, shown with its function's code (without the docstring, so no example output leaks),
the module imports it uses and up to three earlier examples. Each is an ``Item`` whose
``cells`` are what the sandbox runs to check the output reproduces (``reproduction``).
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from teachback.ingest.exercises.cells import names, needed_code, strip_harmless_magics
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.predict_output.filters import (
    DRAWS,
    exception_line,
    predictable,
    usable,
)


def fence(code: str) -> str:
    code = code.replace("```", "`\u200b``")
    return f"```python\n{code}\n```"


def _strip_docstring(code: str) -> str:
    """The code without its (first) docstring."""
    return re.sub(
        r"(^|\n)[ \t]*(\"\"\"|\'\'\')(.*?)\2[ \t]*(?=\n|$)", r"\1", code, count=1, flags=re.S
    )


def _as_typed(src: str) -> list[str]:
    """An example's code as a docstring shows it: ``>>> `` then ``... `` lines."""
    return [(">>> " if i == 0 else "... ") + x for i, x in enumerate(src.splitlines())]


def _doctest_block(history: list[tuple[str, str]], src: str) -> str:
    """Earlier examples (with their outputs, as the docstring shows them) then the target."""
    lines = []
    for h_src, h_want in history:
        lines += _as_typed(h_src)
        lines += h_want.splitlines()
    lines += _as_typed(src)
    return "\n".join(lines)


@dataclass
class Item:
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


def notebook_items(corpus: Corpus) -> dict[tuple, Item]:
    """Every notebook cell with a short recorded output, shown with the earlier cells it
    needs (``cells.dependencies``), keyed by (document, cell start)."""
    out: dict[tuple, Item] = {}
    by_doc: dict[int, list] = {}
    for u in corpus.code_units:
        if u.kind == "cell":
            by_doc.setdefault(u.doc, []).append(u)
    for d, units in by_doc.items():
        codes = [u.section.text for u in units]
        for i, unit in enumerate(units):
            item = _notebook_item(corpus, units, codes, i)
            if item is not None:
                out[(d, unit.section.start)] = item
    return out


def _notebook_item(corpus: Corpus, units: list, codes: list[str], i: int) -> Item | None:
    """Cell ``i`` of a notebook's cells (``codes``: their code) with the earlier ones it
    needs, if its output is predictable and they can be shown."""
    unit = units[i]
    code = strip_harmless_magics(unit.section.text)
    want = "\n".join(o.strip() for o in unit.outputs).strip()
    if not want or not predictable(code, want, 10):
        return None
    needed = needed_code(codes, i)
    if needed is None:
        return None
    deps = [j for j, _ in needed]
    cells = [shown for _, shown in needed] + [code]
    shown = "\n\n".join(cells)
    if not usable(shown, want) or DRAWS.search(shown):
        return None
    head = NOTEBOOK_PROMPT if deps else SINGLE_CELL_PROMPT
    prompt = head + "\n\n".join(fence(c) for c in cells)
    d = unit.doc
    # the cell asked about first: it is what a learner is sent back to read ("Reread: ...",
    # hints), not the import cell the shown code starts with
    cite = [corpus.span(d, unit.section.start, unit.section.end)]
    cite += [corpus.span(d, units[j].section.start, units[j].section.end) for j in deps]
    return Item(prompt, code, shown, want, "notebook", cite, cells)


def python_modules(corpus: Corpus) -> Iterator[tuple[int, object, ast.Module]]:
    """``(document index, document, syntax tree)`` of each of the corpus's Python files that
    parses (the call and probe candidates walk them, once per corpus each)."""
    for d, doc in enumerate(corpus.documents):
        if doc.format != "code" or doc.language not in ("python", ""):
            continue
        try:
            tree = ast.parse(doc.text)
        except (SyntaxError, ValueError, RecursionError):
            continue
        yield d, doc, tree


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


def doctest_items(corpus: Corpus, unit) -> list[Item]:
    """Each predictable example of a code unit's docstring, shown with the unit's code, the
    imports it uses and up to three earlier examples."""
    doc = corpus.documents[unit.doc]
    body = textwrap.dedent(_strip_docstring(unit.code(doc.text))).strip()
    if unit.kind == "module":
        body = ""
    elif len(body.splitlines()) > 25:
        return []  # too long to show whole, and a signature alone cannot be run
    items: list[Item] = []
    history: list[tuple[str, str]] = []
    for ex in unit.doctests:
        src, raw_want = ex.get("source", "").rstrip(), ex.get("want", "").rstrip()
        want = exception_line(raw_want)
        if src and usable(src, want) and predictable(src, want, 6):
            item = _doctest_item(corpus, unit, body, history[-3:], src, want)
            if item is not None:
                items.append(item)
        history.append((src, raw_want))
    return items


def _doctest_item(corpus: Corpus, unit, body: str, past: list, src: str, want: str) -> Item | None:
    """One example with what it needs shown above it, cited where the docstring has it
    (None when the example cannot be found in the document's text)."""
    doc = corpus.documents[unit.doc]
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
    if at < 0:
        return None
    last = want.splitlines()[-1]
    end = doc.text.find(last, at)
    end = end + len(last) if end >= 0 else at + len(first)
    cite = [corpus.span(unit.doc, at, end)]
    cells = [top, *(h for h, _ in past), src]
    calls = "\n".join(_as_typed(src))
    return Item(DOCTEST_PROMPT + fence(shown), calls, shown, want, "doctest", cite, cells)
