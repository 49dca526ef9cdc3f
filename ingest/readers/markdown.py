"""Markdown reader: markdown-it-py block tokens and their line maps give the sections.

* ``Document.text`` is the decoded file, unchanged, so ``text[start:end]`` is the file there.
* One section per top-level block: headings (span = the heading's words, without ``#``),
  paragraphs, each top-level list item, block quotes, tables, HTML blocks (kind ``prose``),
  fenced and indented code (kind ``code``). Thematic breaks and blank lines fall between
  sections.
* ``heading_path``: the titles of the enclosing headings, outermost first; a heading section's
  own path ends with its own title.
* ``signals``: ``emphasis`` (em and strong text), ``strong`` (strong only: bold key terms),
  ``code_spans``, ``links`` (targets), ``link_texts``; code sections: ``language`` (the fence
  info word) and, when they hold ``>>>`` examples, ``doctests`` ([{"source", "want"}]).
* YAML front matter (``---`` ... ``---`` at the top) is not a section; its ``title:`` is used as
  the document title when there is no ``#`` heading.

Images: with ``hints["root"]`` (the ingested folder) and ``hints["file"]`` (this file on disk),
the local image files the text links to are read into ``meta["images"]`` (see ``images``).

Not handled: reference-style link definitions are not reported as links; Markdown extensions
beyond tables and strikethrough (footnotes, math) are read as plain paragraphs.
"""

from __future__ import annotations

import doctest
import re
from functools import lru_cache

from markdown_it import MarkdownIt

from teachback.core.document import Document, Section
from teachback.ingest.readers.decoding import decode_text
from teachback.ingest.readers.images import markdown_images
from teachback.ingest.readers.registry import register_reader
from teachback.ingest.readers.spans import line_span, line_starts, section, sha256, stem_title

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(---|\.\.\.)[ \t]*(\r?\n|\Z)", re.S)
_TITLE_IN_FRONT_MATTER = re.compile(r"^title:\s*[\"']?(.+?)[\"']?\s*$", re.M)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


_SIGNAL_KEYS = ("emphasis", "strong", "code_spans", "links", "link_texts")


def _inline_signals(inline) -> tuple[dict, str]:
    """Signals and plain text of one inline token."""
    found: dict[str, list[str]] = {key: [] for key in _SIGNAL_KEYS}
    plain: list[str] = []
    open_: list[tuple[str, list[str]]] = []  # (kind, collected text) for em/strong/link
    for child in inline.children or []:
        t = child.type
        if t in ("em_open", "strong_open", "link_open"):
            open_.append((t[:-5], []))
            if t == "link_open" and child.attrGet("href"):
                found["links"].append(str(child.attrGet("href")))
        elif t in ("em_close", "strong_close", "link_close"):
            if open_:
                _close(found, *open_.pop())
        else:
            piece = _inline_text(child, found["code_spans"])
            plain.append(piece)
            for _, parts in open_:
                parts.append(piece)
    signals = {key: values for key, values in found.items() if values}
    return signals, " ".join("".join(plain).split())


def _close(found: dict[str, list[str]], kind: str, parts: list[str]) -> None:
    """An emphasis, strong or link span ends: its words are recorded under its kinds."""
    words = " ".join("".join(parts).split())
    if not words:
        return
    if kind in ("em", "strong"):
        found["emphasis"].append(words)
    if kind == "strong":
        found["strong"].append(words)
    if kind == "link":
        found["link_texts"].append(words)


def _inline_text(child, code_spans: list[str]) -> str:
    """The plain text an inline token shows (inline HTML none); a code span is also recorded."""
    t = child.type
    if t in ("text", "code_inline"):
        if t == "code_inline" and child.content.strip():
            code_spans.append(child.content.strip())
        return child.content
    if t in ("softbreak", "hardbreak"):
        return " "
    if t == "image":
        return child.content
    return ""


def _merge(into: dict, more: dict) -> None:
    for key, values in more.items():
        into.setdefault(key, []).extend(values)


def doctest_examples(code: str) -> list[dict]:
    """``>>>`` examples in a block of text, parsed (never run): [{"source", "want"}]."""
    if ">>>" not in code:
        return []
    try:
        examples = doctest.DocTestParser().get_examples(code)
    except ValueError:
        return []
    return [{"source": e.source.rstrip("\n"), "want": e.want.rstrip("\n")} for e in examples]


def _blocks(tokens) -> list[tuple[int, int, int]]:
    """(first token, last token, map owner token) for each top-level block, list items split."""
    out = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.level != 0 or tok.map is None:
            i += 1
            continue
        if tok.nesting == 1:
            close = tok.type[: -len("_open")] + "_close"
            j = i + 1
            while j < n and not (tokens[j].level == 0 and tokens[j].type == close):
                j += 1
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                k = i + 1
                while k < j:
                    if tokens[k].type == "list_item_open" and tokens[k].level == 1:
                        m = k + 1
                        while m < j and not (
                            tokens[m].type == "list_item_close" and tokens[m].level == 1
                        ):
                            m += 1
                        out.append((k, m, k))
                        k = m
                    k += 1
            else:
                out.append((i, j, i))
            i = j + 1
        else:
            out.append((i, i, i))
            i += 1
    return out


