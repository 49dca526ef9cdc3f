"""The package layout: every subpackage ships, the CLI answers, ``python -m`` works."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {"teachback"}
    for init in ROOT.rglob("__init__.py"):
        rel = init.parent.relative_to(ROOT)
        if rel.parts and rel.parts[0] in {".venv", "tests", "build", "docs", "data"}:
            continue
        if rel.parts:
            found.add("teachback." + ".".join(rel.parts))
    # The bundled samples ship as data packages (their folders, and the sample Python package).
    samples = ROOT / "data" / "samples"
    found |= {"teachback.data", "teachback.data.samples"}
    found |= {f"teachback.data.samples.{i.parent.name}" for i in samples.glob("*/__init__.py")}
    assert found == listed


def test_python_dash_m_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "teachback", "--help"], capture_output=True, text=True, check=True
    )
    assert "Usage:" in out.stdout and "teachback" in out.stdout
