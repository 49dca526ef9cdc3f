"""Groups: consecutive prose sections under one heading, the unit a section's concept list is
chosen from (a long run is cut at about ``GROUP_CHARS`` characters)."""

from __future__ import annotations

from dataclasses import dataclass, field

from teachback.core.document import Document, Section
from teachback.ingest.concepts.module_titles import (
    explanation,
    module_title,
    opens_docstring,
)
from teachback.ingest.concepts.settings import GROUP_CHARS, PROSE_KINDS


@dataclass
class Group:
    """Prose under one heading: spans of ``Document.text`` and their merged signals."""

    spans: list[tuple[int, int]]
    heading_path: tuple[str, ...]
    signals: dict = field(default_factory=dict)
    kind: str = "prose"
    size: int = 0


def split_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` at line breaks (or spaces) into pieces of about ``limit`` chars."""
    out = []
    while end - start > limit:
        cut = text.rfind("\n", start + limit // 2, start + limit)
        if cut < 0:
            cut = text.rfind(" ", start + limit // 2, start + limit)
        if cut < 0:
            cut = start + limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _fits(group: Group, section: Section, size: int) -> bool:
    """A piece of ``section`` can join ``group``: same heading, same kind, room left."""
    return (
        section.heading_path == group.heading_path
        and group.size + size <= GROUP_CHARS
        and section.kind == group.kind
    )


def groups_of(doc: Document) -> list[Group]:
    """Consecutive prose sections under one heading, cut at about ``GROUP_CHARS`` characters."""
    out: list[Group] = []
    cur: Group | None = None
    for s in doc.sections:
        if s.kind not in PROSE_KINDS:
            if s.kind == "heading" and cur is not None:
                out.append(cur)
                cur = None
            continue
        for a, b in split_long(doc.text, s.start, s.end, GROUP_CHARS):
            if cur is not None and not _fits(cur, s, b - a):
                out.append(cur)
                cur = None
            if cur is None:
                cur = Group([], s.heading_path, {}, s.kind)
            cur.spans.append((a, b))
            cur.size += b - a
        if cur is not None:
            _merge_signals(cur, s)
    if cur is not None:
        out.append(cur)
    return out


def _merge_signals(group: Group, section: Section) -> None:
    for key in ("emphasis", "code_spans"):
        if section.signals.get(key):
            group.signals.setdefault(key, []).extend(section.signals[key])
    module = section.signals.get("symbol_kind") == "module"
    if section.kind == "docstring" and module and opens_docstring(section.text):
        # (a module docstring's title is its topic, as a heading is a section's)
        title = module_title(section.text, str(section.signals.get("symbol", "")))
        if title:
            span = explanation(section.text)
            at = (section.start + span[0], section.start + span[1]) if span else None
            group.signals.setdefault("titles", []).append((title, at))
