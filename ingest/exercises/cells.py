"""Which earlier notebook cells a cell needs, read from the code (``ast``), never run here.

``dependencies(cells, i)`` returns the indexes of the earlier cells that define or change a
name cell ``i`` uses (and, in turn, what those use), in notebook order — the code a learner
must see to predict cell ``i``'s output. For example, with cells
``["import numpy as np", "x = np.arange(3)", "y = 5", "x * 2"]`` cell 3 needs ``[0, 1]``.

A cell that assigns a name plainly (``x = ...``, ``import x``, ``def x``) ends the search for
that name, unless it reads the name first (``x = f(x)``); one that changes it in place
(``x[0] = 1``, ``x.append(2)``, ``x += 1``) is included and the search goes on. Returns None
when the cell cannot be shown with what it needs (a syntax error, an IPython magic or shell
escape among the cells needed, or more than ``max_cells`` / ``max_lines`` of earlier code).

Not handled: names reached through ``globals()``/``exec``, star imports (treated as defining
nothing), mutation through aliases (``y = x; y.append(1)``). Running the shown cells (the
sandbox) catches what this misses: such an exercise does not reproduce and is dropped.
"""

from __future__ import annotations

import ast
import builtins
import re
from functools import lru_cache

_BUILTINS = frozenset(dir(builtins))
_HARMLESS_MAGIC = re.compile(r"^\s*%(?:matplotlib|config|load_ext)\b.*$", re.M)
_MUTATORS = frozenset(
    """append extend insert remove pop clear sort reverse update add discard setdefault
    popitem fill resize put set_index reset_index drop rename fillna dropna replace
    sort_values sort_index insert_row seed""".split()
)


def strip_harmless_magics(code: str) -> str:
    """``%matplotlib inline`` and the like change nothing a cell prints: dropped."""
    return _HARMLESS_MAGIC.sub("", code).strip()


def has_magic(code: str) -> bool:
    return any(line.lstrip().startswith(("%", "!")) for line in code.splitlines())


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


@lru_cache(maxsize=4096)
def names(code: str) -> tuple[frozenset, frozenset, frozenset] | None:
    """(assigned, changed, used) names of a cell, or None if it does not parse."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    assigned, changed, used = set(), set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else assigned).add(node.id)
        assigned |= _defined(node)
        root = _changed_root(node)
        if root:
            changed.add(root)
    # names a function body uses are needed when the function is called, which is here
    return frozenset(assigned), frozenset(changed), frozenset(used - _BUILTINS)


def _defined(node: ast.AST) -> set[str]:
    """Names an import, ``def`` or ``class`` binds (a star import binds none we know)."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    return set()


def _changed_root(node: ast.AST) -> str | None:
    """The name a statement changes in place: ``x[0] = 1``, ``x.a = 1``, ``x += 1``,
    ``x.append(2)``, ``x.drop(..., inplace=True)``."""
    if isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx, ast.Load):
        return _root(node)
    if isinstance(node, ast.AugAssign):
        return _root(node.target)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        inplace = any(k.arg == "inplace" for k in node.keywords)
        if node.func.attr in _MUTATORS or inplace:
            return _root(node.func.value)
    return None


@lru_cache(maxsize=4096)
def read_before_set(code: str) -> frozenset:
    """Names a cell sets but reads first, which an earlier cell must have made:
    ``index = pd.MultiIndex.from_tuples(index)`` (an assignment's value is computed before
    its name is bound). Only the values of assignments are read for this; empty if the cell
    does not parse."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return frozenset()
    bound: set[str] = set()
    out: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign | ast.AugAssign | ast.AnnAssign) and stmt.value:
            out |= _reads(stmt.value) - bound
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                bound.add(node.id)
            bound |= _defined(node)
    return frozenset(out & bound)  # (the names it never sets are among those it uses)


def _reads(value: ast.AST) -> set[str]:
    """Names an expression reads from outside it (not a comprehension's or lambda's own)."""
    loaded, own = set(), set()
    for node in ast.walk(value):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else own).add(node.id)
        elif isinstance(node, ast.arg):
            own.add(node.arg)
    return loaded - own


def dependencies(
    cells: list[str], i: int, max_cells: int = 4, max_lines: int = 24
) -> list[int] | None:
    needed = needed_code(cells, i, max_cells, max_lines)
    return None if needed is None else [j for j, _ in needed]


def needed_code(
    cells: list[str], i: int, max_cells: int = 4, max_lines: int = 24
) -> list[tuple[int, str]] | None:
    """``(index, code to show)`` of each earlier cell cell ``i`` needs, in notebook order: a
    cell needed only for a module it imports is shown as its import lines alone (``import
    pandas as pd`` of a cell that also builds a Series the later cells replace), not whole.
    None as for ``dependencies``."""
    mine = names(strip_harmless_magics(cells[i]))
    if mine is None or has_magic(strip_harmless_magics(cells[i])):
        return None
    assigned, changed, used = mine
    # "x[0] = 1" needs x, and so does "x = f(x)"
    needed = (set(used) - assigned) | changed | read_before_set(strip_harmless_magics(cells[i]))
    picked: list[tuple[int, str]] = []
    for j in range(i - 1, -1, -1):
        if not needed:
            break
        code = strip_harmless_magics(cells[j])
        theirs = names(code)
        if theirs is None:
            continue
        a, c, u = theirs
        hit = needed & (a | c)
        if not hit:
            continue
        if has_magic(code):
            return None
        imports = _import_lines(code)
        if imports and hit <= imports[0]:
            picked.append((j, imports[1]))
            needed -= hit
            continue
        picked.append((j, code))
        needed -= a - c  # a plain assignment is where the name starts
        needed |= (u - a) | read_before_set(code)
    picked.reverse()
    if len(picked) > max_cells or sum(len(x.splitlines()) for _, x in picked) > max_lines:
        return None
    return picked


def _import_lines(code: str) -> tuple[frozenset, str] | None:
    """The names a cell's top-level imports bind and those statements' lines, when the cell
    has other statements too (else None: the cell is shown whole anyway)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    if not imports or len(imports) == len(tree.body):
        return None
    lines = code.splitlines()
    text = "\n".join("\n".join(lines[n.lineno - 1 : n.end_lineno]) for n in imports)
    return frozenset(x for n in imports for x in _defined(n)), text
