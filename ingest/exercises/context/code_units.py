"""The code a concept is about: functions and classes named like it, notebook cells that use
it or follow the prose that names it."""

from __future__ import annotations

import re

from teachback.core.text import fold
from teachback.ingest.exercises.context.reading import ViewLike
from teachback.ingest.exercises.corpus import CodeUnit


def code_units(view: ViewLike) -> list[CodeUnit]:
    """Functions/classes named like the concept; notebook cells that use it."""
    names = {n.lower() for n in view.names}
    shorts = {n.rsplit(".", 1)[-1].lower() for n in names}
    out = []
    for u in view.corpus.code_units:
        if u.symbol and (u.symbol.lower() in names or u.short.lower() in shorts):
            out.append(u)
        elif u.kind == "cell" and view.pattern is not None and _about_cell(view, u, shorts):
            out.append(u)
    return out


def _about_cell(view: ViewLike, unit: CodeUnit, shorts: set[str]) -> bool:
    """A notebook cell is about this concept when the concept (a code name) is used in
    it, or (a term) the text just before the cell or a comment in it names the concept."""
    code = unit.section.text
    if view.concept.kind == "code":
        return any(re.search(rf"\b{re.escape(n)}\b", code) for n in shorts if n)
    # a term that is an API name ("dropna", "pd.merge") is about the cells that call it
    api = [n.rsplit(".", 1)[-1] for n in view.names if re.fullmatch(r"[a-z_][\w.]*", n)]
    if any(re.search(rf"\.{re.escape(n)}\b|\b{re.escape(n)}\(", code) for n in api if n):
        return True
    if any(view.pattern.search(fold(c)) for c in re.findall(r"#[^\n]*", code)):
        return True
    doc = view.documents[unit.doc]
    before = [s for s in doc.sections if s.end <= unit.section.start and s.kind != "output"]
    return (
        bool(before)
        and before[-1].kind != "code"
        and bool(view.pattern.search(fold(before[-1].text)))
    )
