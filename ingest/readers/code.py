"""Code reader: source files as sections, Python understood through ``ast`` (never run).

Python (``.py``, ``.pyi``): ``Document.text`` is the decoded file. Every line belongs to its
innermost symbol (module, class, function or method); consecutive lines with the same owner and
kind form one section:

* ``code``: a definition's header (decorators and signature) and its body statements;
* ``docstring``: a docstring on lines of its own; ``doctest``: each ``>>>`` example in it with
  its expected output (parsed with ``doctest.DocTestParser``, never executed);
* ``comment``: runs of full-line ``#`` comments.

Signals on every section: ``symbol`` (qualified name, ``pkg.mod.Class.method``) and
``symbol_kind`` (module | class | function | method). The first section of each symbol also has
``definition: True``, ``signature``, ``docstring`` (cleaned), ``imports`` (absolute module names,
relative imports resolved), ``calls`` (called names, resolved through imports, ``self.`` and
module-level names where possible), ``doctests`` ([{"source", "want"}] for the whole
docstring), ``def_span`` ([start, end] of the whole definition in ``Document.text``) and
``line`` (1-based); classes add ``bases``. A doctest section has ``doctest``: {"source", "want"}.

Other languages: code and comment sections (line comments and block comments by language
family), ``signals["language"]``. A Python file that does not parse is read that way too, with
``meta["parse_error"]``.

Not handled: symbols of other languages; names bound by ``import *``; calls through variables.
"""

from __future__ import annotations

import ast
import builtins
import doctest
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from teachback.core.document import Document, Section
from teachback.ingest.readers.decoding import decode_text
from teachback.ingest.readers.registry import extension_of, register_reader
from teachback.ingest.readers.spans import (
    line_span,
    line_starts,
    section,
    sha256,
    without_bom,
)

# extension -> (language, comment family)
LANGUAGES: dict[str, tuple[str, str]] = {
    ".py": ("python", "hash"),
    ".pyi": ("python", "hash"),
    ".js": ("javascript", "c"),
    ".mjs": ("javascript", "c"),
    ".jsx": ("javascript", "c"),
    ".ts": ("typescript", "c"),
    ".tsx": ("typescript", "c"),
    ".java": ("java", "c"),
    ".c": ("c", "c"),
    ".h": ("c", "c"),
    ".cc": ("cpp", "c"),
    ".cpp": ("cpp", "c"),
    ".hpp": ("cpp", "c"),
    ".cs": ("csharp", "c"),
    ".go": ("go", "c"),
    ".rs": ("rust", "c"),
    ".swift": ("swift", "c"),
    ".kt": ("kotlin", "c"),
    ".scala": ("scala", "c"),
    ".php": ("php", "c"),
    ".css": ("css", "c"),
    ".rb": ("ruby", "hash"),
    ".sh": ("shell", "hash"),
    ".bash": ("shell", "hash"),
    ".r": ("r", "hash"),
    ".jl": ("julia", "hash"),
    ".pl": ("perl", "hash"),
    ".lua": ("lua", "dash"),
    ".sql": ("sql", "dash"),
    ".hs": ("haskell", "dash"),
}

_COMMENTS = {
    # family: (line markers, (block open, block close) pairs)
    "c": (("//",), (("/*", "*/"),)),
    "hash": (("#",), ()),
    "dash": (("--",), (("/*", "*/"), ("{-", "-}"), ("--[[", "]]"))),
}


# ---------------------------------------------------------------------------------------------
# module names


def module_name(name: str, hints: dict) -> str:
    """Dotted module name: from ``hints["module"]``, else by walking up ``__init__.py`` folders
    on disk, else the file's stem. ``__init__.py`` names its package."""
    if hints.get("module"):
        return hints["module"]
    inner = name.rsplit("!", 1)[-1]
    path = Path(inner)
    parts = [path.stem]
    if "!" not in name and path.exists():
        parent = path.resolve().parent
        while (parent / "__init__.py").exists() and parent.name.isidentifier():
            parts.insert(0, parent.name)
            parent = parent.parent
    if len(parts) > 1 and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def module_name_from_parts(parts: list[str], package_dirs: set[str]) -> str:
    """Module name for a path inside a folder or archive whose package folders are known.

    ``["src", "pkg", "mod.py"]`` with ``package_dirs={"src/pkg"}`` -> ``"pkg.mod"``.
    """
    stem = PurePosixPath(parts[-1]).stem
    names = [stem]
    for i in range(len(parts) - 1, 0, -1):
        folder = "/".join(parts[:i])
        if folder in package_dirs and parts[i - 1].isidentifier():
            names.insert(0, parts[i - 1])
        else:
            break
    if len(names) > 1 and names[-1] == "__init__":
        names.pop()
    return ".".join(names)


