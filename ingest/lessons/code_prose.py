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
    args = [a.arg for a in f.args.args if a.arg != "self"]
    head = f"Its `{f.name}({', '.join(args)})`"
    steps = _steps(f)
    if steps:
        return f"{head} {_listed(steps, then=True)}."
    returned = _returned(f)
    takes = f"takes {_codes(args)}" if args else "takes no arguments"
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
    values = [s.value for s in ast.walk(f) if isinstance(s, ast.Return) and s.value is not None]
    if len(values) != 1:
        return ""  # several ways out: what it gives back depends on the branch
    value = values[0]
    items = value.elts if isinstance(value, ast.Tuple) else [value]
    if not all(isinstance(i, ast.Name) for i in items):
        return ""
    return _codes([i.id for i in items])


# --- functions -----------------------------------------------------------------------------


def _function_sentences(short: str, f: ast.FunctionDef, file: str) -> list[str]:
    args = [a.arg for a in f.args.args if a.arg not in ("self", "cls")]
    decorators = [f"`@{ast.unparse(d)}`" for d in f.decorator_list]
    opening = f"`{short}` is a function in `{file}`"
    if decorators:
        opening += f", decorated with {_listed(decorators)},"
    opening += f" that takes {_codes(args)}" if args else " that takes no arguments"
    returned = _returned(f)
    said = [opening + (f" and returns {returned}." if returned else ".")]
    loops = [
        f"`{_inline(n.target)}` in `{_inline(n.iter)}`"
        for n in ast.walk(f)
        if isinstance(n, ast.For) and _inline(n.target) and _inline(n.iter)
    ]
    called = _called(f)
    if loops and called:
        said.append(f"It loops over {_listed(loops)}, calling {_codes(called)}.")
    elif called:
        said.append(f"It calls {_codes(called)}.")
    return said


def _called(f: ast.FunctionDef) -> list[str]:
    """The functions and methods ``f``'s body calls, in source order, each once: not
    builtins, nor methods of its own local values (``losses.mean``)."""
    local = {a.arg for a in f.args.args} | {
        t.id
        for n in ast.walk(f)
        if isinstance(n, ast.Assign | ast.For | ast.AugAssign)
        for t in ast.walk(n.targets[0] if isinstance(n, ast.Assign) else n.target)
        if isinstance(t, ast.Name)
    }
    calls = sorted(
        (n for stmt in f.body for n in ast.walk(stmt) if isinstance(n, ast.Call)),
        key=lambda n: (n.lineno, n.col_offset),
    )
    out: list[str] = []
    for n in calls:
        name = _inline(n.func)
        root = name.split(".", 1)[0]
        if name and name not in _BUILTINS and root not in local and name not in out:
            out.append(name)
    return out[:MAX_CALLS]


_BUILTINS = frozenset(
    "print len range dict list set tuple int float str bool min max sum enumerate zip "
    "isinstance hasattr getattr setattr super sorted open any all abs round".split()
)


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
        if len(here) > 1 and len(stored) == len(here) and all(_only_stored(u) for u in here):
            n = _NUMBERS[len(here)] if len(here) < len(_NUMBERS) else str(len(here))
            what = "builds" if verb == "builds" else "calls it"
            things = f" {n}" if verb == "builds" else f" {n} times"
            said.append(f"{at} {what}{things} and stores them as {_codes(stored)}.")
            continue
        said.append(f"{at} {_listed([_use_clause(u, verb) for u in here])}.")
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
        if tree is None:
            continue
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
        test = next((n.test for n in chain if isinstance(n, ast.If)), None)
        condition = _inline(test) if test is not None else ""
    return Use(file, where, assigned, count, container, condition, passed_to)


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
