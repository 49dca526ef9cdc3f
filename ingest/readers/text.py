"""Plain-text reader: paragraphs (blank-line separated) become sections.

``Document.text`` is the decoded file, unchanged. A paragraph that looks like a heading becomes
a ``heading`` section and opens a ``heading_path`` entry:

* a line underlined with ``===`` / ``---`` / ``~~~`` (reStructuredText and setext style), or
* a single short line (at most 10 words) without closing punctuation, starting with a capital
  letter or a section number ("2.3 Load factor"), followed by more text (the first line of the
  file may have up to 20 words: a title).

Paragraphs are separated by blank lines; text written one paragraph per line (long lines, no
blank lines, as many web exports are) is split into its lines.

Not handled: page headers/footers in text dumped from PDFs, hard-wrapped lists (each list is
one paragraph section).
"""

from __future__ import annotations

import re

from teachback.core.document import Document, Section
from teachback.ingest.readers.decoding import decode_text
from teachback.ingest.readers.registry import register_reader
from teachback.ingest.readers.spans import section, sha256, stem_title, without_bom

_PARAGRAPH = re.compile(r"\S(?:.*?)(?=(?:\r?\n|\r)[ \t]*(?:\r?\n|\r)|\Z)", re.S)
_UNDERLINE = re.compile(r"^\s*([=\-~^*#])\1{2,}\s*$")
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.|chapter\s+\d+|section\s+\d+)\s", re.I)


_SMALL_WORDS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "but",
    "by",
    "for",
    "in",
    "of",
    "on",
    "or",
    "the",
    "to",
    "vs",
    "vs.",
    "with",
    "from",
    "into",
    "is",
}


def _title_case(line: str) -> bool:
    """Most words capitalised, as in "But Wait - Doesn't Paying Fix This?"."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if w.lower() not in _SMALL_WORDS]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _is_heading_line(line: str, *, first: bool = False) -> bool:
    """A short line with no closing punctuation that starts like a title.

    The first line of a file may be longer (a title such as "Karpathy: The AI Perception Gap -
    Two Groups Living in Parallel Universes").
    """
    line = line.strip()
    if not line:
        return False
    titled = _title_case(line)
    max_words = 20 if first else (18 if titled else 10)
    if len(line) > (160 if first else 130 if titled else 90):
        return False
    if line[-1] in ".,;)\"'" or (line[-1] in "?!" and not titled):
        return False
    if line[-1] == ":" and not first:
        return False
    if len(line.split()) > max_words:
        return False
    return line[0].isupper() or line[0].isdigit() or bool(_NUMBERED.match(line))


def paragraphs(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Spans of blank-line-separated paragraphs in ``text`` (shifted by ``base``)."""
    return [(m.start() + base, m.end() + base) for m in _PARAGRAPH.finditer(text)]


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of ``text[start:end]``."""
    out = []
    for m in re.finditer(r"[^\r\n]+", text[start:end]):
        if m.group().strip():
            out.append((start + m.start(), start + m.end()))
    return out


def _units(text: str) -> list[tuple[int, int]]:
    """Paragraph spans. Blank lines separate paragraphs; a block whose lines are long (text
    written one paragraph per line, as many exports are) is split into its lines; a very long
    block of wrapped lines is split after short lines that end a sentence."""
    units: list[tuple[int, int]] = []
    for start, end in paragraphs(text):
        lines = _lines(text, start, end)
        if len(lines) < 2:
            units.append((start, end))
            continue
        lengths = sorted(e - s for s, e in lines)
        median = lengths[len(lengths) // 2]
        if median > 100:
            units.extend(lines)
            continue
        if end - start < 1500:
            units.append((start, end))
            continue
        typical = lengths[int(len(lengths) * 0.75)]
        cur_start = lines[0][0]
        for i, (s, e) in enumerate(lines):
            line = text[s:e].rstrip()
            last = i + 1 == len(lines)
            is_heading = (
                not last
                and e - s < 0.7 * typical
                and _is_heading_line(line)
                and text[lines[i + 1][0]].isupper()
            )
            if is_heading:
                if cur_start < s:
                    units.append((cur_start, lines[i - 1][1]))
                units.append((s, e))
                cur_start = lines[i + 1][0]
            elif last or (e - s < 0.7 * typical and line[-1:] in ".!?"):
                units.append((cur_start, e))
                if not last:
                    cur_start = lines[i + 1][0]
    return units


def text_sections(text: str, *, locator: str = "") -> tuple[list[Section], str]:
    """Sections of plain ``text`` and a title: the opening heading, or the opening line when
    it is short (at most 25 words), else ``""``."""
    sections: list[Section] = []
    path: list[str] = []
    levels: list[int] = []
    title = ""
    spans = _units(text)
    underline_levels: dict[str, int] = {}
    for i, (start, end) in enumerate(spans):
        level, heading_end, rest_start = _heading(text, spans, i, underline_levels)
        if level:
            heading_title = text[start:heading_end].strip()
            while levels and levels[-1] >= level:
                levels.pop()
                path.pop()
            path.append(heading_title)
            levels.append(level)
            if i == 0:
                title = heading_title
            parts = [("heading", start, heading_end), ("prose", rest_start, end)]
        else:
            parts = [("prose", start, end)]
        for kind, a, b in parts:
            sec = section(text, kind, a, b, heading_path=tuple(path), locator=locator)
            if sec:
                sections.append(sec)
        if not level and i == 0 and sections and _title_line(sections[-1].text):
            title = sections[-1].text  # a one-line opening paragraph reads as the title
    return sections, title


def _title_line(text: str) -> bool:
    return "\n" not in text and len(text.split()) <= 25


def _heading(
    text: str, spans: list[tuple[int, int]], i: int, underline_levels: dict[str, int]
) -> tuple[int, int, int]:
    """(level, end of the heading, start of what follows it in the block) for block ``i``:
    an underlined heading (its level by underline character, in order of first use), a lone
    heading-like line (level 9, below any underlined heading), or level 0."""
    start, end = spans[i]
    block = text[start:end]
    lines = block.splitlines()
    if len(lines) >= 2 and _UNDERLINE.match(lines[1]) and len(lines[0].strip()) <= 90:
        char = lines[1].strip()[0]
        level = underline_levels.setdefault(char, len(underline_levels) + 1)
        return level, start + len(lines[0].rstrip()), start + block.find(lines[1]) + len(lines[1])
    if len(lines) == 1 and i + 1 < len(spans) and _is_heading_line(lines[0], first=(i == 0)):
        return 9, end, end
    return 0, end, end


def read_text(name: str, data: bytes, hints: dict | None = None) -> Document:
    text, encoding = decode_text(name, data)
    sections, title = text_sections(without_bom(text))  # same offsets; sections skip offset 0
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
