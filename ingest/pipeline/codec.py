"""Documents to and from JSON, as the staging table holds them."""

from __future__ import annotations

from teachback.core.document import Document, Section


def doc_to_json(doc: Document) -> dict:
    """A JSON-ready dict of a document; a section's text is left out (``None``) when it is
    ``doc.text[start:end]``, as readers guarantee, which halves what is staged."""
    text = doc.text
    return {
        "path": doc.path,
        "format": doc.format,
        "title": doc.title,
        "text": text,
        "sha256": doc.sha256,
        "language": doc.language,
        "meta": doc.meta,
        "sections": [
            {
                "kind": sec.kind,
                "start": sec.start,
                "end": sec.end,
                "text": None if text[sec.start : sec.end] == sec.text else sec.text,
                "heading_path": list(sec.heading_path),
                "locator": sec.locator,
                "signals": sec.signals,
            }
            for sec in doc.sections
        ],
    }


def doc_from_json(data: dict) -> Document:
    """The document ``doc_to_json`` wrote (a left-out section text is its slice again)."""
    text = data["text"]
    sections = [
        Section(
            kind=s["kind"],
            start=s["start"],
            end=s["end"],
            text=s["text"] if s.get("text") is not None else text[s["start"] : s["end"]],
            heading_path=tuple(s.get("heading_path") or ()),
            locator=s.get("locator") or "",
            signals=s.get("signals") or {},
        )
        for s in data["sections"]
    ]
    return Document(
        path=data["path"],
        format=data["format"],
        title=data["title"],
        text=text,
        sections=sections,
        sha256=data.get("sha256") or "",
        language=data.get("language") or "",
        meta=data.get("meta") or {},
    )
