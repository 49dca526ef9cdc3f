"""What the sources' code says about the concepts it defines.

``code_edges`` gives prerequisites as the code is built: a base class before its subclasses; a
module or class before what is defined inside it; what a definition imports or calls before it.
``code_only`` names the code concepts whose edges come from the code alone, and
``library_concepts`` the concepts named after a package the code imports (a library, not an
idea to learn first).
"""

from __future__ import annotations

import re
from collections import defaultdict

from teachback.core.document import Document
from teachback.engine.protocol import ConceptDraft, EdgeDraft
from teachback.ingest.prerequisites.mentions import word_zipf


def code_edges(concepts: list[ConceptDraft], documents: list[Document]) -> list[EdgeDraft]:
    """Prerequisites from code, as it is built: a base class before its subclasses; a module
    or class before what is defined inside it; what a definition imports or calls (a class
    it is composed of, a function it uses) before it."""
    resolve = _resolver(concepts)
    symbol_of, kind_of, uses = _code_uses(documents, resolve)
    edges: dict[tuple[str, str], EdgeDraft] = {}

    def add(a: str, b: str, weight: float, reason: str) -> None:
        if a != b and (a, b) not in edges and (b, a) not in edges:
            edges[(a, b)] = EdgeDraft(
                prerequisite=a, concept=b, kind="prerequisite", weight=weight, reason=reason
            )

    # Nesting first, so a call between an owner and what it holds follows the nesting.
    for inner, qual in sorted(symbol_of.items(), key=lambda kv: kv[1]):
        owner = _owner(inner, qual, resolve, symbol_of)
        if owner is not None:
            add(owner, inner, 0.85, f"{inner} is defined inside {owner}")
    for user, kind, name, _ in uses:
        dep = resolve(name)
        if dep is None or dep == user:
            continue
        if kind == "bases":
            add(dep, user, 0.95, f"{user} is a subclass of {dep}")
        elif kind == "calls" and kind_of.get(dep) not in ("class", "function", "method"):
            continue  # only callables are called: "model(x)" names a variable, not the module
        else:
            verb = (
                "imports" if kind == "imports" else "uses" if kind_of[dep] == "class" else "calls"
            )
            add(dep, user, 0.9 if kind == "calls" else 0.8, f"{user} {verb} {dep}")
    return list(edges.values())


def _resolver(concepts: list[ConceptDraft]):
    """``resolve(symbol) -> concept name or None``: a code concept by any of its names, or by
    its last part when that is unambiguous and the symbol is not qualified."""
    by_qual: dict[str, str] = {}
    by_short: dict[str, list[str]] = defaultdict(list)
    for c in concepts:
        if c.kind != "code":
            continue
        for form in [c.name, *c.aliases]:
            by_qual[form] = c.name
        by_short[c.name.rsplit(".", 1)[-1]].append(c.name)

    def resolve(name: str) -> str | None:
        if name in by_qual:
            return by_qual[name]
        short = by_short.get(name.rsplit(".", 1)[-1], [])
        return short[0] if len(short) == 1 and "." not in name else None

    return resolve


def _code_uses(documents: list[Document], resolve):
    """From the code's definitions: the symbol each code concept is defined as, its kind, and
    ``(user, kind, dependency, symbol)`` for each base, import and call (a method's or
    helper's are its enclosing concept's)."""
    symbol_of: dict[str, str] = {}  # concept -> qualified symbol it is defined as
    kind_of: dict[str, str] = {}
    uses: list[tuple[str, str, str, str]] = []  # (user, kind, dependency name, user symbol)
    for doc in documents:
        if doc.format != "code":
            continue
        for sec in doc.sections:
            sig = sec.signals
            if not sig.get("definition"):
                continue
            symbol = sig.get("symbol", "")
            user = resolve(symbol)
            if user is not None:
                symbol_of.setdefault(user, symbol)
                kind_of.setdefault(user, sig.get("symbol_kind", ""))
            else:
                user = _enclosing(symbol, resolve)
            if user is None:
                continue
            uses += [(user, "bases", base, symbol) for base in sig.get("bases") or []]
            for kind in ("imports", "calls"):
                uses += [(user, kind, name, symbol) for name in sig.get(kind) or []]
    return symbol_of, kind_of, uses


def _enclosing(symbol: str, resolve) -> str | None:
    """A method or private helper: the concept it is defined in."""
    parts = symbol.split(".")
    user = None
    while parts and user is None:
        parts = parts[:-1]
        user = resolve(".".join(parts)) if parts else None
    return user


def _owner(inner: str, qual: str, resolve, symbol_of: dict[str, str]) -> str | None:
    """The innermost concept that ``inner`` (defined as ``qual``) is defined inside."""
    parts = qual.split(".")[:-1]
    while parts:
        owner = resolve(".".join(parts))
        if owner is not None and owner != inner and symbol_of.get(owner) == ".".join(parts):
            return owner
        parts = parts[:-1]
    return None


def code_only(concepts: list[ConceptDraft], documents: list[Document]) -> set[int]:
    """Code concepts that get their edges from the code only: a symbol named by an ordinary
    word ("Block", "train") cannot be told from the word in prose, and a module's docstring
    mentions everything it holds (what a module builds on is in its code)."""
    modules = {
        sec.signals.get("symbol")
        for doc in documents
        if doc.format == "code"
        for sec in doc.sections[:3]
        if sec.signals.get("symbol_kind") == "module"
    }
    return {
        i
        for i, c in enumerate(concepts)
        if c.kind == "code"
        and (word_zipf(c.name.lower()) >= 3.0 or any(f in modules for f in [c.name, *c.aliases]))
    }


def library_concepts(concepts: list[ConceptDraft], documents: list[Document]) -> set[int]:
    """Concepts named after a package the sources' code imports but does not define
    ("NumPy" for ``import numpy``, "PyTorch" for ``import torch``). The prose names the library
    around everything it is used for, so it reads like a prerequisite of all of it; what a
    learner needs first is an idea (a NumPy array, a tensor), not the import. Such a concept
    stays a prerequisite only of what its name is part of ("NumPy array"); its other links
    are kept as "related". Only the name counts, spelt as the package is (letters and digits,
    any case, an optional "py" before it): an alias is too loose ("datasets" is both a
    package and the plural of a concept "dataset")."""
    imported: set[str] = set()
    defined: set[str] = set()
    for doc in documents:
        for sec in doc.sections:
            sig = sec.signals
            if sig.get("symbol_kind") == "module":
                defined.add(str(sig.get("symbol", "")).split(".")[0])
            imported.update(str(m).split(".")[0] for m in sig.get("imports") or [])
    roots = {r.lower() for r in imported - defined if r}
    forms = roots | {"py" + r for r in roots}
    return {
        i
        for i, c in enumerate(concepts)
        if c.kind == "term" and re.sub(r"[^a-z0-9]", "", c.name.lower()) in forms
    }
