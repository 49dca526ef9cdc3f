"""The code sandbox: a source's code runs confined (bubblewrap), or not at all.

Real bubblewrap, real processes; skipped only where bubblewrap cannot start (a failure under
TEACHBACK_STRICT=1, as `make test` runs) (the sandbox then
reports why, and exercises fall back to recorded outputs: tested in tests/ingest/exercises)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from teachback import sandbox
from teachback.sandbox import CellResult, ProgramResult, run_programs
from teachback.tests.sandbox_required import require_sandbox


@pytest.fixture(autouse=True)
def sandbox_here():
    require_sandbox()


def test_cells_share_a_namespace_and_show_what_a_notebook_shows():
    (result,) = run_programs([["x = 2", "print('x is', x)\nx * 21"]])
    assert result == ProgramResult(
        cells=[CellResult(output="", error=""), CellResult(output="x is 2\n42\n", error="")]
    )


def test_each_program_starts_with_a_fresh_namespace():
    first, second = run_programs([["y = 1"], ["y"]])
    assert first.last == CellResult(output="", error="")
    assert second.last == CellResult(output="", error="NameError: name 'y' is not defined")


def test_no_network():
    (result,) = run_programs(
        [["import socket\ns = socket.socket()\ns.settimeout(2)\ns.connect(('10.0.0.1', 80))"]]
    )
    assert result.last.error.startswith("OSError"), result


def test_no_writes_outside_the_scratch_folder(tmp_path):
    target = tmp_path / "escaped.txt"
    (result,) = run_programs([[f"open({str(target)!r}, 'w').write('x')"]])
    assert result.last.error.startswith(("OSError", "FileNotFoundError", "PermissionError"))
    assert not target.exists()
    (inside,) = run_programs([["open('note.txt', 'w').write('ok')"]])
    assert inside.last == CellResult(output="2\n", error="")


def test_the_rest_of_the_machine_is_not_visible():
    here = Path(__file__).resolve()
    (result,) = run_programs([[f"open({str(here)!r}).read()"]])
    assert result.last.error.startswith("FileNotFoundError"), result


def test_time_and_memory_limits():
    slow, big = run_programs(
        [["while True:\n    pass"], ["b = bytearray(4 * 1024 ** 3)"]], cell_seconds=1
    )
    assert slow.last == CellResult(output="", error="timeout")
    assert big.last.error.startswith("MemoryError")


def test_magics_are_not_run():
    (result,) = run_programs([["%timeit sum(range(10))"]])
    assert result.last == CellResult(output="", error="magic")


def test_without_bubblewrap_nothing_runs(monkeypatch):  # (runs where bwrap exists)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(sandbox.SandboxUnavailable, match="bubblewrap"):
        run_programs([["1"]])
