"""What a code concept is and where it is used, said in plain sentences read from its code.

A class or function the material never writes about in prose still has what a teacher would
teach from: its definition (fields, parts, methods, what ``forward`` does) and the places that
build or call it. ``describe`` says that in a few sentences, each read from the code's syntax
tree and nothing beyond it::

    `Block` is a class in `model.py`, a subclass of `nn.Module`. Its `__init__` builds four
    parts: `ln_1` (a `LayerNorm`), `attn` (a `CausalSelfAttention`), `ln_2` (a `LayerNorm`)
    and `mlp` (an `MLP`). Its `forward(x)` adds `self.attn(self.ln_1(x))` to `x`, then adds
    `self.mlp(self.ln_2(x))` to `x`, and returns `x`. `GPT.__init__` (`model.py`) builds
    `config.n_layer` of them, in a list assigned to `h`.

``uses_of`` finds the places (Python only; a file that does not parse gives none). Pure
functions over source text.
"""

from __future__ import annotations

import ast
import builtins
import functools
import textwrap
from dataclasses import dataclass

MAX_LISTED = 8  # fields, parts or methods named one by one
MAX_STEPS = 6  # a forward longer than this is described by what it takes and returns
MAX_USES = 3
MAX_CALLS = 5
MAX_INLINE = 60  # characters of code quoted inline; a longer expression is not quoted
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class Use:
    """One place the code builds or calls a concept."""

    file: str
    where: str  # "GPT.__init__", or "" at a script's top level
    assigned: str = ""  # the name or attribute the result is stored in
    count: str = ""  # "config.n_layer" when built once per item of range(config.n_layer)
    container: str = ""  # "a list" / "a dict" when built inside a comprehension
    condition: str = ""  # the test of the ``if`` a top-level call sits under
    passed_to: str = ""  # the call the stored result is then given to
    # the arms of ``if``/``else`` and ``try``/``except`` it sits in, as (line of the
    # statement, arm): calls in branches may not all run, so they are not counted as "two
    # times"
    arms: tuple[tuple[int, str], ...] = ()


def describe(short: str, source: str, file: str, uses: list[Use]) -> str:
    """Plain sentences saying what the class or function whose source is ``source`` is (in
    ``file``) and where it is used, or "" when its code cannot be read or says nothing beyond
    its kind (the place that uses it is shown as code already)."""
    node = _definition(source)
    if node is None:
        return ""
    if isinstance(node, ast.ClassDef):
        said = _class_sentences(short, node, file)
        verb = "builds"
    else:
        said = _function_sentences(short, node, file)
        verb = "calls"
    if len(said) < 2 and (verb == "builds" or said[0].endswith("takes no arguments.")):
        return ""  # "`Corner` is a class in `shapes.py`." and no more
    said += _use_sentences(uses[:MAX_USES], verb)
    return " ".join(said)


def _definition(source: str) -> ast.ClassDef | ast.FunctionDef | None:
    try:
        tree = ast.parse(textwrap.dedent(source))
    except (SyntaxError, ValueError):
        return None
    return next(
        (n for n in tree.body if isinstance(n, ast.ClassDef | ast.FunctionDef)),
        None,
    )


# --- classes -------------------------------------------------------------------------------


def _class_sentences(short: str, node: ast.ClassDef, file: str) -> list[str]:
    bases = [ast.unparse(b) for b in node.bases if ast.unparse(b) != "object"]
    if any(_decorator_name(d) == "dataclass" for d in node.decorator_list):
        return _dataclass_sentences(short, node, file)
    opening = f"`{short}` is a class in `{file}`"
    if bases:
        opening += f", a subclass of {_codes(bases)}"
    said = [opening + "."]
    parts = _parts(node)
    if parts:
        listed = [
            f"`{attr}` ({_article(kind)} `{kind}`" + (f", when `{when}`)" if when else ")")
            for attr, kind, when in parts
        ]
        said.append(f"Its `__init__` builds {_count(len(parts), 'part')}: {_listed(listed)}.")
    methods = [f for f in node.body if isinstance(f, ast.FunctionDef)]
    forward = next((f for f in methods if f.name in ("forward", "__call__")), None)
    if forward is not None:
        said.append(_forward_sentence(forward))
    others = [f.name for f in methods if not f.name.startswith("_") and f is not forward]
    if others:
        noun = "method" if len(others) == 1 else "methods"
        also = " also" if forward is not None else ""
        said.append(f"It{also} has the {noun} {_codes(others)}.")
    return said


