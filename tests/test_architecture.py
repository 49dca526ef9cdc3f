"""The dependency rules of docs/architecture.md hold, and its diagram is the one the imports draw.

The rules are import-linter contracts in ``pyproject.toml`` (layers, a bottom layer that
imports nothing of teachback, no cycles inside any package, only curricula
imports SQLite or sqlite-utils); the diagram and the cycle count come from
``scripts/architecture.py``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]


def _architecture():
    spec = importlib.util.spec_from_file_location("architecture", ROOT / "scripts/architecture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "4 kept, 0 broken" in out.stdout


def test_no_import_cycle_between_packages_nor_inside_any_package():
    arch = _architecture()
    report = arch.cycle_report(arch.module_graph())
    assert report == {"between packages": []}


def test_core_imports_no_other_part_of_teachback():
    arch = _architecture()
    assert set(arch.package_graph(arch.module_graph()).successors("core")) == set()


def test_the_checked_in_diagram_is_the_one_the_imports_draw():
    arch = _architecture()
    text = arch.DOC.read_text()
    assert arch.render_doc(text, arch.mermaid(arch.package_graph(arch.module_graph()))) == text


def test_cycles_are_counted_between_and_inside_packages():
    arch = _architecture()
    modules = nx.DiGraph(
        [
            ("teachback.engine.a", "teachback.curricula.db"),  # engine -> curricula ...
            ("teachback.curricula.db", "teachback.engine.b"),  # ... -> engine: one between
            ("teachback.ui.common", "teachback.ui.learn"),
            ("teachback.ui.learn", "teachback.ui.common"),  # one inside ui
            ("teachback.tutor.session", "teachback.core.text"),  # none
        ]
    )
    report = arch.cycle_report(modules)
    assert sorted(map(sorted, report["between packages"])) == [["curricula", "engine"]]
    ui = [["teachback.ui.common", "teachback.ui.learn"]]
    assert sorted(map(sorted, report["inside ui"])) == ui
    assert set(report) == {"between packages", "inside ui"}
