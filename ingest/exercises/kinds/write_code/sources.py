"""The sources' Python files laid out as importable modules, for running their checks.

``Package(corpus)`` names each Python document as a module (``hashkit.hashing``: the reader's
name, else the one its functions' qualified names start with, else the file's name) and gives
the files a module needs to import (``files``): itself, what it imports from the sources, and
the ``__init__.py`` of every package on the way. ``is_test`` tells a test file by its folder or
name (``tests/``, ``test_*.py``, ``*_test.py``).
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from teachback.ingest.exercises.corpus import Corpus

_TEST_DIRS = {"tests", "test", "testing"}
_TEST_FILE = re.compile(r"^(?:test_.*|.*_test)\.py$")


def _modules(corpus: Corpus) -> dict[int, str]:
    """Python documents and their module names (``hashkit.hashing``): the reader's, else the
    one its functions' qualified names start with, else the file's name."""
    out: dict[int, str] = {}
    guessed: dict[int, str] = {}
    for u in corpus.code_units:
        doc = corpus.documents[u.doc]
        if doc.format != "code" or doc.language not in ("python", ""):
            continue
        if u.kind == "module":
            out.setdefault(u.doc, u.symbol)
        elif u.kind in ("function", "class") and "." in u.symbol:
            guessed.setdefault(u.doc, u.symbol.rsplit(".", 1)[0])
        elif u.kind == "method" and u.symbol.count(".") >= 2:
            guessed.setdefault(u.doc, u.symbol.rsplit(".", 2)[0])
    for d in set(guessed) - set(out):
        meta = corpus.documents[d].meta or {}
        out[d] = str(meta.get("module") or guessed[d])
    return out


def rel_path(module: str, doc_path: str) -> str:
    base = module.replace(".", "/")
    return f"{base}/__init__.py" if PurePosixPath(doc_path).name == "__init__.py" else f"{base}.py"


def is_test(doc_path: str) -> bool:
    parts = PurePosixPath(doc_path.replace("\\", "/")).parts
    return bool(_TEST_DIRS & {p.lower() for p in parts[:-1]}) or bool(_TEST_FILE.match(parts[-1]))


def _imported(text: str, module: str, is_package: bool) -> set[str]:
    """Module names a module imports (relative imports resolved against its package)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return set()
    package = module if is_package else module.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(p for p in [*parts, base] if p)
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}
    return out


class Package:
    """The sources' Python files laid out as importable modules."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.module_of = _modules(corpus)
        self.by_module: dict[str, int] = {}
        for d, m in self.module_of.items():
            self.by_module.setdefault(m, d)

    def path(self, d: int) -> str:
        return rel_path(self.module_of[d], self.corpus.documents[d].path)

    def files(self, start: list[int]) -> dict[str, str]:
        """The files of ``start`` and everything they import from the sources, with the
        ``__init__.py`` of every package on the way."""
        todo, seen = list(start), set()
        while todo:
            d = todo.pop()
            if d in seen:
                continue
            seen.add(d)
            module = self.module_of[d]
            doc = self.corpus.documents[d]
            names = _imported(doc.text, module, doc.path.endswith("__init__.py"))
            parts = module.split(".")
            names |= {".".join(parts[:i]) for i in range(1, len(parts))}
            todo += [self.by_module[n] for n in names if n in self.by_module]
        return {self.path(d): self.corpus.documents[d].text for d in sorted(seen)}
