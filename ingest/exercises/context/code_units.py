"""The code a concept is about: functions and classes named like it, notebook cells that use
it or that the text around them is about.

A notebook often introduces a point in prose and then makes it in a run of cells (set up a
Series, then change it and show the result): every cell of the run is about what the prose
before the run names (``place``), and the run's last cell is the one that shows it, as the
text after it explains ("Notice that ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from teachback.core.document import Section
from teachback.core.text import fold
from teachback.ingest.exercises.context.reading import ViewLike
from teachback.ingest.exercises.corpus import CodeUnit, Corpus


@dataclass(frozen=True)
class CellPlace:
    """Where a notebook cell stands among the text around it."""

    introduction: Section | None  # the text (prose or heading) before its run of code cells
    run: int  # where the first cell of its run starts (code cells with no text between)


def place(corpus: Corpus, unit: CodeUnit) -> CellPlace:
    """Where a notebook cell stands (``CellPlace``), found once per corpus."""
    places = corpus.__dict__.get("_cell_places")
    if places is None:
        places = corpus.__dict__["_cell_places"] = {}
        for d in {u.doc for u in corpus.code_units if u.kind == "cell"}:
            places.update(_places(d, corpus.documents[d].sections))
    return places[(unit.doc, unit.section.start)]


def _places(doc: int, sections: list[Section]) -> dict[tuple[int, int], CellPlace]:
    """``{(doc, cell start): CellPlace}`` for every code section of one document."""
    text = [s for s in sections if s.kind != "output"]
    out = {}
    intro, run = None, None
    for s in text:
        if s.kind != "code":
            intro, run = s, None
            continue
        run = s.start if run is None else run
        out[(doc, s.start)] = CellPlace(intro, run)
    return out


def code_units(view: ViewLike) -> list[CodeUnit]:
    """Functions/classes named like the concept; notebook cells about it.

    A code concept is the symbol it is defined as, when a unit is defined by one of its names
    exactly: the function ``shlex.join`` is not the method ``Queue.join``, nor the module
    ``queue`` its class ``queue.Queue``. Otherwise (a term, a symbol the corpus spells
    otherwise) any unit whose last name part is the concept's is about it."""
    names = {n.lower() for n in view.names}
    shorts = {n.rsplit(".", 1)[-1].lower() for n in names}
    own = own_symbols(view)
    out = []
    for u in view.corpus.code_units:
        if u.symbol and (
            u.symbol in own if own else (u.symbol.lower() in names or u.short.lower() in shorts)
        ):
            out.append(u)
        elif u.kind == "cell" and view.pattern is not None and _about_cell(view, u, shorts):
            out.append(u)
    return out


def own_symbols(view: ViewLike) -> set[str]:
    """The symbols of the corpus that the concept's names spell exactly (case counts:
    ``queue`` is the module, ``Queue`` its class); empty for a term."""
    if view.concept.kind != "code":
        return set()
    symbols = view.corpus.__dict__.get("_symbols")
    if symbols is None:  # (found once per corpus)
        symbols = view.corpus.__dict__["_symbols"] = {u.symbol for u in view.corpus.code_units}
    return {n for n in view.names if n in symbols}


def _about_cell(view: ViewLike, unit: CodeUnit, shorts: set[str]) -> bool:
    """A notebook cell is about this concept when the concept (a code name) is used in
    it, or (a term) a comment in it or the text before its run of cells names it."""
    code = unit.section.text
    if view.concept.kind == "code":
        return any(re.search(rf"\b{re.escape(n)}\b", code) for n in shorts if n)
    # a term that is an API name ("dropna", "pd.merge") is about the cells that call it
    api = [n.rsplit(".", 1)[-1] for n in view.names if re.fullmatch(r"[a-z_][\w.]*", n)]
    if any(re.search(rf"\.{re.escape(n)}\b|\b{re.escape(n)}\(", code) for n in api if n):
        return True
    if any(view.pattern.search(fold(c)) for c in re.findall(r"#[^\n]*", code)):
        return True
    intro = place(view.corpus, unit).introduction
    return intro is not None and bool(view.pattern.search(fold(intro.text)))
