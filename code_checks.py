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

This module imports nothing from teachback but the sandbox.
"""

from __future__ import annotations

import ast
import doctest
import json
import re
import textwrap
from dataclasses import dataclass, field

from teachback import sandbox

CASE_SECONDS = 3.0
RUN_SECONDS = 20.0  # wall time for one learner's run, all checks together
MAX_SHOWN = 160  # characters of a call, an expected or an actual value shown in feedback
_EXC, _OK, _CASE = "\x1e__EXC__", "\x1e__OK__", "\x1e__CASE__"
STUBS = {"pass": "pass", "raise": "raise NotImplementedError"}


class CodeError(ValueError):
    """The learner's code cannot be put in place of the function (syntax, no such def)."""


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


# -- putting code in place of the function ----------------------------------------------------


def find_def(tree: ast.Module, qualname: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The ``def`` named ``qualname`` ("func" or "Class.method") at the top of a module."""
    body: list[ast.stmt] = tree.body
    node = None
    for part in qualname.split("."):
        node = next(
            (
                n
                for n in body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and n.name == part
            ),
            None,
        )
        if node is None:
            return None
        body = node.body
    return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None


def header_and_docstring(text: str, node: ast.FunctionDef) -> tuple[str, str]:
    """The ``def`` line(s) and the docstring statement as written, dedented together (the
    docstring keeps its indentation under the ``def``)."""
    lines = text.splitlines()
    first = node.body[0]
    has_doc = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    end = first.end_lineno if has_doc else first.lineno - 1
    rows = textwrap.dedent("\n".join(lines[node.lineno - 1 : end])).splitlines()
    n_head = first.lineno - node.lineno
    return "\n".join(rows[:n_head]), "\n".join(rows[n_head:])


def stub(text: str, node: ast.FunctionDef, body: str = "...") -> str:
    """The function with its body replaced by ``body`` (signature and docstring kept)."""
    header, doc = header_and_docstring(text, node)
    inner = textwrap.indent(body.strip("\n"), "    ", lambda line: True)
    return "\n".join(x for x in (header, doc, inner) if x) + "\n"


def as_function(code: str, name: str, text: str, node: ast.FunctionDef) -> str:
    """The learner's answer as module-level code defining ``name``: a whole ``def`` as given
    (helpers and imports beside it allowed), or a bare body put under the source's signature.
    Raises ``CodeError`` when it does not parse."""
    code = textwrap.dedent((code or "").replace("\t", "    ")).strip("\n")
    if not code.strip():
        raise CodeError("No code was given.")
    try:
        tree = ast.parse(code)
    except SyntaxError as err:
        raise CodeError(f"Your code does not parse: {err.msg} (line {err.lineno}).") from None
    if any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name
           for n in tree.body):  # fmt: skip
        return code + "\n"
    whole = stub(text, node, body=code)
    try:
        ast.parse(whole)
    except SyntaxError as err:
        raise CodeError(f"Your code does not parse: {err.msg}.") from None
    return whole


def substitute(text: str, qualname: str, code: str) -> str:
    """``text`` (a module) with the ``def`` of ``qualname`` replaced by ``code`` (a whole
    ``def``, indented to where the original stood; its decorators kept)."""
    node = find_def(ast.parse(text), qualname)
    if node is None:
        raise CodeError(f"{qualname} is not in the module")
    lines = text.splitlines(keepends=True)
    indent = " " * node.col_offset
    new = textwrap.indent(code.rstrip("\n") + "\n", indent, lambda line: True)
    new = "\n".join(x if x.strip() else "" for x in new.split("\n"))
    return "".join(lines[: node.lineno - 1]) + new + "".join(lines[node.end_lineno :])


# -- the programs ------------------------------------------------------------------------------

_SETUP = """\
import builtins, importlib, json, os, sys
_d = os.path.abspath({folder!r})
for _p in getattr(builtins, "_tb_paths", []):
    while _p in sys.path:
        sys.path.remove(_p)
builtins._tb_paths = [_d]
sys.path.insert(0, _d)
for _k in [k for k in sys.modules if k.split(".")[0] in {tops!r}]:
    del sys.modules[_k]
importlib.invalidate_caches()

def _tb_show(value):
    try:
        return repr(value)[:{shown}]
    except Exception as e:
        return "<repr failed: %s>" % type(e).__name__

def _tb_eq(left, right, call):
    if not (left == right):
        print({case!r} + json.dumps({{"call": call, "expected": _tb_show(right),
                                     "got": _tb_show(left)}}))
        raise AssertionError(call)

def _tb_true(value, call):
    if not value:
        print({case!r} + json.dumps({{"call": call, "expected": "a true value",
                                     "got": _tb_show(value)}}))
        raise AssertionError(call)

builtins._tb_eq, builtins._tb_true = _tb_eq, _tb_true
"""

_EXAMPLE = """\
try:
    exec(compile({source!r}, "<example>", "single"), globals())
except Exception as _e:
    print({exc!r} + type(_e).__name__ + ": " + str(_e)[:300])
"""

_TEST = """\
try:
    importlib.import_module({module!r}).{function}()
    print({ok!r})
except Exception as _e:
    print({exc!r} + type(_e).__name__ + ": " + str(_e)[:300])
"""


class _Asserts(ast.NodeTransformer):
    """``assert a == b`` -> ``_tb_eq(a, b, "a == b")``; other asserts -> ``_tb_true``: a
    failing assertion then says what was called, what was expected and what came back."""

    def visit_Assert(self, node: ast.Assert):
        test = node.test
        call = ast.unparse(test)
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
            args = [test.left, test.comparators[0], ast.Constant(ast.unparse(test.left))]
            fn = "_tb_eq"
        else:
            args, fn = [test, ast.Constant(call)], "_tb_true"
        expr = ast.Expr(ast.Call(ast.Name(fn, ast.Load()), args, []))
        return ast.copy_location(expr, node)


def instrument_tests(text: str) -> str:
    """A test module whose assertions report their values (see ``_Asserts``)."""
    tree = _Asserts().visit(ast.parse(text))
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _tops(files: dict[str, str]) -> list[str]:
    return sorted({p.split("/")[0].removesuffix(".py") for p in files})


def _programs(suite: dict, folder: str) -> list[list[str]]:
    setup = _SETUP.format(
        folder=folder, tops=set(_tops(suite["files"])), shown=MAX_SHOWN, case=_CASE
    )
    out = []
    for check in suite["checks"]:
        cells = [setup]
        if check["kind"] == "doctest":
            cells.append(
                f"globals().update({{k: v for k, v in vars(importlib.import_module("
                f"{check['module']!r})).items() if not k.startswith('__')}})"
            )
            cells += [_EXAMPLE.format(source=c["source"] + "\n", exc=_EXC) for c in check["cases"]]
        else:
            cells.append(
                _TEST.format(module=check["module"], function=check["function"], ok=_OK, exc=_EXC)
            )
        out.append(cells)
    return out


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
        if _EXC in out:
            before, _, exc = out.partition(_EXC)
            got = exc.strip()
            expected_exc = want.strip().splitlines()[-1] if want.startswith("Traceback") else None
            ok = expected_exc is not None and doctest.OutputChecker().check_output(
                expected_exc + "\n", got + "\n", _flags(source) | doctest.IGNORE_EXCEPTION_DETAIL
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
        ok = _OK in cell.output
        for line in cell.output.split("\n"):
            if line.startswith(_CASE):
                detail = json.loads(line[len(_CASE) :])
                call, expected, got = detail["call"], detail["expected"], detail["got"]
        if not ok and not got:
            got = cell.output.partition(_EXC)[2].strip() or "it failed"
    return CaseResult(
        check=check["label"], call=call, expected=expected, got=got, passed=ok,
        scored=check.get("scored", True),
    )  # fmt: skip


def _results(suite: dict, results) -> Run:
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
        _programs(suite, "v0"), files=files, cell_seconds=CASE_SECONDS, total_seconds=seconds
    )
    if results and all(r.error == "timeout" for r in results):
        return _timed_out(suite)
    return _results(suite, results)


def _timed_out(suite: dict) -> Run:
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
            mine = _programs(suites[i], folder)
            spans.append((len(programs), len(programs) + len(mine)))
            programs += mine
        results = sandbox.run_programs(programs, files=files, cell_seconds=CASE_SECONDS)
        for (i, _), (a, b) in zip(chunk, spans, strict=True):
            runs.append(_results(suites[i], results[a:b]))
    out = []
    for n in range(len(suites)):
        source, stub_pass, stub_raise = runs[3 * n : 3 * n + 3]
        out.append(Verified(source, {"pass": stub_pass, "raise": stub_raise}))
    return out
