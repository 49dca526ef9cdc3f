"""Which concept a notebook cell belongs to, so one cell is asked under one concept only.

A cell belongs to the concept it is most about (``_claim``): its code uses the concept's code
name or a comment names it; else the prose just before it names it, the earlier the better.
"""

from __future__ import annotations

import re

from teachback.ingest.exercises.context import ConceptView


def _claim(view: ConceptView, unit) -> tuple:
    """How much a cell is about ``view``'s concept (higher is more): its code uses the
    concept's code name or a comment names it; else the prose just before it names it — the
    earlier in that prose, the more it is its subject ("The get method of a dictionary ..."
    is about the get method); then the longer (more specific) name."""
    code = unit.section.text
    comments = " ".join(re.findall(r"#[^\n]*", code))
    pattern = view.pattern
    api = [n.rsplit(".", 1)[-1] for n in view.names if re.fullmatch(r"[A-Za-z_][\w.]*", n)]
    calls = any(re.search(rf"\.{re.escape(n)}\b|\b{re.escape(n)}\(", code) for n in api if n)
    direct = view.concept.kind == "code" or calls or bool(pattern and pattern.search(comments))
    first = -(10**9)
    if not direct and pattern is not None:
        doc = view.documents[unit.doc]
        before = [s for s in doc.sections if s.end <= unit.section.start and s.kind != "output"]
        if before:
            found = pattern.search(before[-1].text)
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
