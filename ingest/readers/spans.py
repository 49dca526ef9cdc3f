"""Small helpers for character spans shared by the readers."""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

from teachback.core.document import Section, SectionKind

# The line breaks markdown-it (and Python's ``ast`` line numbers) count: CRLF, CR, LF.
_NEWLINE = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Offset of the first character of every line; one extra entry, ``len(text)``, at the end.

    ``"ab\\ncd\\n"`` -> ``[0, 3, 6, 6]`` (three lines: "ab", "cd", "").
    """
    starts = [0]
    starts.extend(m.end() for m in _NEWLINE.finditer(text))
    starts.append(len(text))
    return starts


def line_span(text: str, starts: list[int], first: int, last: int) -> tuple[int, int]:
    """Span of lines ``first..last`` (0-based, inclusive) without the final line break."""
    first = max(0, min(first, len(starts) - 2))
    last = max(first, min(last, len(starts) - 2))
    start, end = starts[first], starts[last + 1]
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    return start, end


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it neither starts nor ends with whitespace (or a BOM)."""
    while start < end and (text[start].isspace() or text[start] == "\ufeff"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def section(
    text: str,
    kind: SectionKind,
    start: int,
    end: int,
    *,
    strip: bool = True,
    **fields,
) -> Section | None:
    """A ``Section`` over ``text[start:end]`` (trimmed), or ``None`` when it would be empty."""
    if strip:
        start, end = trim(text, start, end)
    if end <= start:
        return None
    return Section(kind=kind, start=start, end=end, text=text[start:end], **fields)


def without_bom(text: str) -> str:
    """``text`` with a leading U+FEFF replaced by a space: same length, so offsets agree."""
    return " " + text[1:] if text.startswith("\ufeff") else text


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stem_title(name: str) -> str:
    """A title from a file name: ``"dir/hash-tables_intro.md"`` -> ``"hash tables intro"``."""
    inner = name.rsplit("!", 1)[-1].replace("\\", "/")
    stem = PurePosixPath(inner).stem or inner
    return re.sub(r"[-_]+", " ", stem).strip() or inner
