"""What an undocumented class is, read from its code: a dataclass by its fields and defaults, any
other class by what it subclasses, the parts its ``__init__`` builds and its public methods.

Pure text functions; ``drafts`` uses the summary as the definition of a class concept whose
source gives neither a docstring nor a comment.
"""

from __future__ import annotations

import ast
import textwrap

MAX_LISTED = 8  # parts or methods named; a longer list stops being read


def class_summary(text: str) -> str:
    """One sentence saying what the class whose source opens ``text`` (its decorators or its
    ``class`` line, then anything after its body) is made of, or "" when the code says nothing
    beyond its name.

    >>> class_summary("@dataclass\\nclass Config:\\n    size: int = 64\\n    bias: bool = True\\n")
    'A dataclass with the fields size (default 64) and bias (default True).'
    >>> class_summary(
    ...     "class Block(nn.Module):\\n    def __init__(self, c):\\n"
    ...     "        self.ln = LayerNorm(c)\\n        self.mlp = MLP(c)\\n"
    ...     "    def forward(self, x):\\n        return x\\n"
    ... )
    'A subclass of nn.Module made of ln (LayerNorm) and mlp (MLP), with the method forward.'
    """
    parsed = _parse_class(text)
    if parsed is None:
        return ""
    node, lines = parsed
    if any(_name(d) == "dataclass" for d in node.decorator_list):
        fields = [_field(s) for s in node.body if isinstance(s, ast.AnnAssign)]
        fields = [f for f in fields if f]
        return f"A dataclass with the fields {_listed(fields)}." if fields else ""
    bases = [ast.unparse(b) for b in node.bases if ast.unparse(b) != "object"]
    opening = f"A subclass of {_listed(bases)}" if bases else "A class"
    parts = _parts(node, lines)
    methods = [
        f.name
        for f in node.body
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and not f.name.startswith("_")
    ]
    if not parts and not methods:
        return ""
    made_of = f" made of {_listed(parts)}" if parts else ""
    noun = "method" if len(methods) == 1 else "methods"
    with_methods = f", with the {noun} {_listed(methods)}" if methods else ""
    if not parts and methods:
        with_methods = f" with the {noun} {_listed(methods)}"
    return f"{opening}{made_of}{with_methods}{_returns(node)}."


def _returns(node: ast.ClassDef) -> str:
    """What its ``forward`` gives back, when the names say it ("logits, loss"; not "x")."""
    forward = next(
        (f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "forward"), None
    )
    if forward is None:
        return ""
    returned = [s.value for s in ast.walk(forward) if isinstance(s, ast.Return) and s.value]
    if not returned:
        return ""
    value = returned[-1]
    items = value.elts if isinstance(value, ast.Tuple) else [value]
    names = [i.id for i in items if isinstance(i, ast.Name)]
    if len(names) != len(items) or not any(len(n) > 2 for n in names):
        return ""
    return f"; its forward returns {_listed([n.replace('_', ' ') for n in names])}"


def _parse_class(text: str) -> tuple[ast.ClassDef, list[str]] | None:
    """The first class in ``text``, cut where its body ends (code after it may not parse),
    and the lines it was parsed from."""
    lines = text.split("\n")
    header = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("class ")), None)
    if header is None:
        return None
    indent = len(lines[header]) - len(lines[header].lstrip())
    end = header + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
    ):
        end += 1
    source = textwrap.dedent("\n".join(lines[:end]))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    node = next((n for n in tree.body if isinstance(n, ast.ClassDef)), None)
    return None if node is None else (node, source.split("\n"))


def _field(stmt: ast.AnnAssign) -> str:
    if not isinstance(stmt.target, ast.Name):
        return ""
    if stmt.value is None:
        return stmt.target.id
    return f"{stmt.target.id} (default {ast.unparse(stmt.value)})"


def _parts(node: ast.ClassDef, lines: list[str]) -> list[str]:
    """``self.x = SomeClass(...)`` in ``__init__``: a part named x, of that class, with what
    the comment over it says it is for ("# output projection")."""
    init = next(
        (f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None
    )
    if init is None:
        return []
    parts = []
    for stmt in ast.walk(init):
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)):
            continue
        kind = ast.unparse(stmt.value.func)
        if not kind.rsplit(".", 1)[-1][:1].isupper():
            continue  # a value computed by a function, not a part built from a class
        for target in stmt.targets:
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
            ):
                said = _comment_over(lines, stmt.lineno)
                said = f" \u2014 {said}" if said else ""
                parts.append(f"{target.attr} ({kind}{_holding(stmt.value)}{said})")
    return parts


def _comment_over(lines: list[str], lineno: int) -> str:
    """The comment line over the run of ``self.`` assignments that holds line ``lineno``
    (1-based): "# regularization" labels both dropouts under it."""
    i = lineno - 2
    while i >= 0 and lines[i].strip().startswith("self."):
        i -= 1
    line = lines[i].strip() if i >= 0 else ""
    return line.lstrip("#").strip() if line.startswith("#") else ""


def _holding(call: ast.Call) -> str:
    """The named parts a container is built from: ``nn.ModuleDict(dict(wte=..., h=...))``
    holds wte and h."""
    inner = call.args[0] if len(call.args) == 1 else None
    keys: list[str] = []
    if isinstance(inner, ast.Call) and ast.unparse(inner.func) == "dict":
        keys = [k.arg for k in inner.keywords if k.arg]
    elif isinstance(inner, ast.Dict):
        keys = [
            k.value for k in inner.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)
        ]
    return f" of {_listed(keys)}" if keys else ""


def _name(decorator: ast.expr) -> str:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target).rsplit(".", 1)[-1]


def _listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"; a long list is cut with "and others"."""
    if len(items) > MAX_LISTED:
        items = [*items[: MAX_LISTED - 1], "others"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
