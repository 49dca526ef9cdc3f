"""Checking an implementation of one function by running the source's own doctests and tests.

A ``Suite`` (plain JSON, stored with a write-the-code exercise) holds what is needed to check
any implementation of one function or method: the Python files it needs (its module, what that
imports, the test modules), where the function sits, and its checks:

* a docstring's examples (each example a case, compared as ``doctest`` compares output: the
  example's ``# doctest:`` flags, whitespace normalised, an expected exception by its last line);
* a test function (one case; its ``assert a == b`` statements report the call, the expected and
  the actual value when they fail).

``run(suite, code)`` puts ``code`` (a whole ``def``, or only a body) in place of the function and
runs every check in ``teachback.sandbox`` (no network, no new processes, scratch-only writes,
time and memory limits); ``verify(suites)`` runs each suite against the source's own body and two
empty ones (``pass``, ``raise NotImplementedError``), so ingest keeps only checks that pass with
the source and fail without it.

Not handled: pytest fixtures and parametrised tests (tests that take arguments are skipped),
doctests spread over ``.rst`` files. A learner's code runs in the same worker as the checks, so
code written to forge the worker's report could fool the grade; it cannot reach anything else.

The package imports nothing from teachback but the sandbox: ``placing`` puts code in place of
the function, ``programs`` writes what the worker runs, ``results`` reads what it printed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from teachback import sandbox
from teachback.code_checks.placing import (
    CodeError,
    as_function,
    find_def,
    header_and_docstring,
    stub,
    substitute,
)
from teachback.code_checks.programs import MAX_SHOWN, instrument_tests, programs_for
from teachback.code_checks.results import CaseResult, Run, read_results, timed_out

CASE_SECONDS = 3.0
RUN_SECONDS = 20.0  # wall time for one learner's run, all checks together
STUBS = {"pass": "pass", "raise": "raise NotImplementedError"}


def _variant_files(suite: dict, code: str | None, folder: str) -> dict[str, str]:
    target = suite["target"]
    files = dict(suite["files"])
    if code is not None:
        files[target["path"]] = substitute(files[target["path"]], target["qualname"], code)
    return {f"{folder}/{path}": text for path, text in files.items()}


def learner_code(suite: dict, code: str) -> str:
    """The learner's answer as a whole ``def`` (raises ``CodeError``)."""
    target = suite["target"]
    text = suite["files"][target["path"]]
    node = find_def(ast.parse(text), target["qualname"])
    return as_function(code, target["qualname"].rsplit(".", 1)[-1], text, node)


def run(suite: dict, code: str, *, seconds: float = RUN_SECONDS) -> Run:
    """Check ``code`` (the learner's function, or its body) against the suite, in the sandbox.
    Raises ``sandbox.SandboxUnavailable`` when code cannot be run confined here."""
    try:
        whole = learner_code(suite, code)
        files = _variant_files(suite, whole, "v0")
    except CodeError as err:
        return Run(error=str(err))
    results = sandbox.run_programs(
        programs_for(suite, "v0"), files=files, cell_seconds=CASE_SECONDS, total_seconds=seconds
    )
    if results and all(r.error == "timeout" for r in results):
        return timed_out(suite)
    return read_results(suite, results)


@dataclass
class Verified:
    """One suite run with the source's own body and with the two empty bodies."""

    source: Run
    stubs: dict[str, Run]


def verify(suites: list[dict], *, batch: int = 30) -> list[Verified]:
    """Run every suite with its own body, ``pass`` and ``raise NotImplementedError``, a batch of
    variants per sandbox worker. Raises ``sandbox.SandboxUnavailable``."""
    jobs: list[tuple[int, str | None]] = []
    for i, suite in enumerate(suites):
        jobs.append((i, None))
        target = suite["target"]
        text = suite["files"][target["path"]]
        node = find_def(ast.parse(text), target["qualname"])
        for body in STUBS.values():
            jobs.append((i, stub(text, node, body)))
    runs: list[Run] = []
    for start in range(0, len(jobs), batch):
        chunk = jobs[start : start + batch]
        files: dict[str, str] = {}
        programs: list[list[str]] = []
        spans = []
        for k, (i, code) in enumerate(chunk):
            folder = f"v{k}"
            files.update(_variant_files(suites[i], code, folder))
            mine = programs_for(suites[i], folder)
            spans.append((len(programs), len(programs) + len(mine)))
            programs += mine
        results = sandbox.run_programs(programs, files=files, cell_seconds=CASE_SECONDS)
        for (i, _), (a, b) in zip(chunk, spans, strict=True):
            runs.append(read_results(suites[i], results[a:b]))
    out = []
    for n in range(len(suites)):
        source, stub_pass, stub_raise = runs[3 * n : 3 * n + 3]
        out.append(Verified(source, {"pass": stub_pass, "raise": stub_raise}))
    return out


__all__ = [
    "CASE_SECONDS",
    "MAX_SHOWN",
    "RUN_SECONDS",
    "STUBS",
    "CaseResult",
    "CodeError",
    "Run",
    "Verified",
    "as_function",
    "find_def",
    "header_and_docstring",
    "instrument_tests",
    "learner_code",
    "run",
    "stub",
    "substitute",
    "verify",
]
