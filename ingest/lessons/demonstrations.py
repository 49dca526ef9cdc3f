"""Code blocks that demonstrate a concept (a notebook cell calling an API, a Markdown example
using a class), with the paragraph that introduces them, their outputs and figures; a cell
whose code merely has a variable named like a term does not demonstrate the term."""

from __future__ import annotations

import re

from teachback.core.document import Document, Section
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.lessons.blocks import MAX_CODE_LINES, _Index, _index_of, _Plan
from teachback.ingest.lessons.names import _mentions
from teachback.ingest.lessons.source_blocks import (
    _block_for,
    _code_with_outputs,
    _start_of_thought,
)

_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
# A one-line string literal (with an f/r/b prefix): its words are data, not code.
_STRING = re.compile(r"""[rbfuRBFU]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""")


def _demonstrations(
    plan: _Plan, concept: ConceptDraft, documents: list[Document], names: list[str], limit: int
) -> None:
    """Notebook or Markdown code blocks that use the concept (an API call, a class), with the
    paragraph that introduces them, their outputs and figures."""
    short = {n.rsplit(".", 1)[-1] for n in names}
    found = 0
    for doc in documents:
        if doc.format not in ("notebook", "markdown"):
            continue
        index = _index_of(doc)
        for i, sec in enumerate(index.sections):
            if found >= limit:
                return
            if _demonstrates(sec, names, short) and (
                concept.kind == "code" or _calls(sec, short) or _introduced_as(index, i, names)
            ):
                _take_introduction(plan, index, i)
                found += _take_cell(plan, index, i)


def _calls(sec: Section, short: set[str]) -> bool:
    """Whether a code block calls the concept as an API, also down a chain of calls
    (``df.groupby('key').transform(center)``, whose recorded calls name only the first)."""
    if {c.lower().rsplit(".", 1)[-1] for c in sec.signals.get("calls") or []} & short:
        return True
    code = _STRING.sub('""', sec.text)
    return any(
        re.search(r"(?<![\w])" + re.escape(n) + r"\s*\(", code)
        for n in short
        if _IDENTIFIER.fullmatch(n)
    )


def _introduced_as(index: _Index, i: int, names: list[str]) -> bool:
    """Whether the paragraph introducing code section ``i`` names the concept: a cell whose
    code merely has a variable ``key`` shows the concept "key" only when its text says so
    (the cell measuring probe lengths by load factor is not about keys)."""
    secs = index.sections
    before = _introduction_of(secs, i)
    return before is not None and _mentions(secs[before].text, names)


def _introduction_of(secs: list[Section], i: int) -> int | None:
    """The prose section introducing code section ``i`` (under the same heading, the outputs
    of the cell before skipped), if any."""
    before = i - 1
    while before >= 0 and secs[before].kind == "output":
        before -= 1
    if before < 0 or secs[before].kind != "prose":
        return None
    return before if secs[before].heading_path == secs[i].heading_path else None


def _demonstrates(sec: Section, names: list[str], short: set[str]) -> bool:
    """Whether a code block of readable length calls the concept or names it in its code or
    comments (a word inside a string the code prints is not the concept at work: "average
    keys until the first collision" does not demonstrate keys); a term of several words is
    named by its identifier too (``block_size`` for "block size")."""
    if sec.kind != "code":
        return False
    calls = {c.lower().rsplit(".", 1)[-1] for c in sec.signals.get("calls") or []}
    code = _STRING.sub('""', sec.text)
    spelled = names + [n.replace(" ", "_") for n in names if " " in n]
    if not (calls & short or _mentions(code, spelled)):
        return False
    return sec.text.count("\n") < MAX_CODE_LINES


def _take_introduction(plan: _Plan, index: _Index, i: int) -> None:
    """The paragraph introducing code section ``i`` (under the same heading, outputs of the
    cell before skipped), from where its sentence starts."""
    secs = index.sections
    before = _introduction_of(secs, i)
    if before is None:
        return
    for j in range(_start_of_thought(secs, before), before + 1):
        if secs[j].kind != "output":
            for b in _block_for(index, j):
                plan.add(b)


def _take_cell(plan: _Plan, index: _Index, i: int) -> bool:
    """A code cell with its outputs and figures; False when its code did not fit, or when a
    notebook cell shows nothing it gives (``df.groupby('key')``, whose only output is an
    object's repr, shows the call, not what it does: another cell is looked for)."""
    added = shows = False
    for b in _code_with_outputs(index, i):
        if not plan.add(b) and b.kind == "code":
            plan.drop_dangling_intro()
            break
        added = True
        shows = shows or b.kind in ("output", "image")
    return added and (shows or index.doc.format != "notebook")
