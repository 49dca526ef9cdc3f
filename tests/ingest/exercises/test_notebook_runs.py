"""One sandbox worker for every kind's notebook programs (``ingest/exercises/notebook_runs.py``)."""

from __future__ import annotations

from types import SimpleNamespace

from teachback import sandbox
from teachback.ingest.exercises import notebook_runs
from teachback.tests.sandbox_required import require_sandbox


def test_every_kinds_programs_run_once_in_one_worker(monkeypatch):
    require_sandbox()
    runs = []
    real = sandbox.run_programs

    def counted(programs, **kw):
        runs.append(len(programs))
        return real(programs, **kw)

    monkeypatch.setattr(sandbox, "run_programs", counted)
    providers = {"a": lambda c: [["1 + 1"]], "b": lambda c: [["x = 2", "x * 3"], ["'b'"]]}
    monkeypatch.setattr(notebook_runs, "_PROVIDERS", providers)
    corpus = SimpleNamespace()
    assert [r.last.output for r in notebook_runs.results(corpus, "b")] == ["6\n", "'b'\n"]
    assert [r.last.output for r in notebook_runs.results(corpus, "a")] == ["2\n"]
    assert runs == [3]
