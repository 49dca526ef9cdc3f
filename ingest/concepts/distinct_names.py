"""Concept names a learner can tell apart: concepts whose names read the same are named by
what they are.

Code symbols of different kinds that share a name (the module ``queue`` and its class
``Queue``) are named with their kind: "queue module", "Queue class". Symbols of the same kind
(the functions ``shlex.join`` and ``textwrap.join``) are named by their qualified names. A term
that shares its name with another term is named with the title of the document it was first
seen in, unless that is a code file, whose "title" is its docstring: then its file's name.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePath

from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.concept import Concept
from teachback.ingest.concepts.naming import canonical, sentence_case


def plain_name(batch: Batch, c: Concept) -> str:
    """The name the concept would have alone."""
    return c.name or sentence_case(
        canonical(c, batch.short_of.get(c.key)), batch.capitalised_mid_sentence
    )


def symbol(c: Concept) -> str:
    """The qualified name a code concept is defined as ("queue.Queue"), or ""."""
    return c.key.split(":", 1)[1] if c.kind == "code" and c.key.startswith("code:") else ""


def distinct_names(batch: Batch, concepts: list[Concept]) -> dict[str, str]:
    """``{concept key: name}`` for ``concepts`` (in order of first appearance), no two names
    the same but for case: the module ``queue`` and the class ``queue.Queue`` -> "queue
    module", "Queue class"; the functions ``shlex.join`` and ``textwrap.join`` ->
    "shlex.join", "textwrap.join"."""
    plain = {c.key: plain_name(batch, c) for c in concepts}
    clashing: dict[str, list[Concept]] = defaultdict(list)
    for c in concepts:
        clashing[plain[c.key].lower()].append(c)
    names = dict(plain)
    for group in clashing.values():
        if len(group) > 1:
            names.update(_told_apart(group, plain))
    # Whatever still reads the same (a term beside a code name, two terms): the later one is
    # named with where it was first seen.
    used: set[str] = set()
    for c in concepts:
        name = names[c.key]
        if name.lower() in used:
            name = f"{name} ({_place(batch, c)})"
        names[c.key] = name
        used.add(name.lower())
    return names


def _told_apart(group: list[Concept], plain: dict[str, str]) -> dict[str, str]:
    """Names for the code concepts of one clashing group: with their kind when no other
    concept of the group is a symbol of that kind, else their qualified name."""
    code = [c for c in group if symbol(c) and c.symbol_kind]
    kinds = defaultdict(int)
    for c in code:
        kinds[c.symbol_kind] += 1
    out = {}
    for c in code:
        if kinds[c.symbol_kind] == 1:
            out[c.key] = f"{plain[c.key]} {c.symbol_kind}"
        elif symbol(c).lower() != plain[c.key].lower():
            out[c.key] = symbol(c)
    return out


def _place(batch: Batch, c: Concept) -> str:
    """Where a concept was first seen, as a learner knows the document: its title, or for a
    code file (whose title is its docstring) the file's name."""
    doc = batch.documents[c.first_seen[0]] if c.first_seen[0] < len(batch.documents) else None
    if doc is None:
        return "source"
    if doc.format == "code":
        return PurePath(doc.path).name or "source"
    return doc.title or "source"
