"""Everything the code imports is declared in ``pyproject.toml`` and imports in this venv.

A fresh ``pip install -e '.[test]'`` only has what ``pyproject.toml`` asks for; a module that
works here because something else pulled it in breaks on a user's machine. This reads every
``import`` in the package and the tests (including the lazy ones inside functions) and checks
that each third-party module is provided by a declared distribution and really imports.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".venv", "build", "artifacts", ".git", "samples"}  # samples: material, not code
# Imported only behind a guard for the optional local model (the `local-llm` extra).
OPTIONAL = {"llama_cpp", "uvicorn", "fastapi", "sse_starlette", "pydantic_settings"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return {_norm(re.split(r"[\s\[<>=!~;]", r)[0]) for r in reqs}


def _imported_modules() -> dict[str, set[str]]:
    """Full module names imported anywhere -> the files importing them."""
    found: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        if SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def _third_party(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    return {
        name: files
        for name, files in modules.items()
        if name.split(".")[0] not in sys.stdlib_module_names
        and name.split(".")[0] != "teachback"
        and name.split(".")[0] not in OPTIONAL
    }


def test_every_third_party_import_comes_from_a_declared_distribution():
    declared = _declared()
    providers = importlib.metadata.packages_distributions()
    undeclared = {}
    for name, files in _third_party(_imported_modules()).items():
        dists = {_norm(d) for d in providers.get(name.split(".")[0], [])}
        if not dists & declared:
            undeclared[name] = (sorted(dists) or ["not installed"], sorted(files)[:3])
    assert undeclared == {}


@pytest.mark.parametrize("name", sorted(_third_party(_imported_modules())))
def test_every_third_party_import_imports(name):
    # Catches a dependency that needs an undeclared one at import time (trafilatura and
    # lxml.html.clean, which became its own distribution).
    importlib.import_module(name)
