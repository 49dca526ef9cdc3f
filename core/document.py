"""What every reader produces: a ``Document`` of ordered ``Section``s with spans.

``Document.text`` is the text the spans point into:

* for plain text, Markdown and code files it is the decoded file itself, byte for byte after
  decoding, so ``text[start:end]`` is exactly what the file says there;
* for formats whose text must be extracted (HTML, PDF, notebooks) it is the extracted text, and
  each section's ``locator`` says where it came from in the original ("page 3", "cell 7",
  "<article> p 4").

Sections are in reading order and do not overlap. Readers never execute anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SectionKind = Literal["heading", "prose", "code", "output", "docstring", "doctest", "comment"]


@dataclass
class Section:
    kind: SectionKind
    start: int
    end: int
    text: str
    # Titles of the enclosing headings, outermost first: ("Osmosis", "In plants").
    heading_path: tuple[str, ...] = ()
    # Where in the original this came from, for formats whose text is extracted.
    locator: str = ""
    # Structural signals a concept extractor may use: emphasised terms, code spans,
    # defined symbols ({"emphasis": [...], "code_spans": [...], "symbol": "pkg.mod.func",
    # "signature": "...", "expected_output": "..."}).
    signals: dict = field(default_factory=dict)


@dataclass
class Document:
    path: str  # as given by the user (or "archive.zip!inner/path.md" for zip members)
    format: str  # "markdown" | "html" | "pdf" | "text" | "notebook" | "code"
    title: str
    text: str
    sections: list[Section]
    sha256: str = ""  # of the raw bytes
    language: str = ""  # programming language for code files ("python", "javascript", ...)
    meta: dict = field(default_factory=dict)

    def section_text_matches(self) -> bool:
        """True when every section's text equals ``text[start:end]`` (a reader invariant)."""
        return all(self.text[s.start : s.end] == s.text for s in self.sections)