def parse_markdown(
    text: str,
    *,
    base: int = 0,
    heading_path: tuple[str, ...] = (),
    heading_levels: tuple[int, ...] = (),
    locator: str = "",
    extra_signals: dict | None = None,
) -> tuple[list[Section], tuple[str, ...], tuple[int, ...], str]:
    """Sections of Markdown ``text`` whose offsets are shifted by ``base``.

    ``heading_path``/``heading_levels`` carry the open headings in from earlier text (a notebook's
    previous cells); the updated pair comes back, with the first h1 (or first heading) title.
    Returns ``(sections, heading_path, heading_levels, title)``.
    """
    src = text
    m = _FRONT_MATTER.match(text)
    if m:
        # Blank out front matter but keep its line count so token maps still line up.
        blank = re.sub(r"[^\r\n]", " ", m.group(0))
        src = blank + text[m.end() :]
    tokens = _parser().parse(src)
    starts = line_starts(text)
    headings = _Headings(list(heading_path), list(heading_levels))
    sections: list[Section] = []
    for first, last, owner in _blocks(tokens):
        tok = tokens[owner]
        if tok.type == "hr":
            continue
        start, end = line_span(text, starts, tok.map[0], tok.map[1] - 1)
        signals, plain = _block_signals(tokens[first : last + 1], extra_signals)
        if tok.type == "heading_open":
            kind, level = "heading", int(tok.tag[1:])
            start, end = _heading_span(text, tokens, first, start, end)
            headings.enter(level, plain)
            signals["level"] = level
        elif tok.type in ("fence", "code_block"):
            kind = "code"
            signals.update(_code_signals(tok))
        else:
            kind = "prose"
        path = tuple(headings.path)
        sec = section(text, kind, start, end, heading_path=path, locator=locator, signals=signals)
        if sec is not None:
            sec.start += base
            sec.end += base
            sections.append(sec)
    title = headings.title
    if not title and m:
        fm = _TITLE_IN_FRONT_MATTER.search(m.group(1) or "")
        if fm:
            title = fm.group(1).strip()
    return sections, tuple(headings.path), tuple(headings.levels), title or headings.first


class _Headings:
    """The open headings (titles and levels), the first h1's title and the first heading's."""

    def __init__(self, path: list[str], levels: list[int]):
        self.path, self.levels = path, levels
        self.title = self.first = ""

    def enter(self, level: int, heading_title: str) -> None:
        """A heading closes those at its level or deeper, then opens (when it has a title)."""
        while self.levels and self.levels[-1] >= level:
            self.levels.pop()
            self.path.pop()
        if heading_title:
            self.path.append(heading_title)
            self.levels.append(level)
            if level == 1 and not self.title:
                self.title = heading_title
            self.first = self.first or heading_title


def _block_signals(tokens, extra_signals: dict | None) -> tuple[dict, str]:
    """A block's signals (``extra_signals`` first) and its plain text, from its inline tokens."""
    signals: dict = dict(extra_signals or {})
    plain_parts = []
    for t in tokens:
        if t.type == "inline":
            sig, plain = _inline_signals(t)
            _merge(signals, sig)
            plain_parts.append(plain)
    return signals, " ".join(plain_parts).strip()


def _heading_span(text: str, tokens, first: int, start: int, end: int) -> tuple[int, int]:
    """A heading's span narrowed to its text (no ``#`` marks or underline) when found."""
    inline = tokens[first + 1] if first + 1 < len(tokens) else None
    if inline is not None and inline.type == "inline" and inline.content:
        found = text.find(inline.content, start, end)
        if found >= 0:
            return found, found + len(inline.content)
    return start, end


def _code_signals(tok) -> dict:
    """A code block's language (from a fence's info string) and its doctest examples."""
    out: dict = {}
    lang = (tok.info or "").strip().split(" ")[0] if tok.type == "fence" else ""
    if lang:
        out["language"] = lang
    examples = doctest_examples(tok.content)
    if examples:
        out["doctests"] = examples
    return out


CHUNK_CHARS = 64_000  # parse long files in pieces of about this size (see chunks())
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def chunks(text: str, target: int = 64_000) -> list[tuple[int, int]]:
    """Split a long document into spans that can be parsed on their own.

    Splits only before an ATX heading at column 0 that follows a blank line outside fenced code,
    once the current chunk has ``target`` characters, so block structure is unchanged (a heading
    ends any paragraph, list or quote before it). Parsing pieces keeps time linear in size.
    """
    if len(text) <= target:
        return [(0, len(text))]
    out = []
    start = 0
    fence = ""
    prev_blank = True
    for m in _LINE.finditer(text):
        line = m.group()
        if not line:
            break
        f = _FENCE.match(line)
        if fence:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = ""
        elif f:
            fence = f.group(1)
        elif (
            line.startswith("#")
            and prev_blank
            and m.start() - start >= target
            and re.match(r"#{1,6}(\s|$)", line)
        ):
            out.append((start, m.start()))
            start = m.start()
        prev_blank = not line.strip()
    out.append((start, len(text)))
    return out


def read_markdown(name: str, data: bytes, hints: dict | None = None) -> Document:
    text, encoding = decode_text(name, data)
    sections: list[Section] = []
    path: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()
    title = ""
    skip = 1 if text.startswith("\ufeff") else 0  # a UTF-8 byte-order mark stays in text
    for start, end in chunks(text[skip:], CHUNK_CHARS):
        part, path, levels, part_title = parse_markdown(
            text[skip + start : skip + end],
            base=skip + start,
            heading_path=path,
            heading_levels=levels,
        )
        sections.extend(part)
        title = title or part_title
    meta: dict = {"encoding": encoding}
    if hints and hints.get("root") and "![" in text:
        images: dict = {}
        markdown_images(text, hints.get("file") or name, hints["root"], images)
        if images:
            meta["images"] = images
    return Document(
        path=name,
        format="markdown",
        title=title or stem_title(name),
        text=text,
        sections=sections,
        sha256=sha256(data),
        meta=meta,
    )


register_reader("markdown", (".md", ".markdown", ".mdown", ".mkd", ".mdx"), read_markdown)
