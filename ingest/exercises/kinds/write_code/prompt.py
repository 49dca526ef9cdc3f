"""What a write-the-code prompt shows: the signature and docstring to complete, and what the
body uses from its module and class, as code.

``context`` shows the module's imports, constants, functions (by signature) and classes (by
docstring) that the body uses and, for a method, its class's ``__init__`` and the methods it
calls; ``imported_signature`` shows a function imported from another module of the sources by
its signature. Docstring examples that check the function but sit elsewhere are shown too.
"""

from __future__ import annotations

import ast
import textwrap

from teachback import code_checks
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.write_code.sources import Package

PROMPT = (
    "Write the body of {what_def} (in `{path}`) so that it does what its docstring says. "
    "Your code is checked by running the source's own {what} against it.\n\n"
)


def fence(code: str) -> str:
    return "```python\n" + code.replace("```", "`\u200b``").rstrip("\n") + "\n```"


def _summary(node) -> str:
    doc = ast.get_docstring(node) or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ")[:100]


def _segment(text: str, node) -> str:
    """A definition's lines as written (decorators included), dedented."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return textwrap.dedent("\n".join(text.splitlines()[first - 1 : node.end_lineno]))


def _signature_only(text: str, node) -> str:
    header, _ = code_checks.header_and_docstring(text, node)
    header = "".join(f"@{ast.unparse(d)}\n" for d in node.decorator_list) + header
    summary = _summary(node)
    return header + ("\n    " + f'"""{summary}"""' if summary else "") + "\n    ..."


def context(text: str, tree: ast.Module, node, cls, imported=lambda module, name: "") -> str:
    """What the body uses from its module (constants, functions, imports) and, for a method,
    its class (``__init__``, the other methods it calls), shown as code. A function imported
    from another module of the sources is shown by its signature (``imported``)."""
    used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    shown = []
    for stmt in tree.body:
        if stmt is not cls and stmt is not node:
            shown += _module_context(text, stmt, used, imported)
    if cls is not None:
        shown.append(_class_context(text, node, cls))
    return "\n\n".join(s for s in shown if s)


def _module_context(text: str, stmt, used: set[str], imported) -> list[str]:
    """How a module-level statement is shown when the body uses what it binds: an import as
    written (with the signature of a function it brings from the sources), an assignment
    (its first line when long), a function by its signature, a class by its docstring."""
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        bound = {(a.asname or a.name).split(".")[0] for a in stmt.names}
        if not bound & used:
            return []
        out = [ast.get_source_segment(text, stmt) or ""]
        if isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            out += [
                imported(stmt.module, a.name) for a in stmt.names if (a.asname or a.name) in used
            ]
        return out
    if isinstance(stmt, ast.Assign | ast.AnnAssign):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        if not {t.id for t in targets if isinstance(t, ast.Name)} & used:
            return []
        seg = ast.get_source_segment(text, stmt) or ""
        return [seg if seg.count("\n") < 3 else seg.split("\n")[0] + " ..."]
    if isinstance(stmt, ast.ClassDef) and stmt.name in used:
        summary = _summary(stmt)
        doc = f'\n    """{summary}"""' if summary else ""
        return [f"class {stmt.name}:{doc}\n    ..."]
    if isinstance(stmt, ast.FunctionDef) and stmt.name in used:
        return [_signature_only(text, stmt)]
    return []


def _class_context(text: str, node, cls: ast.ClassDef) -> str:
    """A method's class as it needs it: ``__init__`` in full, the other methods it calls on
    ``self`` by their signatures."""
    attrs = {
        n.attr
        for n in ast.walk(node)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"
    }
    members = []
    for sub in cls.body:
        if sub is node or not isinstance(sub, ast.FunctionDef):
            continue
        if sub.name == "__init__":
            members.append(_segment(text, sub))
        elif sub.name in attrs:
            members.append(_signature_only(text, sub).strip("\n"))
    body = "\n\n".join(textwrap.indent(m, "    ") for m in members)
    return f"class {cls.name}:" + ("\n" + body if body else "\n    ...")


def doctest_lines(case: dict) -> str:
    src = case["source"].splitlines()
    lines = [(">>> " if i == 0 else "... ") + x for i, x in enumerate(src)]
    return "\n".join(lines + ([case["want"]] if case["want"] else []))


def imported_signature(corpus: Corpus):
    """``(module, name) -> "def name(...): ..."`` for functions and classes of the sources."""
    package = Package(corpus)

    def signature(module: str, name: str) -> str:
        d = package.by_module.get(module)
        if d is None:
            return ""
        text = corpus.documents[d].text
        try:
            tree = ast.parse(text)
        except SyntaxError:
            return ""
        for stmt in tree.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name == name:
                return f"# in {module}\n" + _signature_only(text, stmt)
        return ""

    return signature


def what(checks: list[dict]) -> str:
    doctests = sum(1 for c in checks if c["kind"] == "doctest")
    tests = len(checks) - doctests
    parts = []
    if doctests:
        parts.append("docstring examples")
    if tests:
        parts.append("test" if tests == 1 else "tests")
    return " and ".join(parts)


def prompt(corpus: Corpus, item: dict, path: str, starter: str) -> str:
    """The prompt for a verified candidate: what to write, what it may use, the stub to
    complete, and the examples elsewhere in the sources that must pass too."""
    doc = corpus.documents[item["doc"]]
    node, cls, tree = item["node"], item["cls"], item["tree"]
    name = item["qualname"]
    suite = item.get("suite")
    checks = suite["checks"] if suite else []
    shown = context(doc.text, tree, node, cls, imported_signature(corpus))
    short = name.rsplit(".", 1)[-1]
    what_def = f"the method `{short}` of `{cls.name}`" if cls is not None else f"`{short}`"
    text = PROMPT.format(what_def=what_def, path=path, what=what(checks) or "examples")
    if shown:
        text += "Already defined, for you to use:\n\n" + fence(shown) + "\n\n"
    text += f"Complete this {'method' if cls is not None else 'function'}:\n\n" + fence(starter)
    others = [c for c in checks if c["kind"] == "doctest" and not c["label"].endswith(f"`{name}`")]
    for c in others[:2]:  # examples that run but are not in its own docstring: shown too
        block = "\n".join(doctest_lines(case) for case in c["cases"])
        text += f"\n\nIt must also pass {c['label']}:\n\n" + fence(block)
    return text
