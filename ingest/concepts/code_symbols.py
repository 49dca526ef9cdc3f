"""Code concepts: the modules, classes and documented functions of a code repository, and the
documented functions and classes of a lecture notebook (one that is mostly code). The first
docstring line is the definition."""

from __future__ import annotations

import ast
import math
import re
from collections import Counter

from teachback.core.document import Document, Section
from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.concept import Concept
from teachback.ingest.concepts.docstrings import docstring_end
from teachback.ingest.concepts.settings import (
    CODE_NEEDS_DOCSTRING,
    MAX_QUOTE,
    NOTEBOOK_PROSE_SHARE,
    PROSE_KINDS,
)

_BASE_IMPORTANCE = {"module": 0.55, "class": 0.7, "function": 0.45}


def callers(documents: list[Document]) -> Counter:
    """How many code sections of the batch call each name."""
    out: Counter = Counter()
    for doc in documents:
        if doc.format == "code":
            for s in doc.sections:
                for name in s.signals.get("calls", []) or []:
                    out[name] += 1
    return out


def code_symbol(batch: Batch, di: int, sec: Section, calls: Counter) -> None:
    """A module, class or documented function of a code document becomes a code concept
    named by its identifier; its importance grows with how often the code calls it."""
    sig = sec.signals
    kind = sig.get("symbol_kind")
    qual = sig.get("symbol", "")
    doc = batch.documents[di]
    comment = None
    if kind == "function" and not (sig.get("docstring") or "").strip():
        comment = leading_comment(doc, sec)
        sig = {**sig, "docstring": comment_text(doc, comment) if comment else ""}
    if not _teaches(kind, qual, sig):
        return
    name = qual if kind == "module" else qual.rsplit(".", 1)[-1]
    con = _code_concept(batch, "code:" + qual, name)
    con.symbol_kind = kind
    if kind != "module":
        con.short_forms.add(qual)
    a, b = sig.get("def_span", [sec.start, sec.end])
    line_end = doc.text.find("\n", a, b)
    line_end = b if line_end < 0 else line_end
    if kind == "module":
        line_end = a
    first_line = (sig.get("docstring") or "").strip().split("\n", 1)[0].strip()
    doc_line = untitled(first_line, name)
    if kind == "module" and first_line and not doc_line:
        line_end = min(b, a + MAX_QUOTE)  # no definition: the lesson shows the docstring
    if comment is not None:
        con.definition = (-1.0, di, comment.start, comment.end)
        con.code_definition = doc_line
    elif doc_line:
        _define(con, doc, di, doc_line, a, b)
    if line_end > a:
        con.code.append((di, a, min(line_end, a + MAX_QUOTE)))
    con.first_seen = min(con.first_seen, (di, a))
    con.docs.add(di)
    base = _BASE_IMPORTANCE[kind]
    base += 0.08 * math.log1p(calls.get(qual, 0)) + (0.1 if doc_line else 0.0)
    base += 0.05 if sig.get("doctests") else 0.0
    con.fixed_importance = min(1.0, base)


def leading_comment(doc: Document, sec: Section) -> Section | None:
    """The comment on the lines right above a function that has no docstring ("# learning rate
    decay scheduler (cosine with warmup)" over ``def get_lr(it):``): it documents the function
    as a docstring would."""
    before = [s for s in doc.sections if s.end <= sec.start]
    if not before or before[-1].kind != "comment":
        return None
    prev = before[-1]
    if doc.text[prev.end : sec.start].count("\n") > 1:
        return None  # a blank line between: the comment is about what came before
    return prev


def comment_text(doc: Document, comment: Section) -> str:
    """The words of a comment section, without the ``#`` marks, on one line."""
    lines = doc.text[comment.start : comment.end].split("\n")
    return " ".join(w for w in (ln.strip().lstrip("#").strip() for ln in lines) if w)


def _teaches(kind: str | None, qual: str, sig: dict) -> bool:
    """A public symbol the material explains (classes always; modules and functions with a
    docstring), not a test or a private helper."""
    short = qual.rsplit(".", 1)[-1]
    if kind not in {"module", "class", "function"} or not qual:
        return False
    if short.startswith("_") or short.startswith("test") or short == "conftest":
        return False
    # An undocumented helper or script: the material does not explain it.
    return kind not in CODE_NEEDS_DOCSTRING or bool((sig.get("docstring") or "").strip())


