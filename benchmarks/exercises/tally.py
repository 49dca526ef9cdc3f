"""Counting a source's generated exercises: kept and rejected per kind, the self-check rules
behind the rejections, and kept exercises per concept with a definition (the coverage goal: at
least 3 kept of at least 2 kinds)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field


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

    def add(self, other: Tally) -> None:
        self.kept.update(other.kept)
        self.rejected.update(other.rejected)
        for kind, rules in other.rules.items():
            self.rules[kind].update(rules)
        self.per_concept += other.per_concept
        self.ok += other.ok
        self.any += other.any
        self.short += other.short

    @property
    def kinds(self) -> list[str]:
        return sorted(set(self.kept) | set(self.rejected))

    @property
    def pass_rate(self) -> float | None:
        return rate(sum(self.kept.values()), sum(self.rejected.values()))


def tally(results: list[tuple]) -> Tally:
    """``results``: ``(concept, kept, rejected)`` per concept, as ``measure`` returns them."""
    out = Tally()
    for concept, kept, rejected in results:
        out.kept.update(ex.kind for ex in kept)
        for ex in rejected:
            out.rejected[ex.kind] += 1
            for reason in ex.self_check.reasons:
                out.rules[ex.kind][reason.split(":")[0]] += 1
        if concept.definition.strip():
            _count_defined(out, concept, kept)
    return out


def _count_defined(out: Tally, concept, kept: list) -> None:
    kinds = {ex.kind for ex in kept}
    out.per_concept.append(len(kept))
    out.any += bool(kept)
    if len(kept) >= 3 and len(kinds) >= 2:
        out.ok += 1
    else:
        out.short.append(f"{concept.name} ({len(kept)} kept, {len(kinds)} kinds)")


def rate(kept: int, rejected: int) -> float | None:
    return round(kept / (kept + rejected), 3) if kept + rejected else None