def _dataclass_sentences(short: str, node: ast.ClassDef, file: str) -> list[str]:
    fields = [
        s for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
    ]
    said = [f"`{short}` is a dataclass in `{file}`."]
    if not fields:
        return said
    listed = [
        f"`{f.target.id}` ({_inline(f.value)})" if f.value is not None else f"`{f.target.id}`"
        for f in fields
    ]
    defaults = all(f.value is not None for f in fields)
    tail = ", each with its default" if defaults else ""
    said.append(f"It holds {_count(len(fields), 'field')}{tail}: {_listed(listed)}.")
    return said


def _parts(node: ast.ClassDef) -> list[tuple[str, str, str]]:
    """``self.x = SomeClass(...)`` in ``__init__``: (x, SomeClass, the test it is built
    under, if any)."""
    init = next(
        (f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None
    )
    if init is None:
        return []
    parts = []
    for stmt in ast.walk(init):
        if not isinstance(stmt, ast.Assign):
            continue
        built, when = stmt.value, ""
        if isinstance(built, ast.IfExp):
            # "self.bias = nn.Parameter(...) if bias else None": a part only when asked for
            built, when = built.body, _inline(built.test)
        if not isinstance(built, ast.Call):
            continue
        kind = ast.unparse(built.func)
        if not kind.rsplit(".", 1)[-1][:1].isupper():
            continue  # a value computed by a function, not a part built from a class
        for target in stmt.targets:
            if _is_self_attr(target):
                parts.append((target.attr, kind, when))
    return parts


def _forward_sentence(f: ast.FunctionDef) -> str:
    """What ``forward`` does, step by step when it is a few steps on one value (``x = x +
    ...``, ``x = self.part(x)``), else what it takes and gives back."""
    args = _parameters(f)
    head = f"Its `{f.name}({', '.join(a.strip('`') for a in args)})`"
    steps = _steps(f)
    if steps:
        return f"{head} {_listed(steps, then=True)}."
    returned = _returned(f)
    takes = f"takes {_listed(args)}" if args else "takes no arguments"
    gives = f" and returns {returned}" if returned else ""
    return f"Its `{f.name}` {takes}{gives}."


def _steps(f: ast.FunctionDef) -> list[str]:
    body = _without_docstring(f.body)
    if not body or len(body) > MAX_STEPS:
        return []
    steps: list[str] = []
    through: list[str] = []
    value = ""
    for stmt in body:
        step = _step(stmt)
        if step is None:
            return []
        kind, name, what = step
        if kind == "through":
            value = name
            through.append(what)
            continue
        if through:
            steps.append(f"passes `{value}` through {_codes(through)} in turn")
            through = []
        steps.append(f"adds `{what}` to `{name}`" if kind == "add" else f"returns `{what}`")
    return steps if steps and not through else []


def _step(stmt: ast.stmt) -> tuple[str, str, str] | None:
    """One step of a forward on one value: ``("add", "x", "self.attn(x)")`` for ``x = x +
    self.attn(x)``, ``("through", "x", "c_fc")`` for ``x = self.c_fc(x)``, ``("return", "",
    "x")``; None for anything else."""
    if isinstance(stmt, ast.Return):
        returned = _inline(stmt.value)
        return ("return", "", returned) if returned else None
    if not (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
    ):
        return None
    value, rhs = stmt.targets[0].id, stmt.value
    if isinstance(rhs, ast.BinOp) and isinstance(rhs.op, ast.Add) and _is_name(rhs.left, value):
        added = _inline(rhs.right)
        return ("add", value, added) if added else None
    if (
        isinstance(rhs, ast.Call)
        and _is_self_attr(rhs.func)
        and len(rhs.args) == 1
        and _is_name(rhs.args[0], value)
    ):
        return ("through", value, rhs.func.attr)
    return None


def _returned(f: ast.FunctionDef) -> str:
    returns = [s for s in _own_nodes(f.body) if isinstance(s, ast.Return)]
    if len(returns) != 1 or returns[0] is not f.body[-1] or returns[0].value is None:
        # several ways out, or one under a branch with the end of the body (None) as the
        # other: what it gives back depends on the path
        return ""
    value = returns[0].value
    items = value.elts if isinstance(value, ast.Tuple) else [value]
    if not all(isinstance(i, ast.Name) for i in items):
        return ""
    return _codes([i.id for i in items])


# --- functions -----------------------------------------------------------------------------


def _function_sentences(short: str, f: ast.FunctionDef, file: str) -> list[str]:
    decorators = [f"`@{ast.unparse(d)}`" for d in f.decorator_list]
    opening = f"`{short}` is a function in `{file}`"
    if decorators:
        opening += f", decorated with {_listed(decorators)},"
    args = _parameters(f)
    opening += f" that takes {_listed(args)}" if args else " that takes no arguments"
    returned = _returned(f)
    said = [opening + (f" and returns {returned}." if returned else ".")]
    flow = _Flow(_parameter_names(f) | _local_names(f))
    flow.block(_without_docstring(f.body), sure=True, loop=None)
    return said + flow.sentences()


def _parameters(f: ast.FunctionDef) -> list[str]:
    """Every parameter as a caller passes it: ``a``, ``*iterables``, ``key``, ``**options``."""
    a = f.args
    named = [p.arg for p in a.posonlyargs + a.args if p.arg not in ("self", "cls")]
    listed = [f"`{n}`" for n in named]
    if a.vararg:
        listed.append(f"`*{a.vararg.arg}`")
    listed += [f"`{p.arg}`" for p in a.kwonlyargs]
    if a.kwarg:
        listed.append(f"`**{a.kwarg.arg}`")
    return listed


def _parameter_names(f: ast.FunctionDef) -> set[str]:
    a = f.args
    names = {p.arg for p in a.posonlyargs + a.args + a.kwonlyargs}
    names |= {p.arg for p in (a.vararg, a.kwarg) if p is not None}
    return names


def _local_names(f: ast.FunctionDef) -> set[str]:
    """Names ``f`` binds itself: a call through one is a call of a value it made or was
    given, not of a function the reader can look up."""
    names = set()
    for n in _own_nodes(f.body):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            names.add(n.id)
        elif isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(n.name)
        elif isinstance(n, ast.alias):
            names.add((n.asname or n.name).split(".", 1)[0])
    return names


def _own_nodes(body: list[ast.stmt]):
    """Every node of ``body`` that is ``f``'s own code: a nested function, class or lambda is
    entered for its name only."""
    todo = list(reversed(body))
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        todo.extend(reversed(list(ast.iter_child_nodes(node))))


class _Flow:
    """What a function's body does on every path, and what it does only on some: the calls
    and ``raise``s it makes for sure, the loops it always enters (with the calls each turn
    makes for sure) and the calls that depend on a branch. A call through a parameter or a
    local value is left out, and so is a builtin."""

    def __init__(self, local: set[str]) -> None:
        self.local = local
        self.sure: list[str] = []
        self.maybe: list[str] = []
        self.raised: list[tuple[str, bool]] = []
        # (the loop's "`x` in `xs`", the calls each turn makes for sure, whether it sits
        # inside the loop before it)
        self.loops: list[tuple[str, list[str], bool]] = []

    def block(self, body: list[ast.stmt], *, sure: bool, loop: list[str] | None) -> None:
        for stmt in body:
            self.statement(stmt, sure=sure, loop=loop)
            if _may_leave(stmt):
                sure = False  # what follows an early return, raise or break may not run

    def statement(self, stmt: ast.stmt, *, sure: bool, loop: list[str] | None) -> None:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return
        for kinds, how in self._KINDS:
            if isinstance(stmt, kinds):
                how(self, stmt, sure, loop)
                return
        for child in ast.iter_child_nodes(stmt):
            self.expression(child, sure=sure, loop=loop)

    def _if(self, stmt: ast.If, sure: bool, loop: list[str] | None) -> None:
        self.expression(stmt.test, sure=sure, loop=loop)
        both = _Flow(self.local), _Flow(self.local)
        both[0].block(stmt.body, sure=True, loop=None)
        both[1].block(stmt.orelse, sure=True, loop=None)
        for name in both[0].sure:
            # called in the ``if`` arm and the ``else`` arm alike: called either way
            in_both = name in both[1].sure
            self._call(name, sure=sure and in_both, loop=loop if in_both else None)
        for arm in both:
            for name in arm.sure + arm.maybe + [n for _, each, _ in arm.loops for n in each]:
                self._call(name, sure=False, loop=None)
            for name, _ in arm.raised:
                self._raise(name, sure=False)

    def _for(self, stmt: ast.For, sure: bool, loop: list[str] | None) -> None:
        self.expression(stmt.iter, sure=sure, loop=loop)
        target, over = _inline(stmt.target), _inline(stmt.iter)
        if sure and target and over:
            clause = f"`{target}` in `{over}`"
            each: list[str] = []
            if clause not in [c for c, _, _ in self.loops]:
                self.loops.append((clause, each, loop is not None))
            self.block(stmt.body, sure=True, loop=each)
        else:
            self.block(stmt.body, sure=False, loop=None)
        self.block(stmt.orelse, sure=False, loop=None)

    def _while(self, stmt: ast.While, sure: bool, loop: list[str] | None) -> None:
        self.expression(stmt.test, sure=sure, loop=loop)
        self.block(stmt.body + stmt.orelse, sure=False, loop=None)

    def _try(self, stmt: ast.Try, sure: bool, loop: list[str] | None) -> None:
        self.block(stmt.body, sure=sure, loop=loop)
        for handler in stmt.handlers:
            self.block(handler.body, sure=False, loop=None)
        self.block(stmt.orelse, sure=False, loop=None)
        self.block(stmt.finalbody, sure=sure, loop=loop)

    def _with(self, stmt: ast.With, sure: bool, loop: list[str] | None) -> None:
        for item in stmt.items:
            self.expression(item.context_expr, sure=sure, loop=loop)
        self.block(stmt.body, sure=sure, loop=loop)

    def _match(self, stmt: ast.Match, sure: bool, loop: list[str] | None) -> None:
        self.expression(stmt.subject, sure=sure, loop=loop)
        for case in stmt.match_cases:
            self.block(case.body, sure=False, loop=None)

    def _raise_statement(self, stmt: ast.Raise, sure: bool, loop: list[str] | None) -> None:
        """``raise ValueError(...)`` raises a class; it is not a call of a function."""
        if stmt.exc is None:
            return
        raised = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        if isinstance(raised, ast.Name | ast.Attribute):
            self._raise(ast.unparse(raised), sure=sure and loop is None)
        if isinstance(stmt.exc, ast.Call):
            for arg in [*stmt.exc.args, *stmt.exc.keywords]:
                self.expression(arg, sure=sure, loop=loop)

    _KINDS = (
        (ast.If, _if),
        (ast.For | ast.AsyncFor, _for),
        (ast.While, _while),
        (ast.Try | ast.TryStar, _try),
        (ast.With | ast.AsyncWith, _with),
        (ast.Match, _match),
        (ast.Raise, _raise_statement),
    )

    def expression(self, node: ast.AST, *, sure: bool, loop: list[str] | None) -> None:
        if isinstance(node, ast.Lambda | ast.stmt):
            return
        if isinstance(node, ast.IfExp):
            self.expression(node.test, sure=sure, loop=loop)
            for arm in (node.body, node.orelse):
                self.expression(arm, sure=False, loop=None)
            return
        if isinstance(node, ast.BoolOp):
            self.expression(node.values[0], sure=sure, loop=loop)
            for later in node.values[1:]:
                self.expression(later, sure=False, loop=None)  # short-circuited
            return
        if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            self._comprehension(node, sure=sure, loop=loop)
            return
        if isinstance(node, ast.Call):
            self._call(_inline(node.func), sure=sure, loop=loop, root=_root(node.func))
        for child in ast.iter_child_nodes(node):
            self.expression(child, sure=sure, loop=loop)

    def _comprehension(self, node: ast.expr, *, sure: bool, loop: list[str] | None) -> None:
        """Only the first iterable is sure to be evaluated; the rest runs once per item."""
        first = node.generators[0]
        self.expression(first.iter, sure=sure, loop=loop)
        for child in ast.iter_child_nodes(node):
            if child is not first:
                self.expression(child, sure=False, loop=None)
        for cond in first.ifs:
            self.expression(cond, sure=False, loop=None)

    def _call(self, name: str, *, sure: bool, loop: list[str] | None, root: str = "") -> None:
        if not name or name in _BUILTINS or (root or name.split(".", 1)[0]) in self.local:
            return
        if sure and loop is not None:
            if name not in loop:
                loop.append(name)
        elif sure:
            if name not in self.sure:
                self.sure.append(name)
        elif name not in self.maybe:
            self.maybe.append(name)

    def _raise(self, name: str, *, sure: bool) -> None:
        if (name, sure) not in self.raised:
            self.raised.append((name, sure))

    def sentences(self) -> list[str]:
        said = []
        sure = self.sure[:MAX_CALLS]
        if sure:
            said.append(f"It calls {_codes(sure)}.")
        outer = 0
        for clause, each, inner in self.loops:
            outer += not inner
            if outer > 2:
                break
            calling = [n for n in each if n not in sure][:MAX_CALLS]
            clause += f", calling {_codes(calling)}" if calling else ""
            if inner and said and said[-1].startswith("It loops over"):
                said[-1] = said[-1][:-1] + f", and within that over {clause}."
            elif not inner:
                said.append(f"It loops over {clause}.")
        told = set(sure) | {n for _, each, _ in self.loops for n in each}
        maybe = [n for n in self.maybe if n not in told][:MAX_CALLS]
        if maybe:
            also = " also" if told else ""
            said.append(f"Depending on the path it takes, it{also} calls {_codes(maybe)}.")
        always = [n for n, s in self.raised if s]
        sometimes = [n for n, s in self.raised if not s and n not in always]
        if always:
            said.append(f"It raises {_codes(always)}.")
        elif sometimes:
            said.append(f"It can raise {_codes(sometimes)}.")
        return said


def _root(func: ast.expr) -> str:
    """The name a callee is reached from: ``data`` for ``data[i:j].astype``."""
    while isinstance(func, ast.Attribute | ast.Subscript | ast.Call):
        func = func.func if isinstance(func, ast.Call) else func.value
    return func.id if isinstance(func, ast.Name) else ""


def _may_leave(stmt: ast.stmt) -> bool:
    """Whether ``stmt`` can end the block early, so that what follows it may not run."""
    return any(
        isinstance(n, ast.Return | ast.Raise | ast.Break | ast.Continue) for n in _own_nodes([stmt])
    )


_BUILTINS = frozenset(name for name in dir(builtins) if not name[:1].isupper())


# --- uses ----------------------------------------------------------------------------------


def _use_sentences(uses: list[Use], verb: str) -> list[str]:
    """One sentence per place that uses it (the uses in one function said together)."""
    said = []
    places: dict[tuple[str, str], list[Use]] = {}
    for u in uses:
        places.setdefault((u.file, u.where), []).append(u)
    for (file, where), here in places.items():
        at = f"`{where}` (`{file}`)" if where else f"`{file}`"
        stored = [u.assigned for u in here if u.assigned]
        if (
            len(here) > 1
            and len(stored) == len(here) == len(set(stored))
            and all(_only_stored(u) and not u.arms for u in here)
        ):
            n = _NUMBERS[len(here)] if len(here) < len(_NUMBERS) else str(len(here))
            what = "builds" if verb == "builds" else "calls it"
            things = f" {n}" if verb == "builds" else f" {n} times"
            said.append(f"{at} {what}{things} and stores them as {_codes(stored)}.")
            continue
        clauses = list(dict.fromkeys(_use_clause(u, verb) for u in here))
        said.append(f"{at} {_listed(clauses)}.")
    return said


def _only_stored(u: Use) -> bool:
    return not (u.count or u.container or u.condition or u.passed_to)


def _use_clause(u: Use, verb: str) -> str:
    """ "builds `config.n_layer` of them, in a list named `h`", "calls it when `...` and
    stores the result as `losses`"."""
    one = "one" if verb == "builds" else "it"
    what = f"{verb} `{u.count}` of them" if u.count else f"{verb} {one}"
    if u.container:
        what += f", in {u.container}" + (f" named `{u.assigned}`" if u.assigned else "")
    if u.condition:
        what += f" when `{u.condition}`"
    if u.assigned and not u.container:
        result = "it" if verb == "builds" else "the result"
        what += f" and stores {result} as `{u.assigned}`"
    if u.passed_to:
        what += f", then passes it to `{u.passed_to}`"
    return what


def uses_of(
    short: str, files: list[tuple[str, str]], skip: tuple[str, int, int] | None
) -> list[Use]:
    """Where Python code in ``files`` (``(file name, text)``) builds or calls ``short``, the
    concept's own definition (``skip``: file name, start and end offsets) left out."""
    found: list[Use] = []
    for file, text in files:
        tree, starts = _parsed(text)
        if tree is None or (not (skip and skip[0] == file) and _defines(tree, short)):
            continue  # another file's own ``short`` is another thing of the same name
        parents = _parents(tree)
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and _callee(call.func) == short):
                continue
            offset = starts[call.lineno - 1] + call.col_offset
            if skip and skip[0] == file and skip[1] <= offset < skip[2]:
                continue
            found.append(_use(file, call, parents))
            if len(found) >= MAX_USES:
                return found
    return found


