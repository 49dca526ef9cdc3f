"""Code reader: source files as sections, Python understood through ``ast`` (never run).

Python (``.py``, ``.pyi``): ``Document.text`` is the decoded file. Every line belongs to its
innermost symbol (module, class, function or method); consecutive lines with the same owner and
kind form one section:

* ``code``: a definition's header (decorators and signature) and its body statements;
* ``docstring``: a docstring on lines of its own; ``doctest``: each ``>>>`` example in it with
  its expected output (parsed with ``doctest.DocTestParser``, never executed);
* ``comment``: runs of full-line ``#`` comments (commented-out code stays in ``code``).

Signals on every section: ``symbol`` (qualified name, ``pkg.mod.Class.method``) and
``symbol_kind`` (module | class | function | method). The first section of each symbol also has
``definition: True``, ``signature``, ``docstring`` (cleaned), ``imports`` (absolute module names,
relative imports resolved), ``calls`` (called names, resolved through imports, ``self.`` and
module-level names where possible), ``doctests`` ([{"source", "want"}] for the whole
docstring), ``def_span`` ([start, end] of the whole definition in ``Document.text``) and
``line`` (1-based); classes add ``bases``. A doctest section has ``doctest``: {"source", "want"}.
A code section whose lines end in comments that explain them has ``comments``: [[start, end]]
of those comments' words in ``Document.text`` (``explaining``); notebooks' code cells too.

Other languages: code and comment sections (line comments and block comments by language
family), ``signals["language"]``. A Python file that does not parse is read that way too, with
``meta["parse_error"]``.

Not handled: symbols of other languages; names bound by ``import *``; calls through variables.
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath

from teachback.core.document import Document, Section
from teachback.ingest.readers.code.comments import comment_sections
from teachback.ingest.readers.code.modules import module_name
from teachback.ingest.readers.code.python import PythonReader
from teachback.ingest.readers.decoding import decode_text
from teachback.ingest.readers.registry import extension_of, register_reader
from teachback.ingest.readers.spans import sha256, without_bom

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
            reader = PythonReader(
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
