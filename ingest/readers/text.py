"""Plain-text reader: paragraphs (blank-line separated) become sections.

``Document.text`` is the decoded file, unchanged. A paragraph that looks like a heading becomes
a ``heading`` section and opens a ``heading_path`` entry:

* a line underlined with ``===`` / ``---`` / ``~~~`` (reStructuredText and setext style), or
* a single short line (at most 10 words) without closing punctuation, starting with a capital
  letter or a section number ("2.3 Load factor"), followed by more text.

Not handled: page headers/footers in text dumped from PDFs, hard-wrapped lists (each list is
one paragraph section).
"""

from __future__ import annotations

import re

from teachback.ingest.document import Document, Section
from teachback.ingest.readers.decoding import decode_text
from teachback.ingest.readers.registry import register_reader
from teachback.ingest.readers.spans import section, sha256, stem_title

_PARAGRAPH = re.compile(r"\S(?:.*?)(?=(?:\r?\n|\r)[ \t]*(?:\r?\n|\r)|\Z)", re.S)
_UNDERLINE = re.compile(r"^\s*([=\-~^*#])\1{2,}\s*$")
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.|chapter\s+\d+|section\s+\d+)\s", re.I)


def _is_heading_line(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > 90 or line[-1] in ".,;:!?)\"'":
        return False
    if len(line.split()) > 10:
        return False
    return line[0].isupper() or bool(_NUMBERED.match(line))


def paragraphs(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Spans of blank-line-separated paragraphs in ``text`` (shifted by ``base``)."""
    return [(m.start() + base, m.end() + base) for m in _PARAGRAPH.finditer(text)]


def text_sections(text: str, *, locator: str = "") -> tuple[list[Section], str]:
    """Sections of plain ``text`` and a title (the first heading, if any)."""
    sections: list[Section] = []
    path: list[str] = []
    levels: list[int] = []
    title = ""
    spans = paragraphs(text)
    underline_levels: dict[str, int] = {}
    for i, (start, end) in enumerate(spans):
        block = text[start:end]
        lines = block.splitlines()
        heading_level = 0
        heading_end = end
        if len(lines) >= 2 and _UNDERLINE.match(lines[1]) and len(lines[0].strip()) <= 90:
            char = lines[1].strip()[0]
            heading_level = underline_levels.setdefault(char, len(underline_levels) + 1)
            heading_end = start + len(lines[0].rstrip())
            rest_start = start + block.find(lines[1]) + len(lines[1])
        elif len(lines) == 1 and i + 1 < len(spans) and _is_heading_line(lines[0]):
            heading_level = 9  # below any underlined heading
            rest_start = end
        if heading_level:
            heading_title = text[start:heading_end].strip()
            while levels and levels[-1] >= heading_level:
                levels.pop()
                path.pop()
            path.append(heading_title)
            levels.append(heading_level)
            title = title or heading_title
            sec = section(
                text, "heading", start, heading_end, heading_path=tuple(path), locator=locator
            )
            if sec:
                sections.append(sec)
            rest = section(
                text, "prose", rest_start, end, heading_path=tuple(path), locator=locator
            )
            if rest:
                sections.append(rest)
            continue
        sec = section(text, "prose", start, end, heading_path=tuple(path), locator=locator)
        if sec:
            sections.append(sec)
    return sections, title


def read_text(name: str, data: bytes, hints: dict | None = None) -> Document:
    text, encoding = decode_text(name, data)
    sections, title = text_sections(text)
    return Document(
        path=name,
        format="text",
        title=title or stem_title(name),
        text=text,
        sections=sections,
        sha256=sha256(data),
        meta={"encoding": encoding},
    )


register_reader("text", (".txt", ".text", ".rst"), read_text)
