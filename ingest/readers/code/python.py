"""Python source as sections of its symbols, understood through ``ast`` (never run).

Every line belongs to its innermost symbol (module, class, function or method); consecutive
lines with the same owner and kind (code, docstring, doctest, comment) form one section, and a
symbol's first section carries its signals (signature, docstring, imports, calls, doctests,
definition span, bases). ``teachback.ingest.readers.code`` describes the signals.
"""

from __future__ import annotations

import ast
import bisect
import builtins
import doctest
from dataclasses import dataclass, field

from teachback.core.document import Section
from teachback.ingest.readers.code.explaining import (
    comment_words,
    commented_code,
    explaining_comments,
)
from teachback.ingest.readers.spans import line_span, line_starts, section


@dataclass
class _Symbol:
    qualname: str
    kind: str  # module | class | function | method
    node: ast.AST
    first_line: int  # 0-based
    last_line: int  # 0-based, inclusive
    signals: dict = field(default_factory=dict)


def _dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for Name/Attribute chains, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None  # calls on call results, subscripts, ...: no stable name


_BUILTINS = frozenset(dir(builtins))
_DEFS = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def _own_nodes(body: list[ast.stmt]):
    """Walk statements without descending into nested function/class definitions."""
    stack = [n for n in reversed(body) if not isinstance(n, _DEFS)]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _DEFS | ast.Lambda):
                if isinstance(child, ast.Lambda):
                    stack.append(child.body)
                continue
            stack.append(child)


