"""Code units: the functions and classes of code files and the cells of notebooks, each with
its docstring, doctest examples and saved outputs, as the readers sectioned them (nothing is
executed here)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from teachback.core.document import Document, Section


@dataclass
class CodeUnit:
    """A function/class (code files) or a notebook code cell, with what the source says of it."""

    doc: int
    symbol: str  # qualified name, or "" for a notebook cell
    kind: str  # module | class | function | method | cell
    signature: str
    docstring: str
    section: Section
    doctests: list[dict] = field(default_factory=list)  # {"source","want"}
    outputs: list[str] = field(default_factory=list)  # saved notebook outputs
    docstring_span: tuple[int, int] | None = None
    definition_span: tuple[int, int] | None = None  # the whole def/class, when known

    def code(self, text: str) -> str:
        """The definition's source (whole def when the reader gave its span)."""
        if self.definition_span:
            return text[self.definition_span[0] : self.definition_span[1]]
        return self.section.text

    @property
    def short(self) -> str:
        return self.symbol.rsplit(".", 1)[-1] if self.symbol else ""


_DOCSTRING = re.compile(r"(?:\"\"\"|''')(.*?)(?:\"\"\"|''')", re.DOTALL)
_PROMPT = re.compile(r"^\s*>>> ?(.*)$")
_CONT = re.compile(r"^\s*\.\.\. ?(.*)$")


def parse_doctests(text: str) -> list[dict]:
    """Doctest examples in a docstring, as written: [{"source", "want"}]. Never run."""
    out: list[dict] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _PROMPT.match(lines[i])
        if not m:
            i += 1
            continue
        src = [m.group(1)]
        i += 1
        while i < len(lines) and _CONT.match(lines[i]):
            src.append(_CONT.match(lines[i]).group(1))
            i += 1
        indent = len(lines[i - len(src)]) - len(lines[i - len(src)].lstrip())
        want = []
        while i < len(lines) and lines[i].strip() and not _PROMPT.match(lines[i]):
            line = lines[i]
            if line.strip() in ('"""', "'''") or len(line) - len(line.lstrip()) < indent:
                break
            want.append(line.strip())
            i += 1
        out.append({"source": "\n".join(src), "want": "\n".join(want)})
    return out


def code_units_of(d: int, doc: Document) -> list[CodeUnit]:
    """The functions/classes of document ``d`` (one unit per symbol, whatever sections
    describe it) in order of first appearance, then its notebook cells."""
    units: dict[str, CodeUnit] = {}  # (in order of first appearance)
    cells: list[CodeUnit] = []
    for idx, sec in enumerate(doc.sections):
        sig = sec.signals or {}
        symbol = sig.get("symbol") or ""
        if doc.format == "notebook" and sec.kind == "code":
            cells.append(_cell(d, doc, idx, symbol))
            continue
        if not symbol:
            continue
        unit = units.get(symbol)
        if unit is None:
            unit = units[symbol] = CodeUnit(
                d, symbol, sig.get("symbol_kind", ""), sig.get("signature", ""), "", sec
            )
        _add_section(unit, sec, sig)
    for unit in units.values():
        if not unit.doctests and unit.docstring:
            unit.doctests = parse_doctests(unit.docstring)
    return list(units.values()) + cells


def _cell(d: int, doc: Document, idx: int, symbol: str) -> CodeUnit:
    """The notebook code cell ``doc.sections[idx]`` with its saved outputs."""
    sec = doc.sections[idx]
    outputs = list((sec.signals or {}).get("outputs") or [])
    # The saved outputs may also be separate "output" sections right after the cell.
    j = idx + 1
    while not outputs and j < len(doc.sections) and doc.sections[j].kind == "output":
        outputs.append(doc.sections[j].text)
        j += 1
    return CodeUnit(d, symbol, "cell", "", "", sec, outputs=[o for o in outputs if o.strip()])


def _add_section(unit: CodeUnit, sec: Section, sig: dict) -> None:
    """What one more section of a symbol tells about it: docstring, spans, code, doctests
    (the first section to tell each wins)."""
    if sig.get("docstring") and not unit.docstring:
        unit.docstring = sig["docstring"]  # cleaned by the code reader
    if sec.kind == "docstring" and unit.docstring_span is None:
        unit.docstring = unit.docstring or sec.text
        unit.docstring_span = (sec.start, sec.end)
    span = sig.get("def_span")
    if span and len(span) == 2 and unit.definition_span is None:
        unit.definition_span = (int(span[0]), int(span[1]))
    if sec.kind == "code":
        _add_code(unit, sec, sig)
    for ex in sig.get("doctests") or []:
        if ex not in unit.doctests:
            unit.doctests.append(ex)


def _add_code(unit: CodeUnit, sec: Section, sig: dict) -> None:
    if unit.section.kind != "code":
        unit.section = sec
    unit.signature = unit.signature or sig.get("signature", "")
    if unit.docstring_span is None:
        # a reader that keeps the docstring inside the code section
        m = _DOCSTRING.search(sec.text)
        if m:
            unit.docstring = unit.docstring or m.group(1)
            unit.docstring_span = (sec.start + m.start(1), sec.start + m.end(1))


def summary_of(docstring: str) -> str:
    """The first paragraph of a docstring, on one line, without doctest lines."""
    para = []
    for line in docstring.strip().splitlines():
        if not line.strip() or line.strip().startswith(">>>"):
            if para:
                break
            continue
        if re.match(
            r"^\s*(Args|Arguments|Parameters|Returns|Raises|Example|Examples)\s*:?\s*$", line
        ):
            break
        para.append(line.strip())
    return " ".join(para).strip()
