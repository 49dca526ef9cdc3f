"""Write the code: the learner writes a small function, checked by the source's own examples.

For each function or method of a Python source, the prompt shows its signature and docstring
(the body hidden) and what the module defines that the body uses; the learner writes the body.
It is checked (``teachback.code_checks``) by running, in the sandbox, the docstring examples
that call it anywhere in the sources (its own, its class's, its neighbours') and the test
functions that call it, when test files are among the sources (``--include 'tests/**'``).

Kept only when, run in the sandbox at ingest, every check passes with the source's own body and
at least one fails with an empty body (``pass``, and ``raise NotImplementedError``); checks that
pass either way are dropped, and cases that pass with ``pass`` do not count towards the score.
Also rejected, with the reason recorded: bodies of one line (nothing to write) or over 25 lines,
functions with no example or test calling them, modules that do not import in the sandbox
(missing packages, data), nested functions. With no sandbox on the machine nothing is kept
(the reason says why): an unverified check could mark a right answer wrong.

``data``: ``symbol``, ``stub`` (what the editor starts with), ``suite`` (for
``code_checks.run``), ``checks`` (a line per check), ``cases`` (how many), ``run``
("verified") or ``problem`` (why it cannot be an exercise).

Reader (self-check): the verification above; it answers with the source's own code.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import PurePosixPath

from teachback import code_checks, sandbox
from teachback.ingest.exercises.context import ConceptView, difficulty
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register

MIN_LINES, MAX_LINES = 2, 25
MAX_CHECKS = 6
# Functions verified per set of sources (3 sandbox runs each): bounds the time a large package
# adds to an ingest; the rest are recorded as not verified.
MAX_VERIFIED = 60
MAX_FILES_CHARS = 300_000
_TEST_DIRS = {"tests", "test", "testing"}
_TEST_FILE = re.compile(r"^(?:test_.*|.*_test)\.py$")
PROMPT = (
    "Write the body of {what_def} (in `{path}`) so that it does what its docstring says. "
    "Your code is checked by running the source's own {what} against it.\n\n"
)


def _fence(code: str) -> str:
    return "```python\n" + code.replace("```", "`\u200b``").rstrip("\n") + "\n```"


# -- the source as a package ------------------------------------------------------------------


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


def _rel_path(module: str, doc_path: str) -> str:
    base = module.replace(".", "/")
    return f"{base}/__init__.py" if PurePosixPath(doc_path).name == "__init__.py" else f"{base}.py"


def _is_test(doc_path: str) -> bool:
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


class _Package:
    """The sources' Python files laid out as importable modules."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.module_of = _modules(corpus)
        self.by_module: dict[str, int] = {}
        for d, m in self.module_of.items():
            self.by_module.setdefault(m, d)

    def path(self, d: int) -> str:
        return _rel_path(self.module_of[d], self.corpus.documents[d].path)

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


# -- candidates ----------------------------------------------------------------------------------


