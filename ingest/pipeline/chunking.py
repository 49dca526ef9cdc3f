"""Passages: sections longer than a passage split at paragraph, line or sentence ends."""

from __future__ import annotations

from teachback.core.document import Document, Section

CHUNK_CHARS = 2000  # longest passage stored; longer sections split at paragraph/sentence ends


def _split_points(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Split ``[start, end)`` into pieces of at most ``limit`` chars, at a blank line, else a
    line end, else a sentence end, else a space (hard cut as a last resort)."""
    pieces = []
    while end - start > limit:
        window = text[start : start + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            at = window.rfind(sep, limit // 3)
            if at > 0:
                cut = at + len(sep)
                break
        if cut <= 0:
            cut = limit
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, end))
    return pieces


def chunk_document(doc: Document, limit: int = CHUNK_CHARS) -> Document:
    """The document with sections longer than ``limit`` split into passages (signals kept on
    each piece that contains them; other fields copied). Short sections are unchanged."""
    out: list[Section] = []
    for sec in doc.sections:
        if sec.end - sec.start <= limit or doc.text[sec.start : sec.end] != sec.text:
            out.append(sec)
            continue
        for s, e in _split_points(doc.text, sec.start, sec.end, limit):
            piece = doc.text[s:e]
            signals = _signals_in(sec.signals, piece)
            out.append(Section(sec.kind, s, e, piece, sec.heading_path, sec.locator, signals))
    return Document(
        doc.path, doc.format, doc.title, doc.text, out, doc.sha256, doc.language, doc.meta
    )


def _signals_in(signals: dict, piece: str) -> dict:
    """A section's signals as they apply to one piece of it: a list of strings keeps those
    found in the piece (and is left out when none is); any other signal is kept whole."""
    out = {}
    for key, value in signals.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            kept = [v for v in value if v in piece]
            if kept:
                out[key] = kept
        else:
            out[key] = value
    return out
