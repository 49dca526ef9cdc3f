"""Source files in languages we do not parse: code and comment sections, comments found by
each language family's line and block markers."""

from __future__ import annotations

from teachback.core.document import Section
from teachback.ingest.readers.spans import line_span, line_starts, section

_COMMENTS = {
    # family: (line markers, (block open, block close) pairs)
    "c": (("//",), (("/*", "*/"),)),
    "hash": (("#",), ()),
    "dash": (("--",), (("/*", "*/"), ("{-", "-}"), ("--[[", "]]"))),
}


def _line_kinds(text: str, starts: list[int], family: str) -> list[str]:
    """Each line's kind: "code", "comment" (a line comment or inside a block comment) or
    "blank"; a shebang line is code."""
    line_markers, blocks = _COMMENTS[family]
    kinds: list[str] = []
    close: str | None = None
    for i in range(len(starts) - 1):
        s, e = line_span(text, starts, i, i)
        stripped = text[s:e].strip()
        if close is not None:
            kinds.append("comment")
            if close in stripped:
                close = None
            continue
        if i == 0 and stripped.startswith("#!"):
            kinds.append("code")
            continue
        if not stripped:
            kinds.append("blank")
            continue
        if any(stripped.startswith(m) for m in line_markers) and not any(
            stripped.startswith(o) for o, _ in blocks
        ):
            kinds.append("comment")
            continue
        for opener, closer in blocks:
            if stripped.startswith(opener):
                kinds.append("comment")
                if closer not in stripped[len(opener) :]:
                    close = closer
                break
        else:
            kinds.append("code")
    return kinds


def comment_sections(text: str, family: str, language: str) -> list[Section]:
    """Code and comment sections of a source file in a language we do not parse."""
    starts = line_starts(text)
    n = len(starts) - 1
    kinds = _line_kinds(text, starts, family)
    out: list[Section] = []
    i = 0
    while i < n:
        if kinds[i] == "blank":
            i += 1
            continue
        j = i
        # a blank line inside a run of code stays in it; comments end at a blank line
        while j + 1 < n and (
            kinds[j + 1] == kinds[i]
            or (
                kinds[i] == "code"
                and kinds[j + 1] == "blank"
                and j + 2 < n
                and kinds[j + 2] == "code"
            )
        ):
            j += 1
        start, end = line_span(text, starts, i, j)
        sec = section(text, kinds[i], start, end, signals={"language": language})
        if sec:
            out.append(sec)
        i = j + 1
    return out