def _defines(tree: ast.Module, name: str) -> bool:
    return any(
        (isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and n.name == name)
        or (isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id == name)
        for n in ast.walk(tree)
    )


def _use(file: str, call: ast.Call, parents: dict) -> Use:
    chain = []
    node = call
    while node in parents:
        node = parents[node]
        chain.append(node)
    where = ".".join(
        n.name for n in reversed(chain) if isinstance(n, ast.ClassDef | ast.FunctionDef)
    )
    count = container = assigned = condition = passed_to = ""
    comp = next((n for n in chain if isinstance(n, ast.ListComp | ast.DictComp)), None)
    if comp is not None:
        container = "a list" if isinstance(comp, ast.ListComp) else "a dict"
        it = comp.generators[0].iter
        if isinstance(it, ast.Call) and _callee(it.func) == "range" and len(it.args) == 1:
            count = _inline(it.args[0])
    stmt = next((n for n in chain if isinstance(n, ast.stmt)), None)
    inner = chain[: chain.index(stmt)] if stmt in chain else chain
    member = next((n for n in inner if isinstance(n, ast.keyword) and n.arg), None)
    if member is not None:
        assigned = member.arg  # one member of what the statement builds ("dict(h=...)")
    elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        assigned = _inline(stmt.targets[0])
        if isinstance(stmt.targets[0], ast.Name):
            passed_to = _passed_to(stmt, stmt.targets[0].id, parents)
    if not where:
        # a script's top level: when it runs is the test of the branch it sits in
        condition = _condition(call, chain)
    return Use(file, where, assigned, count, container, condition, passed_to, _arms(call, chain))