def _targets(tree: ast.Module):
    """(qualname, node, class node or None) for top-level functions and methods."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node, None
        elif isinstance(node, ast.ClassDef):
            for sub in node.body:
                if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{node.name}.{sub.name}", sub, node


def _body_lines(text: str, node: ast.FunctionDef) -> int:
    """Lines of code in the body: no docstring, blank lines or comments."""
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if not body:
        return 0
    lines = text.splitlines()[body[0].lineno - 1 : body[-1].end_lineno]
    return sum(1 for x in lines if x.strip() and not x.strip().startswith("#"))


def _calls(code: str, name: str) -> bool:
    return bool(re.search(rf"(?<![\w]){re.escape(name)}\s*\(", code)) or (
        bool(re.search(rf"\.{re.escape(name)}\b", code))
    )


def _doctest_checks(corpus: Corpus, package: _Package, name: str) -> list[dict]:
    """Docstrings in the sources whose examples call ``name``: one check each."""
    out = []
    for u in corpus.code_units:
        if u.kind == "cell" or not u.doctests or u.doc not in package.module_of:
            continue
        if _is_test(corpus.documents[u.doc].path):
            continue
        sources = [ex.get("source", "") for ex in u.doctests]
        if not any(_calls(s, name) for s in sources):
            continue
        module = package.module_of[u.doc]
        owner = u.symbol[len(module) + 1 :] if u.symbol != module else ""
        label = (
            f"the examples in the docstring of `{owner}`"
            if owner
            else f"the examples in the docstring of the module `{module}`"
        )
        cases = [{"source": ex["source"], "want": ex.get("want", "")} for ex in u.doctests]
        if any("+SKIP" in c["source"] for c in cases):
            continue
        out.append(
            {"kind": "doctest", "label": label, "module": module, "cases": cases, "doc": u.doc}
        )
    return out


def _test_checks(corpus: Corpus, package: _Package, name: str) -> list[dict]:
    """Test functions (no arguments) in test files among the sources that call ``name``."""
    out = []
    for d, module in package.module_of.items():
        doc = corpus.documents[d]
        if not _is_test(doc.path):
            continue
        try:
            tree = ast.parse(doc.text)
        except SyntaxError:
            continue
        for node in tree.body:
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test")):
                continue
            if node.args.args or node.args.posonlyargs or node.args.kwonlyargs:
                continue  # pytest fixtures or parameters: not run here
            code = ast.get_source_segment(doc.text, node) or ""
            if _calls(code, name):
                label = f"the test `{node.name}` in `{package.path(d)}`"
                out.append(
                    {"kind": "test", "label": label, "module": module, "function": node.name,
                     "doc": d}
                )  # fmt: skip
    return out


def _candidate(corpus: Corpus, package: _Package, d: int, qualname: str, node) -> dict:
    """A suite for one function, or ``{"problem": why}``."""
    doc = corpus.documents[d]
    name = qualname.rsplit(".", 1)[-1]
    lines = _body_lines(doc.text, node)
    if node.body[0].lineno == node.lineno:
        return {"problem": "its body is on the line of its signature"}
    if lines < MIN_LINES:
        return {"problem": f"its body is {lines} line: nothing worth writing"}
    if lines > MAX_LINES:
        return {"problem": f"its body is {lines} lines: too long to write as an exercise"}
    checks = (_doctest_checks(corpus, package, name) + _test_checks(corpus, package, name))[
        :MAX_CHECKS
    ]
    if not checks:
        return {"problem": "no doctest or test in the sources calls it"}
    files = package.files([d, *(c["doc"] for c in checks)])
    for c in checks:
        if c["kind"] == "test":
            path = package.path(c["doc"])
            files[path] = code_checks.instrument_tests(files[path])
    if sum(map(len, files.values())) > MAX_FILES_CHARS:
        return {"problem": "its module and what it imports are too large to run for a check"}
    suite = {
        "files": files,
        "target": {"path": package.path(d), "qualname": qualname},
        "checks": [{k: v for k, v in c.items() if k != "doc"} for c in checks],
    }
    return {"suite": suite}


def _keep(suite: dict, verified: code_checks.Verified) -> tuple[dict | None, str]:
    """The suite with only the checks that test the function, or None and why not."""
    source, stubs = verified.source, verified.stubs
    by_check: dict[str, list[int]] = {}
    for i, case in enumerate(source.cases):
        by_check.setdefault(case.check, []).append(i)
    kept = []
    for check in suite["checks"]:
        idx = by_check.get(check["label"], [])
        if not idx or not all(source.cases[i].passed for i in idx):
            continue  # fails with the source's own body: not a check of it
        failing = {k: [i for i in idx if not run.cases[i].passed] for k, run in stubs.items()}
        if not failing["pass"] and not failing["raise"]:
            continue  # passes with an empty body: does not test it
        check = dict(check)
        if check["kind"] == "doctest":
            fails_pass = {i - idx[0] for i in failing["pass"]}
            check["cases"] = [
                {**c, "scored": j in fails_pass} for j, c in enumerate(check["cases"])
            ]
        else:
            check["scored"] = bool(failing["pass"])
        kept.append(check)
    if not kept:
        first = source.first_failure
        if (
            first is not None
            and not source.passed
            and all(not c.passed for c in source.cases if c.check == first.check)
        ):
            return None, f"its module does not run in the sandbox: {first.got[:160]}"
        if first is not None:
            return None, (
                f"its checks fail with the source's own body ({first.call[:60]!r} gave "
                f"{first.got[:80]!r})"
            )
        return None, "every check passes with an empty body: none of them tests it"
    scored = any(c.get("scored") for c in kept if c["kind"] == "test") or any(
        case["scored"] for c in kept if c["kind"] == "doctest" for case in c["cases"]
    )
    if not scored:
        return None, "its checks pass with a body of `pass`: an empty answer would score"
    return {**suite, "checks": kept}, ""


def _plan(corpus: Corpus) -> dict[tuple[int, str], dict]:
    """Every function of the sources' Python files: ``{(doc, qualname): candidate}``, each
    verified in the sandbox (one worker per batch of functions). Cached on the corpus."""
    cached = corpus.__dict__.get("_write_code_plan")
    if cached is not None:
        return cached
    plan = _candidates(corpus)
    todo = [item for item in plan.values() if "suite" in item]
    for item in todo[MAX_VERIFIED:]:
        item["problem"] = f"not verified: only {MAX_VERIFIED} functions per set of sources are run"
    _verify(todo[:MAX_VERIFIED])
    corpus.__dict__["_write_code_plan"] = plan
    return plan


def _candidates(corpus: Corpus) -> dict[tuple[int, str], dict]:
    """A candidate (a suite or a problem) for every top-level function and method of the
    sources' Python files that are not tests."""
    package = _Package(corpus)
    plan: dict[tuple[int, str], dict] = {}
    for d, module in package.module_of.items():
        doc = corpus.documents[d]
        if _is_test(doc.path):
            continue
        try:
            tree = ast.parse(doc.text)
        except SyntaxError:
            continue
        for qualname, node, cls in _targets(tree):
            item = _candidate(corpus, package, d, qualname, node)
            item.update(doc=d, qualname=qualname, module=module, node=node, cls=cls, tree=tree)
            plan[(d, f"{module}.{qualname}")] = item
    return plan


