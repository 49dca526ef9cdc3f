"""The state of one concept while a batch is read: its forms, scores, evidence and the marks
of teaching that admit it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Concept:
    key: str
    kind: str = "term"
    surfaces: Counter = field(default_factory=Counter)
    heading_surfaces: Counter = field(default_factory=Counter)
    short_forms: set[str] = field(default_factory=set)
    best: float = -1e9
    total: float = 0.0
    groups: int = 0
    docs: set[int] = field(default_factory=set)
    definition: tuple[float, int, int, int] | None = None  # (-strength, doc, start, end)
    mentions: list[tuple[int, int, int]] = field(default_factory=list)
    # Mentions in groups where the concept was not selected, one per document (evidence that
    # the concept is used there too).
    other_mentions: dict[int, tuple[int, int]] = field(default_factory=dict)
    code: list[tuple[int, int, int]] = field(default_factory=list)
    # A sentence of the group that introduced a term no candidate represented there (a heading
    # term, an API): its evidence when it has no other.
    fallback: tuple[int, int, int] | None = None
    # Where the concept is introduced: its first mention in the first group that selected it
    # (``Batch.attribute`` may move it to ``mentioned``, its first mention anywhere).
    first_seen: tuple[int, int] = (1 << 30, 0)
    mentioned: tuple[int, int] = (1 << 30, 0)
    name: str = ""
    code_definition: str = ""
    fixed_importance: float | None = None
    # Evidence that the material teaches it: "heading", "definition", "emphasis", "api", "genus".
    taught: set[str] = field(default_factory=set)
    label_hits: int = 0  # groups where a comment labels a block with it
    symbol_kind: str = ""  # code: "module", "class" or "function"
