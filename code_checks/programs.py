"""The programs a sandbox worker runs for one suite: one per check, in cells.

Each program puts its variant's folder first on ``sys.path`` and forgets the modules of the
previous variant, then runs a docstring's examples one cell each, or one test function whose
assertions report their values. What a cell prints is read back by ``code_checks.results``
through the markers below.
"""

from __future__ import annotations

import ast

MAX_SHOWN = 160  # characters of a call, an expected or an actual value shown in feedback
# Markers a program prints before an exception, after a passing test, before a failing case.
EXC, OK, CASE = "\x1e__EXC__", "\x1e__OK__", "\x1e__CASE__"

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


def programs_for(suite: dict, folder: str) -> list[list[str]]:
    """One program (a list of cells) per check of ``suite``, its files under ``folder``."""
    setup = _SETUP.format(
        folder=folder, tops=set(_tops(suite["files"])), shown=MAX_SHOWN, case=CASE
    )
    out = []
    for check in suite["checks"]:
        cells = [setup]
        if check["kind"] == "doctest":
            cells.append(
                f"globals().update({{k: v for k, v in vars(importlib.import_module("
                f"{check['module']!r})).items() if not k.startswith('__')}})"
            )
            cells += [_EXAMPLE.format(source=c["source"] + "\n", exc=EXC) for c in check["cases"]]
        else:
            cells.append(
                _TEST.format(module=check["module"], function=check["function"], ok=OK, exc=EXC)
            )
        out.append(cells)
    return out
