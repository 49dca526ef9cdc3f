"""Putting a learner's code in place of a source function: finding its ``def``, the stub a
learner is shown (signature and docstring), and the module with the new ``def`` in place."""

from __future__ import annotations

import ast
import textwrap


class CodeError(ValueError):
    """The learner's code cannot be put in place of the function (syntax, no such def)."""


def find_def(tree: ast.Module, qualname: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The ``def`` named ``qualname`` ("func" or "Class.method") at the top of a module."""
    body: list[ast.stmt] = tree.body
    node = None
    for part in qualname.split("."):
        node = next(
            (
                n
                for n in body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and n.name == part
            ),
            None,
        )
        if node is None:
            return None
        body = node.body
    return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None


def header_and_docstring(text: str, node: ast.FunctionDef) -> tuple[str, str]:
    """The ``def`` line(s) and the docstring statement as written, dedented together (the
    docstring keeps its indentation under the ``def``)."""
    lines = text.splitlines()
    first = node.body[0]
    has_doc = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    end = first.end_lineno if has_doc else first.lineno - 1
    rows = textwrap.dedent("\n".join(lines[node.lineno - 1 : end])).splitlines()
    n_head = first.lineno - node.lineno
    return "\n".join(rows[:n_head]), "\n".join(rows[n_head:])


def stub(text: str, node: ast.FunctionDef, body: str = "...") -> str:
    """The function with its body replaced by ``body`` (signature and docstring kept)."""
    header, doc = header_and_docstring(text, node)
    inner = textwrap.indent(body.strip("\n"), "    ", lambda line: True)
    return "\n".join(x for x in (header, doc, inner) if x) + "\n"


def as_function(code: str, name: str, text: str, node: ast.FunctionDef) -> str:
    """The learner's answer as module-level code defining ``name``: a whole ``def`` as given
    (helpers and imports beside it allowed), or a bare body put under the source's signature.
    Raises ``CodeError`` when it does not parse."""
    code = textwrap.dedent((code or "").replace("\t", "    ")).strip("\n")
    if not code.strip():
        raise CodeError("No code was given.")
    try:
        tree = ast.parse(code)
    except SyntaxError as err:
        raise CodeError(f"Your code does not parse: {err.msg} (line {err.lineno}).") from None
    if any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name
           for n in tree.body):  # fmt: skip
        return code + "\n"
    whole = stub(text, node, body=code)
    try:
        ast.parse(whole)
    except SyntaxError as err:
        raise CodeError(f"Your code does not parse: {err.msg}.") from None
    return whole


def substitute(text: str, qualname: str, code: str) -> str:
    """``text`` (a module) with the ``def`` of ``qualname`` replaced by ``code`` (a whole
    ``def``, indented to where the original stood; its decorators kept)."""
    node = find_def(ast.parse(text), qualname)
    if node is None:
        raise CodeError(f"{qualname} is not in the module")
    lines = text.splitlines(keepends=True)
    indent = " " * node.col_offset
    new = textwrap.indent(code.rstrip("\n") + "\n", indent, lambda line: True)
    new = "\n".join(x if x.strip() else "" for x in new.split("\n"))
    return "".join(lines[: node.lineno - 1]) + new + "".join(lines[node.end_lineno :])
