"""PDF reader (pypdf, pure Python): the text layer, page by page.

``Document.text`` is the extracted text of every page, pages separated by a blank line. Each
page is split into paragraphs (blank lines, or a short line ending a sentence); a paragraph of
one short line with no closing punctuation that is followed by more text becomes a ``heading``.
``locator`` is ``"page N"`` (1-based); ``signals["page"]`` the same number. Page numbers and
running heads/footers (lines repeated at the top or bottom of most pages) stay in the text but
are not sections.

A PDF with no text layer (a scan or images only) is a ``SourceError`` that says so, as is an
encrypted PDF that needs a password and a file pypdf cannot parse. Nothing in the PDF (scripts,
forms, attachments) is run or opened.

Not handled: OCR; multi-column layouts come out in pypdf's order; hyphenation is kept.
"""

from __future__ import annotations

import io
import logging
import re

from teachback.core.document import Document, Section
from teachback.errors import SourceError
from teachback.ingest.readers.registry import register_reader
from teachback.ingest.readers.spans import sha256, stem_title, trim

_HEADING_END = ".,;:!?)"
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+\S")


_PAGE_NUMBER = re.compile(r"^\W*(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\W*$", re.I)


def _norm(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def running_lines(pages: list[str]) -> set[str]:
    """Normalised lines that repeat at the top or bottom of many pages (running heads, footers).

    A line counts when, with digits masked, it is the first or last non-blank line of at least
    three pages and of at least half of them (page numbers alone are dropped separately).
    """
    if len(pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for page in pages:
        lines = [t for t in page.split("\n") if t.strip()]
        for key in {_norm(t) for t in lines[:1] + lines[-1:]}:
            counts[key] = counts.get(key, 0) + 1
    return {k for k, n in counts.items() if n >= 3 and n >= len(pages) / 2}


def _paragraph_spans(page: str, skip: set[str] | frozenset = frozenset()) -> list[tuple[int, int]]:
    """Split a page's text into paragraph spans (relative to the page), leaving out page numbers
    and the running lines in ``skip``."""
    lines = []
    pos = 0
    for line in page.split("\n"):
        if _PAGE_NUMBER.match(line.strip()) or (skip and _norm(line) in skip):
            line_for_layout = ""
        else:
            line_for_layout = line
        lines.append((pos, pos + len(line), line_for_layout))
        pos += len(line) + 1
    lengths = sorted(len(t.strip()) for _, _, t in lines if t.strip())
    typical = lengths[int(len(lengths) * 0.75)] if lengths else 0
    spans: list[tuple[int, int]] = []
    cur: list[tuple[int, int]] = []

    def flush():
        if cur:
            spans.append((cur[0][0], cur[-1][1]))
            cur.clear()

    for i, (s, e, t) in enumerate(lines):
        stripped = t.strip()
        if not stripped:
            flush()
            continue
        nxt = lines[i + 1][2].strip() if i + 1 < len(lines) else ""
        looks_heading = (
            len(stripped) < 80
            and len(stripped.split()) <= 10
            and stripped[-1] not in _HEADING_END
            and (stripped[0].isupper() or _NUMBERED.match(stripped))
            and typical
            and len(stripped) < 0.7 * typical
            and nxt[:1].isupper()
        )
        if looks_heading:
            flush()
            spans.append((s, e))
            continue
        cur.append((s, e))
        # A short line that ends a sentence usually ends its paragraph.
        if typical and len(stripped) < 0.7 * typical and stripped[-1] in ".!?:" and nxt:
            flush()
    flush()
    return spans


def read_pdf(name: str, data: bytes, hints: dict | None = None) -> Document:
    if not data.strip():
        raise SourceError(name, "empty file (nothing to read)")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise SourceError(name, "not a PDF file (it does not start with %PDF)")
    pages, info_title = _pages_and_title(name, data)
    if not pages:
        raise SourceError(name, "PDF has no pages")
    if not any(p.strip() for p in pages):
        raise SourceError(
            name,
            f"PDF has no text layer ({len(pages)} page(s) of images or drawings only); "
            "it needs OCR before it can be read",
        )
    sections, first_text = _page_sections(pages)
    title = info_title or (first_text.splitlines()[0][:120] if first_text else stem_title(name))
    return Document(
        path=name,
        format="pdf",
        title=title,
        text="\n\n".join(pages),
        sections=sections,
        sha256=sha256(data),
        meta={"pages": len(pages)},
    )


_UNREADABLE = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    OSError,
)


def _pages_and_title(name: str, data: bytes) -> tuple[list[str], str]:
    """Each page's text (newlines normalised) and the title in the document's metadata; a
    PDF that cannot be read, or needs a password, is a clear error."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise SourceError(name, "encrypted PDF: it needs a password to read")
        pages = [
            (page.extract_text() or "").replace("\r\n", "\n").replace("\r", "\n")
            for page in reader.pages
        ]
        return pages, _info_title(reader)
    except SourceError:
        raise
    except (PdfReadError, *_UNREADABLE) as exc:
        raise SourceError(
            name,
            f"not a readable PDF ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else 'corrupt'})",
        ) from None


def _opens_without_password(reader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001
        return False


def _info_title(reader) -> str:
    try:
        if reader.metadata and reader.metadata.title:
            return str(reader.metadata.title).strip()
    except Exception:  # noqa: BLE001 - metadata is optional
        pass
    return ""


def _page_sections(pages: list[str]) -> tuple[list[Section], str]:
    """The pages' paragraphs as sections (offsets into the pages joined by blank lines), with
    the first text, for a title. Lines repeated on most pages (running heads) are skipped."""
    sections: list[Section] = []
    pos = 0
    path: tuple[str, ...] = ()
    first_text = ""
    skip = running_lines(pages)
    for number, page in enumerate(pages, start=1):
        if number > 1:
            pos += 2
        for s, e in _paragraph_spans(page, skip):
            s, e = trim(page, s, e)
            if e <= s:
                continue
            chunk = page[s:e]
            is_heading = "\n" not in chunk and chunk[-1] not in _HEADING_END and len(chunk) < 80
            # A lone short line is a heading only when _paragraph_spans split it off as one.
            kind = "heading" if is_heading and len(chunk.split()) <= 10 else "prose"
            if kind == "heading":
                path = (chunk,)
            first_text = first_text or chunk
            sections.append(
                Section(
                    kind=kind,
                    start=pos + s,
                    end=pos + e,
                    text=chunk,
                    heading_path=path,
                    locator=f"page {number}",
                    signals={"page": number},
                )
            )
        pos += len(page)
    return sections, first_text


register_reader("pdf", (".pdf",), read_pdf)