def _condition(call: ast.Call, chain: list[ast.AST]) -> str:
    """The test of the innermost ``if`` around ``call``, negated when it sits in the ``else``."""
    child: ast.AST = call
    for node in chain:
        if isinstance(node, ast.If):
            if child in node.orelse:
                return _inline(ast.UnaryOp(ast.Not(), node.test))
            return _inline(node.test) if child in node.body else ""
        child = node
    return ""


def _arms(call: ast.Call, chain: list[ast.AST]) -> tuple[tuple[int, str], ...]:
    arms = []
    child: ast.AST = call
    for node in chain:
        if isinstance(node, ast.If | ast.IfExp | ast.Try | ast.TryStar):
            arm = next(
                (
                    name
                    for name in ("body", "orelse", "handlers", "finalbody")
                    if _holds(getattr(node, name, None), child)
                ),
                "",
            )
            if arm:
                arms.append((node.lineno, arm))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            break
        child = node
    return tuple(arms)


def _holds(arm: ast.AST | list | None, child: ast.AST) -> bool:
    return arm is child or (isinstance(arm, list) and child in arm)


def _passed_to(stmt: ast.Assign, name: str, parents: dict) -> str:
    """The call a stored result is given to in the next statements of the same block
    (``gptconf = GPTConfig(...)`` then ``model = GPT(gptconf)``)."""
    block = getattr(parents.get(stmt), "body", None)
    if not isinstance(block, list) or stmt not in block:
        return ""
    at = block.index(stmt)
    for later in block[at + 1 : at + 4]:
        for n in ast.walk(later):
            if isinstance(n, ast.Call) and any(_is_name(a, name) for a in n.args):
                return _inline(n.func)
    return ""


