"""What the worker's cells mean: each check's cases passed or failed, and what to show."""

from __future__ import annotations

import doctest
import json
import re
from dataclasses import dataclass, field

from teachback import sandbox
from teachback.code_checks.programs import CASE, EXC, OK


@dataclass
class CaseResult:
    check: str  # the check's label ("the docstring of fnv1a", "test_slug in tests/test_text")
    call: str  # the example or the failing assertion, as written
    expected: str
    got: str
    passed: bool
    scored: bool = True  # counts towards the share of cases passed


@dataclass
class Run:
    cases: list[CaseResult] = field(default_factory=list)
    error: str = ""  # the code could not be run at all (a syntax error, no sandbox)

    @property
    def passed(self) -> bool:
        return bool(self.cases) and not self.error and all(c.passed for c in self.cases)

    @property
    def score(self) -> float:
        scored = [c for c in self.cases if c.scored] or self.cases
        if self.error or not scored:
            return 0.0
        return sum(c.passed for c in scored) / len(scored)

    @property
    def first_failure(self) -> CaseResult | None:
        return next((c for c in self.cases if not c.passed), None)


def _flags(source: str) -> int:
    flags = doctest.NORMALIZE_WHITESPACE
    for sign, name in re.findall(
        r"([+-])([A-Z_]+)", " ".join(re.findall(r"#\s*doctest:(.*)", source))
    ):
        value = doctest.OPTIONFLAGS_BY_NAME.get(name, 0)
        flags = flags | value if sign == "+" else flags & ~value
    return flags


def _doctest_case(check: dict, case: dict, cell) -> CaseResult:
    want = case["want"]
    source = case["source"]
    if cell is None:
        got, ok = "(not run: an earlier example took too long or stopped the run)", False
    elif cell.error:
        got = "it took too long (stopped)" if cell.error == "timeout" else cell.error
        ok = False
    else:
        out = cell.output
        if EXC in out:
            before, _, exc = out.partition(EXC)
            got = exc.strip()
            expected_exc = want.strip().splitlines()[-1] if want.startswith("Traceback") else None
            ok = expected_exc is not None and doctest.OutputChecker().check_output(
                expected_exc + "\n", got + "\n", _flags(source) | doctest.IGNOREEXCEPTION_DETAIL
            )
        else:
            got = out
            ok = not want.startswith("Traceback") and doctest.OutputChecker().check_output(
                want + "\n" if want else "", out, _flags(source)
            )
    shown_want = want.strip().splitlines()[-1] if want.startswith("Traceback") else want
    return CaseResult(
        check=check["label"],
        call=source,
        expected=shown_want.strip() or "(nothing printed)",
        got=got.strip() or "(nothing printed)",
        passed=bool(ok),
        scored=case.get("scored", True),
    )


def _test_case(check: dict, result) -> CaseResult:
    cell = result.cells[-1] if len(result.cells) >= 2 else None
    call, expected, got = f"{check['function']}()", "it passes", ""
    if cell is None or cell.error:
        why = cell.error if cell is not None else (result.error or "not run")
        got = "it took too long (stopped)" if why == "timeout" else why
        ok = False
    else:
        ok = OK in cell.output
        for line in cell.output.split("\n"):
            if line.startswith(CASE):
                detail = json.loads(line[len(CASE) :])
                call, expected, got = detail["call"], detail["expected"], detail["got"]
        if not ok and not got:
            got = cell.output.partition(EXC)[2].strip() or "it failed"
    return CaseResult(
        check=check["label"], call=call, expected=expected, got=got, passed=ok,
        scored=check.get("scored", True),
    )  # fmt: skip


def read_results(suite: dict, results) -> Run:
    run = Run()
    for check, result in zip(suite["checks"], results, strict=True):
        if check["kind"] == "test":
            run.cases.append(_test_case(check, result))
            continue
        cells = result.cells[2:]
        loaded = len(result.cells) >= 2 and not result.cells[1].error
        for i, case in enumerate(check["cases"]):
            cell = cells[i] if loaded and i < len(cells) else None
            if not loaded and len(result.cells) >= 2:
                cell = result.cells[1]  # the module itself failed to import: say why
            elif not loaded:
                cell = sandbox.CellResult(error=result.error or "not run")
            run.cases.append(_doctest_case(check, case, cell))
    return run


def timed_out(suite: dict) -> Run:
    run = Run()
    for check in suite["checks"]:
        cases = check["cases"] if check["kind"] == "doctest" else [check]
        for case in cases:
            call = case.get("source") or f"{check.get('function')}()"
            run.cases.append(
                CaseResult(check["label"], call, case.get("want", "it passes") or "(nothing)",
                           "it took too long (the whole run was stopped)", False,
                           case.get("scored", True))
            )  # fmt: skip
    return run