class PythonReader:
    def __init__(self, text: str, module: str, is_package: bool):
        self.text = text
        self.module = module
        self.is_package = is_package
        self.starts = line_starts(text)
        self.n_lines = len(self.starts) - 1
        self.tree = ast.parse(text)
        self.aliases: dict[str, str] = {}  # local name -> qualified name
        self.top_level: dict[str, str] = {}
        # per line: (symbol index, kind, extra key)
        self.owner: list[tuple[int, str, int]] = [(0, "code", -1)] * self.n_lines
        self.symbols: list[_Symbol] = []
        self.doctest_of: dict[tuple[int, int], dict] = {}
        self.trailing: dict[int, int] = {}  # line -> offset of an explaining comment after code

    # -- imports -------------------------------------------------------------------------------
    def _resolve_from(self, level: int, modname: str | None) -> str:
        if level == 0:
            return modname or ""
        parts = self.module.split(".")
        pkg = parts if self.is_package else parts[:-1]
        base = pkg[: max(0, len(pkg) - (level - 1))]
        return ".".join(base + ([modname] if modname else []))

    def _imports(self, nodes) -> list[str]:
        found: list[str] = []
        for node in nodes:
            if isinstance(node, ast.Import):
                for a in node.names:
                    found.append(a.name)
                    self.aliases[a.asname or a.name.split(".")[0]] = (
                        a.name if a.asname else a.name.split(".")[0]
                    )
            elif isinstance(node, ast.ImportFrom):
                base = self._resolve_from(node.level, node.module)
                if node.module is None:  # from . import table -> pkg.table
                    found.extend(f"{base}.{a.name}" if base else a.name for a in node.names)
                elif base:
                    found.append(base)
                for a in node.names:
                    if a.name != "*":
                        self.aliases[a.asname or a.name] = f"{base}.{a.name}" if base else a.name
        return list(dict.fromkeys(x for x in found if x))

    # -- calls ---------------------------------------------------------------------------------
    def _calls(self, body: list[ast.stmt], class_qual: str | None) -> list[str]:
        calls = []
        nodes = [n for n in _own_nodes(body) if isinstance(n, ast.Call)]
        for node in sorted(nodes, key=lambda n: (n.lineno, n.col_offset)):
            name = _dotted(node.func)
            if not name:
                continue
            head, _, rest = name.partition(".")
            if head in ("self", "cls") and class_qual and rest:
                name = f"{class_qual}.{rest}"
            elif head in self.aliases:
                name = self.aliases[head] + ("." + rest if rest else "")
            elif head in self.top_level:
                name = self.top_level[head] + ("." + rest if rest else "")
            if name in _BUILTINS:
                continue
            calls.append(name)
        return list(dict.fromkeys(calls))

    # -- docstrings and doctests ---------------------------------------------------------------
    def _docstring(self, sym_index: int, node, header_line: int) -> None:
        body = getattr(node, "body", None)
        if not body:
            return
        first = body[0]
        if not (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            return
        raw_value = first.value.value
        sym = self.symbols[sym_index]
        examples = []
        try:
            examples = doctest.DocTestParser().get_examples(raw_value)
        except ValueError:  # inconsistent indentation: keep the docstring, no examples
            examples = []
        sym.signals["docstring"] = ast.get_docstring(node) or ""
        sym.signals["doctests"] = [
            {"source": e.source.rstrip("\n"), "want": e.want.rstrip("\n")} for e in examples
        ]
        d_first, d_last = first.lineno - 1, first.end_lineno - 1
        if d_first <= header_line and not isinstance(node, ast.Module):
            return  # docstring shares the def line: keep it inside the code section
        for line in range(d_first, d_last + 1):
            self.owner[line] = (sym_index, "docstring", -1)
        # Doctest line numbers count lines of the string's value; they map onto file lines only
        # when the literal has no escaped or continued line breaks.
        if raw_value.count("\n") != d_last - d_first:
            return
        for k, ex in enumerate(examples):
            a = d_first + ex.lineno
            b = a + ex.source.count("\n") + ex.want.count("\n") - 1
            for line in range(a, min(b, d_last) + 1):
                self.owner[line] = (sym_index, "doctest", k)
            self.doctest_of[(sym_index, k)] = {
                "source": ex.source.rstrip("\n"),
                "want": ex.want.rstrip("\n"),
            }

    # -- walking -------------------------------------------------------------------------------
    def _walk(self, body: list[ast.stmt], prefix: str, parent_kind: str, class_qual) -> None:
        for node in body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            qual = f"{prefix}.{node.name}"
            first = min([d.lineno for d in node.decorator_list] + [node.lineno]) - 1
            last = node.end_lineno - 1
            kind, signature = _kind_and_signature(node, parent_kind)
            start, end = line_span(self.text, self.starts, first, last)
            sym = _Symbol(qual, kind, node, first, last)
            sym.signals.update(
                {
                    "signature": signature,
                    "def_span": [start, end],
                    "line": first + 1,
                }
            )
            if isinstance(node, ast.ClassDef):
                sym.signals["bases"] = [self._resolved(n) for n in map(_dotted, node.bases) if n]
            self.symbols.append(sym)
            index = len(self.symbols) - 1
            for line in range(first, last + 1):
                self.owner[line] = (index, "code", -1)
            self._docstring(index, node, node.lineno - 1)
            outer_aliases = dict(self.aliases)  # imports inside a def are local to it
            sym.signals["imports"] = self._imports(
                n for n in _own_nodes(node.body) if isinstance(n, ast.Import | ast.ImportFrom)
            )
            sym.signals["calls"] = self._calls(node.body, qual if kind == "class" else class_qual)
            self._walk(node.body, qual, kind, qual if kind == "class" else class_qual)
            self.aliases = outer_aliases

    def _resolved(self, name: str) -> str:
        """A dotted name with its head resolved through the imports and top-level names."""
        head, _, rest = name.partition(".")
        if head in self.aliases:
            return self.aliases[head] + ("." + rest if rest else "")
        if head in self.top_level:
            return self.top_level[head] + ("." + rest if rest else "")
        return name

    def sections(self) -> list[Section]:
        self._read_module()
        self._walk(self.tree.body, self.module, "module", None)
        self._mark_comments()
        return self._line_sections()

    def _read_module(self) -> None:
        """The module's own symbol: its imports, calls and docstring."""
        tree = self.tree
        mod = _Symbol(self.module, "module", tree, 0, max(0, self.n_lines - 1))
        self.symbols.append(mod)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.top_level[node.name] = f"{self.module}.{node.name}"
        all_imports = self._imports(
            n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)
        )
        # Re-resolve module-level aliases last so module-level imports win over local ones.
        self._imports(n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom))
        self._docstring(0, tree, -1)
        mod.signals.update(
            {"signature": "", "imports": all_imports, "calls": self._calls(tree.body, None)}
        )
        mod.signals["def_span"] = [0, len(self.text)]
        mod.signals["line"] = 1

    def _mark_comments(self) -> None:
        """Full-line comments inside code become comment sections, except code switched off
        (it stays with the code); the explaining comments that end lines of code are found."""
        for i in range(self.n_lines):
            sym, kind, _ = self.owner[i]
            if kind == "code":
                s, e = line_span(self.text, self.starts, i, i)
                line = self.text[s:e]
                if line.lstrip().startswith("#") and not commented_code(line):
                    self.owner[i] = (sym, "comment", -1)
        self.trailing = {
            self._line_of(start): start
            for start, _, after_code in explaining_comments(self.text)
            if after_code
        }

    def _line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def _comments_in(self, i: int, j: int) -> list[list[int]]:
        """Spans of the words of the explaining comments that end lines ``i..j`` of code."""
        spans = []
        for line in range(i, j + 1):
            at = self.trailing.get(line)
            if at is not None:
                end = line_span(self.text, self.starts, line, line)[1]
                spans.append(list(comment_words(self.text, at, end)))
        return spans

    def _line_sections(self) -> list[Section]:
        """Runs of lines with one owner (symbol, kind) as sections; a symbol's first section
        carries its signals."""
        out: list[Section] = []
        seen: set[int] = set()
        i = 0
        while i < self.n_lines:
            key = self.owner[i]
            j = i
            while j + 1 < self.n_lines and self.owner[j + 1] == key:
                j += 1
            sym_index, kind, k = key
            sym = self.symbols[sym_index]
            start, end = line_span(self.text, self.starts, i, j)
            signals = {"symbol": sym.qualname, "symbol_kind": sym.kind}
            if kind == "doctest" and (sym_index, k) in self.doctest_of:
                signals["doctest"] = self.doctest_of[(sym_index, k)]
            if kind == "code" and (comments := self._comments_in(i, j)):
                signals["comments"] = comments
            sec = section(self.text, kind, start, end, signals=signals)
            if sec is not None:
                if sym_index not in seen:
                    seen.add(sym_index)
                    sec.signals.update({"definition": True, **sym.signals})
                    sec.signals.setdefault("docstring", "")
                    sec.signals.setdefault("doctests", [])
                out.append(sec)
            i = j + 1
        return out


def _kind_and_signature(node, parent_kind: str) -> tuple[str, str]:
    """("class" | "method" | "function", the definition's signature line)."""
    if isinstance(node, ast.ClassDef):
        bases = [ast.unparse(b) for b in node.bases]
        return "class", f"class {node.name}" + (f"({', '.join(bases)})" if bases else "")
    kind = "method" if parent_kind == "class" else "function"
    prefix_kw = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
    signature = f"{prefix_kw} {node.name}({ast.unparse(node.args)})"
    if node.returns is not None:
        signature += f" -> {ast.unparse(node.returns)}"
    return kind, signature
