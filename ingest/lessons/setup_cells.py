"""The setup a lesson's example needs: the earlier cell that builds the data an example uses.

A notebook example such as ``df3 = pd.merge(df1, df2)`` means nothing to a learner who has not
seen ``df1`` and ``df2``. For each code block the lesson shows from a notebook or Markdown
source (the passage that teaches the concept first), the names it reads but does not bind are
looked up in the cells above it in the same source; the nearest cell that assigns one (or adds
a column to it, ``data['density'] = ...``) is shown too, unless shown already (with the
paragraph that introduces it and its saved output, so the learner sees the data), in source
order. Helpers the author defines (``def make_df``) and imports are tools of
the notebook, not part of the example: they are not brought in.
"""

from __future__ import annotations

import ast
import builtins
import re

from teachback.ingest.lessons.blocks import _Index, _index_of, _Plan
from teachback.ingest.lessons.demonstrations import _take_introduction
from teachback.ingest.lessons.source_blocks import _code_with_outputs

MAX_SETUP_CELLS = 2  # per lesson: more would bury the example under its preparation
# ... besides those under the example's own heading, which are its passage (a second example,
# ``A.add(B, fill_value=0)`` on two Series after two DataFrames, shows its own data)
MAX_OWN_SECTION_CELLS = 2
MAX_SETUP_LINES = 20
_BUILTINS = frozenset(dir(builtins)) | {"display", "get_ipython", "In", "Out"}
_MAGIC = re.compile(r"^\s*[%!].*$", re.M)


def _tree(code: str) -> ast.Module | None:
    try:
        return ast.parse(_MAGIC.sub("", code))
    except (SyntaxError, ValueError):
        return None


def _bound(tree: ast.AST) -> set[str]:
    """Names a cell binds anywhere: assignment and loop targets, parameters, imports,
    definitions."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            out.add(node.id)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            out.update((a.asname or a.name).split(".")[0] for a in node.names)
    return out


def _read(tree: ast.Module) -> list[str]:
    """Names a cell reads when it runs, in order of first use (not those inside the functions
    and classes it defines: those are read when called, and a definition is shown for what it
    does, not for the values of the globals it would use)."""
    seen: dict[str, None] = {}

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            seen.setdefault(node.id, None)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return list(seen)


def _assigned(tree: ast.Module) -> set[str]:
    """Names a cell assigns data to at its top level (``df1 = pd.DataFrame(...)``)."""
    out: set[str] = set()
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For):
            targets = [node.target]
        for t in targets:
            out.update(n.id for n in ast.walk(t) if isinstance(n, ast.Name))
    return out


def _reshaped(tree: ast.Module) -> set[str]:
    """Names whose data a cell reshapes at its top level: ``data['density'] = ...`` adds a
    column the later examples show (``data.iloc[0, 2] = 90`` only changes a value)."""
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                    out.add(t.value.id)
    return out


def free_names(code: str) -> list[str]:
    """Names ``code`` reads without binding them, nor being built-ins.

    >>> free_names("df3 = pd.merge(df1, df2)\\ndf3")
    ['pd', 'df1', 'df2']
    """
    tree = _tree(code)
    if tree is None:
        return []
    bound = _bound(tree)
    return [n for n in _read(tree) if n not in bound and n not in _BUILTINS]


def add_setup(plan: _Plan, documents: list) -> None:
    """Add the cells that build what the lesson's notebook examples use (module docstring),
    and what those cells use in turn, up to ``MAX_SETUP_CELLS``."""
    by_path = {d.path: d for d in documents}
    left = MAX_SETUP_CELLS
    while left > 0:
        added = _setup_pass(plan, by_path, left)
        if not added:
            break
        left -= added
    _setup_pass(plan, by_path, MAX_OWN_SECTION_CELLS, own_section=True)


def _setup_pass(plan: _Plan, by_path: dict, limit: int, *, own_section: bool = False) -> int:
    """One sweep over the lesson's code blocks, the passage that teaches the concept first
    (the order they were planned in): the nearest builder of each name a block reads but does
    not bind, when it is not shown yet, the nearest builders first. A name rebound further
    down (``data``, a Series, then a DataFrame) is built by the cell nearest above each block
    that reads it. ``own_section``: only builders under the example's own heading. Returns
    how many cells it added."""
    added = 0
    shown = [b for b in plan.blocks if b.kind == "code" and b.path in by_path]
    for b in shown:
        doc = by_path[b.path]
        if doc.format not in ("notebook", "markdown") or _tree(b.text) is None:
            continue
        index = _index_of(doc)
        builders = {_builder(index, b.start, name) for name in free_names(b.text)}
        if own_section:
            heading = index.sections[index.at(b.start)].heading_path
            builders = {i for i in builders if i is not None and _heading(index, i) == heading}
        # nearest first: the cell just above an example ("area = pd.Series(area_dict)") is
        # part of its passage; one from an earlier chapter is the text's "from before"
        for i in sorted((i for i in builders if i is not None), reverse=True):
            if added >= limit:
                return added
            if _show(plan, index, i):
                added += 1
    return added


def _heading(index: _Index, i: int) -> tuple[str, ...]:
    return index.sections[i].heading_path


def _builder(index: _Index, before: int, name: str) -> int | None:
    """The nearest code section above offset ``before`` that assigns ``name`` at its top
    level; None when the nearest binding is an import or a definition (a tool of the
    notebook), or the cell is long."""
    secs = index.sections
    for i in range(index.at(before) - 1, -1, -1):
        sec = secs[i]
        if sec.kind != "code" or sec.end > before:
            continue
        tree = _tree(sec.text)
        if tree is None or name not in _bound(tree) | _reshaped(tree):
            continue
        if name not in _assigned(tree) or sec.text.count("\n") >= MAX_SETUP_LINES:
            return None
        return i
    return None


def _show(plan: _Plan, index: _Index, i: int) -> bool:
    """The setup cell with its outputs, after the paragraph that introduces it."""
    sec = index.sections[i]
    if plan.has(index.doc.path, sec.start, sec.end):
        return False
    blocks = _code_with_outputs(index, i)
    if not blocks:
        return False
    _take_introduction(plan, index, i)
    for b in blocks:
        plan.add(b, force=True)
    return True
