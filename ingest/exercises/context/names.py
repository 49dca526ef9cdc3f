"""A concept's names as exercises write and match them: its name and aliases (``names_of``), how
a prompt shows it (``display_name``), and whether two name lists denote one thing."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises.text import clean_for_prompt, inflections


def names_of(concept: ConceptDraft) -> list[str]:
    """The concept's name and aliases (and, for code, an identifier-like short name)."""
    return list(_names(concept.name, tuple(concept.aliases), concept.kind))


@lru_cache(maxsize=20_000)
def _names(name: str, aliases: tuple[str, ...], kind: str) -> tuple[str, ...]:
    concept = ConceptDraft(name=name, aliases=list(aliases), kind=kind)
    names = [concept.name] + [a for a in concept.aliases if a]
    if concept.kind == "code":
        # "pkg.mod.bucket_index" is also "bucket_index"; but "pkg.hashing" is not "hashing":
        # a plain English word would match the prose about hashing in general
        shorts = [n.rsplit(".", 1)[-1] for n in names if "." in n]
        names += [x for x in shorts if re.search(r"_|\d|[a-z][A-Z]|^[A-Z]", x)]
    seen, out = set(), []
    for n in names:
        key = n.lower()
        if key not in seen:
            seen.add(key)
            out.append(n)
    return tuple(out)


def display_name(concept: ConceptDraft) -> str:
    return clean_for_prompt(concept.name)


def same_concept_names(a: list[str], b: list[str]) -> bool:
    """Whether two name lists denote the same thing (shared inflection or near-identical)."""
    fa = {f for n in a for f in inflections(n)}
    fb = {f for n in b for f in inflections(n)}
    if fa & fb:
        return True
    return any(fuzz.ratio(x.lower(), y.lower()) >= 90 for x in a for y in b)
