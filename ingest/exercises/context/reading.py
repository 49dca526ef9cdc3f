"""What the parts of a concept's view read of it: ``ViewLike``, the attributes of a
``view.ConceptView`` that ``sentences``, ``longer_names`` and ``code_units`` use (a Protocol,
so the view can call them without them importing it back)."""

from __future__ import annotations

import re
from typing import Protocol

from teachback.core.document import Document
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises.context.defining import Defining
from teachback.ingest.exercises.corpus import Corpus, Sentence


class ViewLike(Protocol):
    concept: ConceptDraft
    concepts: list[ConceptDraft]
    corpus: Corpus
    documents: list[Document]
    names: list[str]
    _lower_names: list[str]
    pattern: re.Pattern | None
    mentions: list[tuple[Sentence, re.Match]]
    defining: list[Defining]
    teaching: list[Defining]
    statements: list[Defining]
    uses: list[Defining]
    facts_taught: list[Defining]
    _longer: list[re.Pattern]

    def view_of(self, other: ConceptDraft) -> ViewLike: ...

    def related_views(self, limit: int = 12) -> list[tuple[ViewLike, float]]: ...

    def after_code_name(self, text: str) -> bool: ...

    def part_of_longer(self, text: str) -> bool: ...