# ---------------------------------------------------------------------------------------------
# Python


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


class _PythonReader:
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
        """Full-line comments inside code become comment sections."""
        for i in range(self.n_lines):
            sym, kind, _ = self.owner[i]
            if kind == "code":
                s, e = line_span(self.text, self.starts, i, i)
                if self.text[s:e].lstrip().startswith("#"):
                    self.owner[i] = (sym, "comment", -1)

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
            start, end = line_span(self.text, self.starts, i, j)
            sym_index, kind, k = key
            sym = self.symbols[sym_index]
            signals = {"symbol": sym.qualname, "symbol_kind": sym.kind}
            if kind == "doctest" and (sym_index, k) in self.doctest_of:
                signals["doctest"] = self.doctest_of[(sym_index, k)]
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


# ---------------------------------------------------------------------------------------------
# other languages


def _line_kinds(text: str, starts: list[int], family: str) -> list[str]:
    """Each line's kind: "code", "comment" (a line comment or inside a block comment) or
    "blank"; a shebang line is code."""
    line_markers, blocks = _COMMENTS[family]
    kinds: list[str] = []
    close: str | None = None
    for i in range(len(starts) - 1):
        s, e = line_span(text, starts, i, i)
        stripped = text[s:e].strip()
        if close is not None:
            kinds.append("comment")
            if close in stripped:
                close = None
            continue
        if i == 0 and stripped.startswith("#!"):
            kinds.append("code")
            continue
        if not stripped:
            kinds.append("blank")
            continue
        if any(stripped.startswith(m) for m in line_markers) and not any(
            stripped.startswith(o) for o, _ in blocks
        ):
            kinds.append("comment")
            continue
        for opener, closer in blocks:
            if stripped.startswith(opener):
                kinds.append("comment")
                if closer not in stripped[len(opener) :]:
                    close = closer
                break
        else:
            kinds.append("code")
    return kinds


def comment_sections(text: str, family: str, language: str) -> list[Section]:
    """Code and comment sections of a source file in a language we do not parse."""
    starts = line_starts(text)
    n = len(starts) - 1
    kinds = _line_kinds(text, starts, family)
    out: list[Section] = []
    i = 0
    while i < n:
        if kinds[i] == "blank":
            i += 1
            continue
        j = i
        # a blank line inside a run of code stays in it; comments end at a blank line
        while j + 1 < n and (
            kinds[j + 1] == kinds[i]
            or (
                kinds[i] == "code"
                and kinds[j + 1] == "blank"
                and j + 2 < n
                and kinds[j + 2] == "code"
            )
        ):
            j += 1
        start, end = line_span(text, starts, i, j)
        sec = section(text, kinds[i], start, end, signals={"language": language})
        if sec:
            out.append(sec)
        i = j + 1
    return out


def read_code(name: str, data: bytes, hints: dict | None = None) -> Document:
    hints = hints or {}
    text, encoding = decode_text(name, data)
    ext = extension_of(name)
    language, family = LANGUAGES.get(ext, ("text", "hash"))
    meta: dict = {"encoding": encoding}
    title = PurePosixPath(name.rsplit("!", 1)[-1].replace(os.sep, "/")).name
    sections: list[Section] | None = None
    if language == "python":
        module = module_name(name, hints)
        meta["module"] = module
        try:
            reader = _PythonReader(
                without_bom(text), module, PurePosixPath(title).stem == "__init__"
            )
            sections = reader.sections()
            meta["imports"] = reader.symbols[0].signals.get("imports", [])
            if reader.symbols[0].signals.get("docstring"):
                first_line = reader.symbols[0].signals["docstring"].strip().splitlines()[0]
                title = first_line if first_line.startswith(module) else f"{module}: {first_line}"
            else:
                title = module
        except (SyntaxError, ValueError, RecursionError) as exc:
            meta["parse_error"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
    if sections is None:
        sections = comment_sections(without_bom(text), family, language)
    return Document(
        path=name,
        format="code",
        title=title,
        text=text,
        sections=sections,
        sha256=sha256(data),
        language=language,
        meta=meta,
    )


register_reader("code", tuple(LANGUAGES), read_code)
