"""Which concept a notebook cell belongs to, so one cell is asked under one concept only.

A cell belongs to the concept it is most about (``_claim``): its code uses the concept's code
name or a comment names it; else the text before its run of cells names it, the earlier the
better.
"""

from __future__ import annotations

import re

from teachback.ingest.exercises.context import ConceptView
from teachback.ingest.exercises.context.code_units import place


def uses_directly(view: ConceptView, unit) -> bool:
    """Whether a cell's code names the concept itself: a code concept's cell, a call of the
    concept's API name, a comment naming it (else only the text around the cell does)."""
    code = unit.section.text
    if view.concept.kind == "code":
        return True
    api = [n.rsplit(".", 1)[-1] for n in view.names if re.fullmatch(r"[A-Za-z_][\w.]*", n)]
    if any(re.search(rf"\.{re.escape(n)}\b|\b{re.escape(n)}\(", code) for n in api if n):
        return True
    comments = " ".join(re.findall(r"#[^\n]*", code))
    return bool(view.pattern and view.pattern.search(comments))


def _claim(view: ConceptView, unit) -> tuple:
    """How much a cell is about ``view``'s concept (higher is more): its code uses the
    concept's code name or a comment names it; else the text before its run of cells names
    it — the earlier in that text, the more it is its subject ("The get method of a
    dictionary ..." is about the get method); then the longer (more specific) name."""
    direct = uses_directly(view, unit)
    first = -(10**9)
    intro = place(view.corpus, unit).introduction
    if not direct and view.pattern is not None and intro is not None:
        found = view.pattern.search(intro.text)
        first = -found.start() if found else first
    return (direct, first, len(view.concept.name), view.concept.name)


def owners(view: ConceptView) -> dict[tuple, str]:
    """``{(document, cell start): concept name}``: each notebook cell belongs to the one
    concept it is most about (``_claim``), so one cell is not asked under three concepts
    ("DataFrame", "column", "column name") as three copies of one exercise. Made once per
    corpus and concept list."""
    cache = view.corpus.__dict__.get("_cell_owners")
    if cache is not None and cache[0] is view.concepts:
        return cache[1]
    best: dict[tuple, tuple] = {}
    for c in view.concepts:
        v = view.view_of(c)
        for u in v.code_units:
            if u.kind == "cell":
                key = (u.doc, u.section.start)
                claim = _claim(v, u)
                if key not in best or claim > best[key]:
                    best[key] = claim
    owner = {k: claim[-1] for k, claim in best.items()}
    view.corpus.__dict__["_cell_owners"] = (view.concepts, owner)
    return owner