def _verify(todo: list[dict]) -> None:
    """Run the candidates' checks in the sandbox, keeping the checks that test each function
    (or recording why none does); without a sandbox, each records why it was not run."""
    if not todo:
        return
    why = sandbox.available()
    if why:
        for item in todo:
            item["problem"] = f"no sandbox to run its checks here ({why})"
        return
    for item, verified in zip(todo, code_checks.verify([i["suite"] for i in todo]), strict=True):
        suite, problem = _keep(item["suite"], verified)
        item["suite"], item["problem"] = suite, problem


# -- the prompt -------------------------------------------------------------------------------


def _summary(node) -> str:
    doc = ast.get_docstring(node) or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ")[:100]


def _segment(text: str, node) -> str:
    """A definition's lines as written (decorators included), dedented."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return textwrap.dedent("\n".join(text.splitlines()[first - 1 : node.end_lineno]))


def _signature_only(text: str, node) -> str:
    header, _ = code_checks.header_and_docstring(text, node)
    header = "".join(f"@{ast.unparse(d)}\n" for d in node.decorator_list) + header
    summary = _summary(node)
    return header + ("\n    " + f'"""{summary}"""' if summary else "") + "\n    ..."


def _context(text: str, tree: ast.Module, node, cls, imported=lambda module, name: "") -> str:
    """What the body uses from its module (constants, functions, imports) and, for a method,
    its class (``__init__``, the other methods it calls), shown as code. A function imported
    from another module of the sources is shown by its signature (``imported``)."""
    used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    shown = []
    for stmt in tree.body:
        if stmt is not cls and stmt is not node:
            shown += _module_context(text, stmt, used, imported)
    if cls is not None:
        shown.append(_class_context(text, node, cls))
    return "\n\n".join(s for s in shown if s)


def _module_context(text: str, stmt, used: set[str], imported) -> list[str]:
    """How a module-level statement is shown when the body uses what it binds: an import as
    written (with the signature of a function it brings from the sources), an assignment
    (its first line when long), a function by its signature, a class by its docstring."""
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        bound = {(a.asname or a.name).split(".")[0] for a in stmt.names}
        if not bound & used:
            return []
        out = [ast.get_source_segment(text, stmt) or ""]
        if isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            out += [
                imported(stmt.module, a.name) for a in stmt.names if (a.asname or a.name) in used
            ]
        return out
    if isinstance(stmt, ast.Assign | ast.AnnAssign):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        if not {t.id for t in targets if isinstance(t, ast.Name)} & used:
            return []
        seg = ast.get_source_segment(text, stmt) or ""
        return [seg if seg.count("\n") < 3 else seg.split("\n")[0] + " ..."]
    if isinstance(stmt, ast.ClassDef) and stmt.name in used:
        summary = _summary(stmt)
        doc = f'\n    """{summary}"""' if summary else ""
        return [f"class {stmt.name}:{doc}\n    ..."]
    if isinstance(stmt, ast.FunctionDef) and stmt.name in used:
        return [_signature_only(text, stmt)]
    return []


def _class_context(text: str, node, cls: ast.ClassDef) -> str:
    """A method's class as it needs it: ``__init__`` in full, the other methods it calls on
    ``self`` by their signatures."""
    attrs = {
        n.attr
        for n in ast.walk(node)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"
    }
    members = []
    for sub in cls.body:
        if sub is node or not isinstance(sub, ast.FunctionDef):
            continue
        if sub.name == "__init__":
            members.append(_segment(text, sub))
        elif sub.name in attrs:
            members.append(_signature_only(text, sub).strip("\n"))
    body = "\n\n".join(textwrap.indent(m, "    ") for m in members)
    return f"class {cls.name}:" + ("\n" + body if body else "\n    ...")


def _doctest_lines(case: dict) -> str:
    src = case["source"].splitlines()
    lines = [(">>> " if i == 0 else "... ") + x for i, x in enumerate(src)]
    return "\n".join(lines + ([case["want"]] if case["want"] else []))


def _imported_signature(corpus: Corpus):
    """``(module, name) -> "def name(...): ..."`` for functions and classes of the sources."""
    package = _Package(corpus)

    def signature(module: str, name: str) -> str:
        d = package.by_module.get(module)
        if d is None:
            return ""
        text = corpus.documents[d].text
        try:
            tree = ast.parse(text)
        except SyntaxError:
            return ""
        for stmt in tree.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name == name:
                return f"# in {module}\n" + _signature_only(text, stmt)
        return ""

    return signature


def _what(checks: list[dict]) -> str:
    doctests = sum(1 for c in checks if c["kind"] == "doctest")
    tests = len(checks) - doctests
    parts = []
    if doctests:
        parts.append("docstring examples")
    if tests:
        parts.append("test" if tests == 1 else "tests")
    return " and ".join(parts)


def generate(view: ConceptView):
    plan = _plan(view.corpus)
    found = []
    for unit in view.code_units:
        if unit.kind in ("function", "method"):
            items = [plan.get((unit.doc, unit.symbol))]
        elif unit.kind == "class":  # a class is learnt by writing its methods
            prefix = unit.symbol + "."
            items = [v for (d, sym), v in plan.items() if d == unit.doc and sym.startswith(prefix)]
        else:
            continue
        found += [item for item in items if item is not None and item not in found]
    found.sort(key=lambda item: bool(item.get("problem")))  # the usable ones first
    return [_exercise(view, item) for item in found]


def _exercise(view: ConceptView, item: dict):
    corpus = view.corpus
    doc = corpus.documents[item["doc"]]
    node, cls, tree = item["node"], item["cls"], item["tree"]
    name = item["qualname"]
    path = _rel_path(item["module"], doc.path)
    suite = item.get("suite")
    checks = suite["checks"] if suite else []
    lines = doc.text.splitlines(keepends=True)
    start = sum(map(len, lines[: node.lineno - 1])) + node.col_offset
    end = sum(map(len, lines[: node.end_lineno]))
    source = textwrap.dedent(doc.text[start - node.col_offset : end]).rstrip("\n")
    starter = code_checks.stub(doc.text, node)
    context = _context(doc.text, tree, node, cls, _imported_signature(corpus))
    short = name.rsplit(".", 1)[-1]
    what_def = f"the method `{short}` of `{cls.name}`" if cls is not None else f"`{short}`"
    prompt = PROMPT.format(what_def=what_def, path=path, what=_what(checks) or "examples")
    if context:
        prompt += "Already defined, for you to use:\n\n" + _fence(context) + "\n\n"
    prompt += f"Complete this {'method' if cls is not None else 'function'}:\n\n" + _fence(starter)
    others = [c for c in checks if c["kind"] == "doctest" and not c["label"].endswith(f"`{name}`")]
    for c in others[:2]:  # examples that run but are not in its own docstring: shown too
        block = "\n".join(_doctest_lines(case) for case in c["cases"])
        prompt += f"\n\nIt must also pass {c['label']}:\n\n" + _fence(block)
    cases = sum(len(c["cases"]) if c["kind"] == "doctest" else 1 for c in checks)
    data = {
        "symbol": f"{item['module']}.{name}",
        "stub": starter,
        "checks": [c["label"] for c in checks],
        "cases": cases,
        "language": "python",
    }
    if suite and not item.get("problem"):
        data.update(suite=suite, run="verified")
    else:
        data["problem"] = item.get("problem") or "not verified"
    return view.new(
        "write_code",
        prompt,
        source,
        explanation="The source's own implementation:\n\n" + _fence(source),
        citations=[corpus.span(item["doc"], start, end)],
        difficulty=difficulty(
            "write_code",
            words_count=len(source.split()),
            extra=0.05 + 0.012 * _body_lines(doc.text, node),  # longer bodies are harder
        ),
        data=data,
    )


def solve(exercise, corpus: Corpus) -> Solution:
    data = exercise.data
    if data.get("problem") or not data.get("suite"):
        return Solution(answer=None, note=data.get("problem") or "no checks")
    cite = list(exercise.citations)
    n = len(data.get("checks", []))
    return Solution(
        answer=exercise.answer,
        support=1.0,
        supporting=cite,
        note=(
            f"run in the sandbox: the source's own body passes {data.get('cases')} case(s) of "
            f"{n} check(s); an empty body fails them"
        ),
    )


def reveals(exercise) -> str:
    """The prompt shows the body (e.g. an identical function given as context)."""
    body = [x.strip() for x in str(exercise.answer).splitlines()[1:] if len(x.strip()) > 12]
    shown = {x.strip() for x in exercise.prompt.splitlines()}
    code = [x for x in body if not x.startswith(("#", '"""', "'''", ">>>"))]
    if len(code) >= 2 and all(x in shown for x in code):
        return "the prompt shows the function's body"
    return ""


register(
    ExerciseKindPlugin(
        name="write_code",
        kind="write_code",
        generate=generate,
        solve=solve,
        matches=lambda answered, key: str(answered) == str(key),
        reveals=reveals,
        min_support=0.5,
        order=7,
    )
)
