"""Calls a learner can work out by reading one small function: what it returns at the values
its own comparisons name.

A top-level function of a Python file with one parameter, a short body that computes from
that parameter and the module's numeric constants only (``math`` and a few builtins aside: no
I/O, no other function), is called at each integer its comparisons test the parameter against
(``if it > lr_decay_iters`` -> ``get_lr(600000)``): the edges of its branches, where reading
the code says what happens (the schedule's peak, its floor). The prompt shows the constants
and the function (no docstring, no comments); the key is what the call gives in the sandbox
(``reproduction``), kept only when a learner could write it out (``filters.predictable``).
"""

from __future__ import annotations

import ast

from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.predict_output.candidates import Item, fence, python_modules
from teachback.ingest.exercises.kinds.which_code import shown_code

MAX_BODY_LINES = 12
MAX_PROBES = 3
# what the body may call besides ``math.*``: arithmetic, nothing with effects
_PURE_BUILTINS = frozenset({"abs", "min", "max", "round", "int", "float"})

PROMPT = (
    "What does the last line return? The function is the source's own, with the module's "
    "default settings; the result was checked by running it.\n\n"
)


def probe_items(corpus: Corpus) -> list[tuple[int, str, Item]]:
    """``(document, function name, item)`` for every probe call of the corpus's code files."""
    out = []
    for d, _doc, tree in python_modules(corpus):
        constants = _numeric_constants(tree)
        imports_math = any(
            isinstance(n, ast.Import) and any(a.name == "math" for a in n.names) for n in tree.body
        )
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                for item in _probes(corpus, d, node, constants, imports_math):
                    out.append((d, node.name, item))
    return out


def _numeric_constants(tree: ast.Module) -> dict[str, tuple[ast.Assign, float]]:
    """Module-level names assigned a number once (``warmup_iters = 2000``), with the
    statement. A name assigned twice at the top level is no constant."""
    seen: dict[str, int] = {}
    found = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        for t in targets:
            if isinstance(t, ast.Name):
                seen[t.id] = seen.get(t.id, 0) + 1
                value = _number(node.value)
                if value is not None and len(targets) == 1:
                    found[t.id] = (node, value)
    return {name: v for name, v in found.items() if seen[name] == 1}


def _number(node: ast.AST) -> float | None:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return -inner if inner is not None else None
    return None


def _probes(corpus, d, node: ast.FunctionDef, constants, imports_math) -> list[Item]:
    args = node.args
    if node.decorator_list or len(args.args) != 1 or args.vararg or args.kwarg:
        return []
    if args.kwonlyargs or args.posonlyargs or args.defaults:
        return []
    param = args.args[0].arg
    doc = corpus.documents[d]
    if node.end_lineno - node.lineno > MAX_BODY_LINES:
        return []
    used = _free_names(node, param)
    if used is None or not used <= set(constants) | {"math"}:
        return []
    if "math" in used and not imports_math:
        return []
    edges = _edges(node, param, constants)
    if not edges:
        return []
    setup = ["import math"] if "math" in used else []
    stmts = sorted((constants[n][0] for n in used - {"math"}), key=lambda a: a.lineno)
    setup += [ast.get_source_segment(doc.text, a) for a in stmts]
    code = shown_code(ast.get_source_segment(doc.text, node), "\0")
    top = "\n".join(s for s in setup if s)
    shown_top = "\n".join(shown_code(s, "\0") for s in setup if s)
    start, end = _span(doc.text, node)
    items = []
    lines = doc.text.splitlines(keepends=True)
    for v, line in edges[:MAX_PROBES]:
        call = f"{node.name}({v})"
        shown = "\n\n".join(x for x in (shown_top, code, call) if x)
        cells = [top, code, call] if top else [code, call]
        # the function, then the code from the test the call is on the edge of: what decides
        test = sum(len(x) for x in lines[: line - 1])
        cite = [corpus.span(d, start, end), corpus.span(d, test, end)]
        items.append(Item(PROMPT + fence(shown), call, shown, "", "probe", cite, cells))
    return items


def _span(text: str, node: ast.FunctionDef) -> tuple[int, int]:
    lines = text.splitlines(keepends=True)
    start = sum(len(x) for x in lines[: node.lineno - 1])
    end = sum(len(x) for x in lines[: node.end_lineno])
    return start, end


def _free_names(node: ast.FunctionDef, param: str) -> set[str] | None:
    """The names the function reads that it does not set itself (None when it calls
    anything but ``math.*`` or an arithmetic builtin, or reads an attribute of anything but
    ``math``: a call with effects, or state the prompt cannot show)."""
    local = {param}
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            local.add(n.id)
        if isinstance(n, (ast.Global, ast.Nonlocal, ast.Yield, ast.YieldFrom, ast.Await)):
            return None
        if isinstance(n, ast.Attribute) and not (
            isinstance(n.value, ast.Name) and n.value.id == "math"
        ):
            return None
        if isinstance(n, ast.Call):
            f = n.func
            if isinstance(f, ast.Name) and f.id not in _PURE_BUILTINS:
                return None
    reads = {
        n.id
        for n in ast.walk(node)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in local
    }
    return reads - _PURE_BUILTINS


def _edges(node: ast.FunctionDef, param: str, constants) -> list[tuple[int, int]]:
    """The integers the parameter is compared with, in the order the code tests them, each
    with the line of its test."""
    out: list[tuple[int, int]] = []
    compares = [n for n in ast.walk(node) if isinstance(n, ast.Compare)]
    for n in sorted(compares, key=lambda c: (c.lineno, c.col_offset)):
        if not isinstance(n, ast.Compare) or len(n.comparators) != 1:
            continue
        left, right = n.left, n.comparators[0]
        if not (isinstance(left, ast.Name) and left.id == param):
            continue
        if isinstance(right, ast.Name) and right.id in constants:
            value = constants[right.id][1]
        else:
            value = _number(right)
        if isinstance(value, int) and not isinstance(value, bool):
            if value not in [v for v, _ in out]:
                out.append((value, n.lineno))
    return out


def find(corpus: Corpus, shown_function: str, name: str):
    """Where the sources define the function a probe shows (its citation), or None when no
    code file has it as shown (comments and docstring aside)."""
    for d, doc in enumerate(corpus.documents):
        if doc.format != "code" or f"def {name}(" not in doc.text:
            continue
        try:
            tree = ast.parse(doc.text)
        except (SyntaxError, ValueError):
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                code = shown_code(ast.get_source_segment(doc.text, node), "\0")
                if code == shown_function:
                    return corpus.span(d, *_span(doc.text, node))
    return None
