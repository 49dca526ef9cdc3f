"""Spans checked against their source: a quote is kept only where it really is the text."""

from __future__ import annotations

from teachback.core.document import Document
from teachback.engine.protocol import Span


def locate(span: Span, text: str) -> tuple[int, int] | None:
    """``(start, end)`` where ``span.quote`` really is in ``text``: its own span when it
    matches, else the occurrence nearest to it; ``None`` when the quote is not there."""
    if 0 <= span.start <= span.end <= len(text) and text[span.start : span.end] == span.quote:
        return span.start, span.end
    if not span.quote:
        return None
    best, at = None, text.find(span.quote)
    while at >= 0:
        if best is None or abs(at - span.start) < abs(best - span.start):
            best = at
        at = text.find(span.quote, at + 1)
    return (best, best + len(span.quote)) if best is not None else None


def locate_in(span: Span, by_path: dict[str, Document]) -> tuple[int, int] | None:
    """``locate`` in the document ``span.source`` names (``None`` when there is none)."""
    doc = by_path.get(span.source)
    return locate(span, doc.text) if doc is not None else None


def grounded(spans: list[Span], by_path: dict[str, Document]) -> list[Span]:
    """The spans whose quote is in their document, each moved to where it really is."""
    out = []
    for span in spans:
        where = locate_in(span, by_path)
        if where is not None:
            out.append(Span(source=span.source, start=where[0], end=where[1], quote=span.quote))
    return out