@functools.lru_cache(maxsize=32)
def _parsed(text: str) -> tuple[ast.Module | None, tuple[int, ...]]:
    starts = [0]
    for k, ch in enumerate(text):
        if ch == "\n":
            starts.append(k + 1)
    try:
        return ast.parse(text), tuple(starts)
    except (SyntaxError, ValueError):
        return None, tuple(starts)


def _parents(tree: ast.AST) -> dict:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


# --- small helpers -------------------------------------------------------------------------


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_self_attr(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        return body[1:]
    return body


def _decorator_name(d: ast.expr) -> str:
    target = d.func if isinstance(d, ast.Call) else d
    return ast.unparse(target).rsplit(".", 1)[-1]


def _inline(node: ast.AST | None) -> str:
    """``node`` as code short enough to quote inline, else ""."""
    if node is None:
        return ""
    text = ast.unparse(node)
    return text if len(text) <= MAX_INLINE and "`" not in text else ""


def _article(word: str) -> str:
    """ "a" or "an" before a class name, by how it is said ("an MLP", "a LayerNorm")."""
    head = word.rsplit(".", 1)[-1]
    spelled = len(head) > 1 and head[:2].isupper()  # an acronym, said letter by letter
    vowel_sound = head[:1].upper() in ("AEFHILMNORSX" if spelled else "AEIOU")
    return "an" if vowel_sound else "a"


def _count(n: int, noun: str) -> str:
    number = _NUMBERS[n] if n < len(_NUMBERS) else str(n)
    return f"{number} {noun}" + ("" if n == 1 else "s")


def _codes(names: list[str]) -> str:
    return _listed([f"`{n}`" for n in names])


def _listed(items: list[str], *, then: bool = False) -> str:
    """ "a", "a and b", "a, b and c"; with ``then``: "a, then b, and c" (steps in order)."""
    if len(items) > MAX_LISTED:
        items = [*items[: MAX_LISTED - 1], "others"]
    if len(items) == 1:
        return items[0]
    if then:
        return ", then ".join(items[:-1]) + ", and " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]