# A title that opens a docstring ("Poor Man's Configurator."), then what the rest opens with
# when it is the author's opinion ("Probably a terrible idea."), not what the code does.
_TITLE = re.compile(r"^(?:[A-Z][\w'\u2019\-]*\s+){0,4}[A-Z][\w'\u2019\-]*\.\s*")
_OPINION = re.compile(r"(?:probably|maybe|perhaps|possibly|likely|i|we|just|note)\b", re.I)


def untitled(line: str, name: str) -> str:
    """A docstring's first line without the title that names the symbol; empty when what
    follows the title is the author's opinion of it.

    >>> untitled("Poor Man's Configurator. Probably a terrible idea. Usage:", "configurator")
    ''
    >>> untitled("Hash Tables. Two small tables, written to be read.", "hashkit.tables")
    'Two small tables, written to be read.'
    >>> untitled("Sample from a trained model", "sample")
    'Sample from a trained model'
    """
    m = _TITLE.match(line)
    last = name.rsplit(".", 1)[-1].lower()
    if m is None or last not in m.group(0).lower():
        return line
    rest = line[m.end() :]
    return "" if _OPINION.match(rest) else rest


def _code_concept(batch: Batch, key: str, name: str) -> Concept:
    con = batch.get(key)
    con.kind = "code"
    con.name = name
    con.surfaces[name] += 1
    return con


def _define(con: Concept, doc: Document, di: int, line: str, a: int, b: int) -> None:
    """The docstring's first line is the definition (its span, when found in ``[a, b)``); a
    line that breaks its sentence ("This training script can be run both on a single gpu in
    debug mode,") runs on to the sentence's end."""
    pos = doc.text.find(line, a, b)
    if pos < 0:
        con.code_definition = line
        return
    end = pos + len(line)
    if line and line[-1] not in ".!?:":
        # (no further than its docstring: code may follow a one-quote docstring on the next line)
        close = docstring_end(doc.text, pos)
        m = _SENTENCE_OR_PARAGRAPH_END.search(doc.text, end, b if close is None else min(b, close))
        if m is not None and m.group().strip() and m.group()[0] in ".!?":
            end = m.start() + 1
    con.definition = (-1.0, di, pos, end)
    con.code_definition = " ".join(doc.text[pos:end].split())


# Where a docstring's first sentence ends: a full stop, or the paragraph or docstring does.
_SENTENCE_OR_PARAGRAPH_END = re.compile(r"[.!?](?=\s|$)|\n[ \t]*\n|\"\"\"|\'\'\'")


def notebook_symbols(batch: Batch, di: int) -> None:
    """Documented functions and classes of a notebook that is mostly code (a lecture
    notebook): ``params()`` documented as "estimates the number of parameters" is what it
    teaches. In a notebook whose prose carries the lesson, helpers (``make_df``) are not
    concepts."""
    doc = batch.documents[di]
    code = [s for s in doc.sections if s.kind == "code"]
    prose = sum(s.end - s.start for s in doc.sections if s.kind in PROSE_KINDS)
    if not code or prose > NOTEBOOK_PROSE_SHARE * sum(s.end - s.start for s in code):
        return
    for sec in code:
        try:
            tree = ast.parse(doc.text[sec.start : sec.end])
        except (SyntaxError, ValueError, RecursionError):
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                _notebook_symbol(batch, di, doc, sec, node)


def _notebook_symbol(
    batch: Batch, di: int, doc: Document, sec: Section, node: ast.FunctionDef | ast.ClassDef
) -> None:
    docstring = (ast.get_docstring(node) or "").strip()
    if not docstring or node.name.startswith("_"):
        return
    con = _code_concept(batch, "code:" + node.name, node.name)
    lines = doc.text[sec.start : sec.end].split("\n")
    a = sec.start + sum(len(ln) + 1 for ln in lines[: node.lineno - 1])
    b = min(sec.end, a + len(lines[node.lineno - 1]))
    con.code.append((di, a, b))
    _define(con, doc, di, docstring.split("\n", 1)[0].strip(), a, sec.end)
    con.first_seen = min(con.first_seen, (di, a))
    con.docs.add(di)
    con.fixed_importance = 0.5
