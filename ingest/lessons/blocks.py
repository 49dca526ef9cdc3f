"""The pieces a lesson is made of (``_Block``), the plan that collects them within the
lesson's budgets (``_Plan``), and a document's sections indexed by offset (``_Index``)."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from teachback.core.document import Document

MIN_WORDS = 60  # prose words below which more material is looked for
MAX_WORDS = 320  # prose words a lesson stops at
MAX_BLOCK_WORDS = 200  # a longer paragraph is excerpted at sentence boundaries
MAX_CODE_LINES = 40  # longer code is shown from its start, with a note of what is left out
# A concept's own definition a little over MAX_CODE_LINES is shown whole: cutting a few lines
# saves little and loses the end of what it does (an attention class without its softmax).
MAX_OWN_DEFINITION_LINES = 50
# A function is one thought read top to bottom: cut, it loses how it ends and what it returns
# (``heapq.merge`` shown to line 40 of 79 stops before it merges anything). Up to this length
# it is shown whole: 98 % of the standard library's functions (62 lines cover 97 %, 100 lines
# 99 %); a longer one is a routine its author did not split, shown from its start. A class
# keeps the lower limit: its lesson reads it through its parts.
MAX_OWN_FUNCTION_LINES = 80
MAX_CODE_BLOCKS = 3
MAX_OUTPUT_LINES = 20
MAX_IMAGES = 3
MAX_REGIONS = 3  # sections a lesson draws from
PROSE_KINDS = ("prose", "docstring")
IMAGE_SCHEME = "teachback-image:"


@dataclass
class _Block:
    """One piece of a lesson: a span of one source shown as ``text``."""

    path: str
    start: int
    end: int
    kind: str  # "prose" | "list" | "table" | "code" | "output" | "image" | "note"
    text: str
    words: int = 0
    language: str = ""
    cite: bool = True


@dataclass
class _Plan:
    blocks: list[_Block] = field(default_factory=list)
    spans: set[tuple[str, int, int]] = field(default_factory=set)
    words: int = 0
    code: int = 0
    images: int = 0
    regions: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    head: int = 0  # the first blocks, kept first whatever the source order
    as_code: bool = False  # the material writes the concept's name as code (`transform`)

    def has(self, path: str, start: int, end: int) -> bool:
        return any(p == path and s < end and start < e for p, s, e in self.spans)

    def add(self, block: _Block, *, force: bool = False) -> bool:
        if self.has(block.path, block.start, block.end) and block.kind != "image":
            return False
        if block.kind in ("code", "output"):
            if block.kind == "code" and self.code >= MAX_CODE_BLOCKS and not force:
                return False
            self.code += block.kind == "code"
        elif block.kind == "image":
            if self.images >= MAX_IMAGES:
                return False
            self.images += 1
        elif block.kind != "note":
            if self.words + block.words > MAX_WORDS and not force:
                return False
            self.words += block.words
        self.blocks.append(block)
        self.spans.add((block.path, block.start, block.end))
        return True

    def lead_with(self, blocks: list[_Block]) -> None:
        """Put ``blocks`` right after the lesson's head (whatever the budget), so they come
        before the related passages."""
        rest = self.blocks[self.head :]
        self.blocks = self.blocks[: self.head]
        for b in blocks:
            self.add(b, force=True)
        self.head = len(self.blocks)
        self.blocks += rest

    def drop_dangling_intro(self) -> None:
        """Drop a last paragraph that introduces what was not taken ("... accesses a column:")."""
        if self.blocks and self.blocks[-1].kind == "prose" and self.blocks[-1].text.endswith(":"):
            last = self.blocks.pop()
            self.words -= last.words
            self.spans.discard((last.path, last.start, last.end))


_CODE_NAME = re.compile(r"[\w.]+(?:\(\))?")
_SQUEEZED_OUT = re.compile(r"[\s*_`]+")


def squeeze(text: str) -> str:
    """``text`` in lower case without spaces and emphasis or code marks (a final sigma as any
    other): a name that ``names._mentions`` finds in a text, in any of the forms ``_about``
    reads, is a substring of the squeezed text once squeezed itself."""
    return _SQUEEZED_OUT.sub("", text.lower()).replace("\u03c2", "\u03c3")


class _Index:
    """A document's sections by start, to find the section at an offset and its neighbours."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.sections = sorted(doc.sections, key=lambda s: s.start)
        self.starts = [s.start for s in self.sections]
        images = doc.meta.get("images") if isinstance(doc.meta, dict) else None
        self.images: dict = images if isinstance(images, dict) else {}

    @functools.cached_property
    def code_spans(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """What the text sets between two backticks that could be a name (word characters and
        dots, maybe then "()"): those in ASCII lower-cased, the others as written."""
        between = self.doc.text.split("`")[1:-1]
        spans = {s for s in between if _CODE_NAME.fullmatch(s)}
        return (
            frozenset(s.lower() for s in spans if s.isascii()),
            tuple(sorted(s for s in spans if not s.isascii())),
        )

    @functools.cached_property
    def headings(self) -> list[int]:
        """Indexes of the heading sections that some section follows (``names`` reads them for
        every concept: a pass over all sections each time is quadratic in a long text)."""
        return [i for i, s in enumerate(self.sections[:-1]) if s.kind == "heading"]

    @functools.cached_property
    def squeezed(self) -> list[str]:
        """Each section's text as ``squeeze`` leaves it (``names.could_name``)."""
        return [squeeze(s.text) for s in self.sections]

    def at(self, offset: int) -> int:
        """Index of the section containing ``offset`` (else the one before it), or -1."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return (
            i if i >= 0 and offset < max(self.sections[i].end, self.sections[i].start + 1) else -1
        )


_INDEXES: dict[int, _Index] = {}


def _index_of(doc: Document) -> _Index:
    """The section index of ``doc``, built once per document object (a few kept)."""
    entry = _INDEXES.get(id(doc))
    if entry is None or entry.doc is not doc:
        if len(_INDEXES) > 256:
            _INDEXES.clear()
        entry = _INDEXES[id(doc)] = _Index(doc)
    return entry


def _words(text: str) -> int:
    return len(text.split())


def _markdown_like(doc: Document) -> bool:
    return doc.format in ("markdown", "notebook")


def _fence(code: str, language: str) -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", code)), default=2)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{code}\n{ticks}"
