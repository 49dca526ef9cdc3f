"""Which functions of the sources could be write-the-code exercises, and what would check them.

``candidates(corpus)`` gives, for every top-level function and method of the sources' Python
files that are not tests, either a suite for ``teachback.code_checks`` (its module and what that
imports, the docstring examples and the test functions that call it) or ``{"problem": why}``:
a body of one line (nothing to write) or over ``MAX_LINES``, a body on the signature's line, no
example or test calling it, files too large to run. Nothing is run here
(``verification`` does that).
"""

from __future__ import annotations

import ast
import re

from teachback import code_checks
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.write_code.sources import Package, is_test

MIN_LINES, MAX_LINES = 2, 25
MAX_CHECKS = 6
MAX_FILES_CHARS = 300_000


def _targets(tree: ast.Module):
    """(qualname, node, class node or None) for top-level functions and methods."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node, None
        elif isinstance(node, ast.ClassDef):
            for sub in node.body:
                if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{node.name}.{sub.name}", sub, node


def body_lines(text: str, node: ast.FunctionDef) -> int:
    """Lines of code in the body: no docstring, blank lines or comments."""
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if not body:
        return 0
    lines = text.splitlines()[body[0].lineno - 1 : body[-1].end_lineno]
    return sum(1 for x in lines if x.strip() and not x.strip().startswith("#"))


def _calls(code: str, name: str) -> bool:
    return bool(re.search(rf"(?<![\w]){re.escape(name)}\s*\(", code)) or (
        bool(re.search(rf"\.{re.escape(name)}\b", code))
    )


def _doctest_checks(corpus: Corpus, package: Package, name: str) -> list[dict]:
    """Docstrings in the sources whose examples call ``name``: one check each."""
    out = []
    for u in corpus.code_units:
        if u.kind == "cell" or not u.doctests or u.doc not in package.module_of:
            continue
        if is_test(corpus.documents[u.doc].path):
            continue
        sources = [ex.get("source", "") for ex in u.doctests]
        if not any(_calls(s, name) for s in sources):
            continue
        module = package.module_of[u.doc]
        owner = u.symbol[len(module) + 1 :] if u.symbol != module else ""
        label = (
            f"the examples in the docstring of `{owner}`"
            if owner
            else f"the examples in the docstring of the module `{module}`"
        )
        cases = [{"source": ex["source"], "want": ex.get("want", "")} for ex in u.doctests]
        if any("+SKIP" in c["source"] for c in cases):
            continue
        out.append(
            {"kind": "doctest", "label": label, "module": module, "cases": cases, "doc": u.doc}
        )
    return out


def _test_checks(corpus: Corpus, package: Package, name: str) -> list[dict]:
    """Test functions (no arguments) in test files among the sources that call ``name``."""
    out = []
    for d, module in package.module_of.items():
        doc = corpus.documents[d]
        if not is_test(doc.path):
            continue
        try:
            tree = ast.parse(doc.text)
        except SyntaxError:
            continue
        for node in tree.body:
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test")):
                continue
            if node.args.args or node.args.posonlyargs or node.args.kwonlyargs:
                continue  # pytest fixtures or parameters: not run here
            code = ast.get_source_segment(doc.text, node) or ""
            if _calls(code, name):
                label = f"the test `{node.name}` in `{package.path(d)}`"
                out.append(
                    {"kind": "test", "label": label, "module": module, "function": node.name,
                     "doc": d}
                )  # fmt: skip
    return out


def _candidate(corpus: Corpus, package: Package, d: int, qualname: str, node) -> dict:
    """A suite for one function, or ``{"problem": why}``."""
    doc = corpus.documents[d]
    name = qualname.rsplit(".", 1)[-1]
    lines = body_lines(doc.text, node)
    if node.body[0].lineno == node.lineno:
        return {"problem": "its body is on the line of its signature"}
    if lines < MIN_LINES:
        return {"problem": f"its body is {lines} line: nothing worth writing"}
    if lines > MAX_LINES:
        return {"problem": f"its body is {lines} lines: too long to write as an exercise"}
    checks = (_doctest_checks(corpus, package, name) + _test_checks(corpus, package, name))[
        :MAX_CHECKS
    ]
    if not checks:
        return {"problem": "no doctest or test in the sources calls it"}
    files = package.files([d, *(c["doc"] for c in checks)])
    for c in checks:
        if c["kind"] == "test":
            path = package.path(c["doc"])
            files[path] = code_checks.instrument_tests(files[path])
    if sum(map(len, files.values())) > MAX_FILES_CHARS:
        return {"problem": "its module and what it imports are too large to run for a check"}
    suite = {
        "files": files,
        "target": {"path": package.path(d), "qualname": qualname},
        "checks": [{k: v for k, v in c.items() if k != "doc"} for c in checks],
    }
    return {"suite": suite}


def candidates(corpus: Corpus) -> dict[tuple[int, str], dict]:
    """A candidate (a suite or a problem) for every top-level function and method of the
    sources' Python files that are not tests."""
    package = Package(corpus)
    plan: dict[tuple[int, str], dict] = {}
    for d, module in package.module_of.items():
        doc = corpus.documents[d]
        if is_test(doc.path):
            continue
        try:
            tree = ast.parse(doc.text)
        except SyntaxError:
            continue
        for qualname, node, cls in _targets(tree):
            item = _candidate(corpus, package, d, qualname, node)
            item.update(doc=d, qualname=qualname, module=module, node=node, cls=cls, tree=tree)
            plan[(d, f"{module}.{qualname}")] = item
    return plan
