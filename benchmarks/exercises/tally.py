"""Counting a source's generated exercises: kept and rejected per kind, the self-check rules
behind the rejections, and kept exercises per concept with a definition (the coverage goal: at
least 3 kept of at least 2 kinds) — and, over every concept, the same goal for those whose
material allows it (a defining passage, code or an essay's labelled point, ``material.py``),
each concept below the goal with the rules its candidates were rejected by."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from teachback.benchmarks.exercises.material import ALLOWS


@dataclass
class Tally:
    """Exercise counts of one source, or of several added together."""

    kept: Counter = field(default_factory=Counter)  # kind -> kept
    rejected: Counter = field(default_factory=Counter)  # kind -> rejected
    rules: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    per_concept: list[int] = field(default_factory=list)  # kept, per concept with a definition
    ok: int = 0  # concepts with a definition that have >= 3 kept of >= 2 kinds
    any: int = 0  # concepts with a definition that have >= 1 kept
    short: list[str] = field(default_factory=list)  # the concepts below the goal, described
    material: Counter = field(default_factory=Counter)  # what the material allows -> concepts
    allowed: int = 0  # concepts with a defining passage, code, stated facts or a labelled point
    allowed_ok: int = 0  # ... that have >= 3 kept of >= 2 kinds
    allowed_short: list[str] = field(default_factory=list)  # ... below it, with why

    def add(self, other: Tally) -> None:
        self.kept.update(other.kept)
        self.rejected.update(other.rejected)
        for kind, rules in other.rules.items():
            self.rules[kind].update(rules)
        self.per_concept += other.per_concept
        self.ok += other.ok
        self.any += other.any
        self.short += other.short
        self.material.update(other.material)
        self.allowed += other.allowed
        self.allowed_ok += other.allowed_ok
        self.allowed_short += other.allowed_short

    @property
    def kinds(self) -> list[str]:
        return sorted(set(self.kept) | set(self.rejected))

    @property
    def pass_rate(self) -> float | None:
        return rate(sum(self.kept.values()), sum(self.rejected.values()))


def tally(results: list[tuple], materials: dict[str, str] | None = None) -> Tally:
    """``results``: ``(concept, kept, rejected)`` per concept, as ``measure`` returns them;
    ``materials``: what each concept's material allows, by name (``material.materials``)."""
    out = Tally()
    materials = materials or {}
    for concept, kept, rejected in results:
        out.kept.update(ex.kind for ex in kept)
        for ex in rejected:
            out.rejected[ex.kind] += 1
            for reason in ex.self_check.reasons:
                out.rules[ex.kind][reason.split(":")[0]] += 1
        if concept.definition.strip():
            _count_defined(out, concept, kept)
        if concept.name in materials:
            _count_material(out, concept, kept, rejected, materials[concept.name])
    return out


def enough(kept: list) -> bool:
    return len(kept) >= 3 and len({ex.kind for ex in kept}) >= 2


def _count_defined(out: Tally, concept, kept: list) -> None:
    kinds = {ex.kind for ex in kept}
    out.per_concept.append(len(kept))
    out.any += bool(kept)
    if enough(kept):
        out.ok += 1
    else:
        out.short.append(f"{concept.name} ({len(kept)} kept, {len(kinds)} kinds)")


def _count_material(out: Tally, concept, kept: list, rejected: list, material: str) -> None:
    out.material[material] += 1
    if material not in ALLOWS:
        return
    out.allowed += 1
    if enough(kept):
        out.allowed_ok += 1
        return
    rules = Counter(r.split(":")[0] for ex in rejected for r in ex.self_check.reasons)
    why = ", ".join(f"{r} {n}" for r, n in rules.most_common(3)) or (
        "none, no other candidate" if kept else "none, no candidate"
    )
    kinds = len({ex.kind for ex in kept})
    out.allowed_short.append(
        f"{concept.name} [{material}] ({len(kept)} kept, {kinds} kinds; rejected: {why})"
    )


def rate(kept: int, rejected: int) -> float | None:
    return round(kept / (kept + rejected), 3) if kept + rejected else None
