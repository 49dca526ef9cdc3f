"""A short, grounded lesson per concept, made extractively from the concept's own sources.

Every sentence of the lesson body is a sentence of a source, condensed only by collapsing its
whitespace, and carries a numbered citation ``[n]`` whose span (``citations[n-1]``) points at
exactly that sentence in ``Document.text``. Nothing is invented, so the embedded engine's
lessons are honest about what they are: a guided reading of the sources.

The lesson::

    **Osmosis** (also: osmotic flow)

    Osmosis is the movement of water across a semipermeable membrane. [1]

    It happens without energy from the cell. [2] In plants, osmosis keeps cells firm. [3]

    *Builds on:* diffusion, membrane.

What it does not do: paraphrase, summarise across sentences, or explain beyond the sources.
Source text is Markdown written by others: it is quoted as text (a UI renders lessons with HTML
disabled), and sentences that look like headings, tables or raw HTML are skipped.
"""

from __future__ import annotations

import bisect
import re

from teachback.engine.protocol import ConceptDraft, LessonDraft, Span
from teachback.ingest.document import Document

MIN_WORDS = 80
MAX_WORDS = 250
MAX_SENTENCE_WORDS = 70
PROSE_KINDS = ("prose", "docstring")

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before
# whitespace, or at a blank line.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n")
_LOOKS_STRUCTURAL = re.compile(r"^\s*(#|\||<|```|~~~|[-*_]{3,}\s*$)")
_MD_LEAD = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)+")


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``, trimmed of surrounding whitespace.

    ``"A b. C d.\\n\\nE."`` over the whole string -> ``[(0, 5), (6, 10), (12, 14)]``
    """
    spans = []
    pos = start
    segment = text[start:end]
    for m in _SENTENCE_END.finditer(segment):
        spans.append((pos, start + m.start()))
        pos = start + m.end()
    spans.append((pos, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _clean(sentence: str) -> str:
    """Display form: list/quote markers dropped, whitespace collapsed."""
    return " ".join(_MD_LEAD.sub("", sentence).split())


class _Index:
    """Per-document section starts, to find the section around an evidence span quickly."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.sections = sorted(doc.sections, key=lambda s: s.start)
        self.starts = [s.start for s in self.sections]
        lower = doc.text.lower()
        # offsets into the lower-cased text are offsets into the text only if no character
        # changed length when lower-cased (true for nearly all text; else no fallback scan)
        self.lower = lower if len(lower) == len(doc.text) else None

    def section_at(self, offset: int):
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.sections[i].start <= offset < max(
            self.sections[i].end, self.sections[i].start + 1
        ):
            return self.sections[i]
        return None


_INDEXES: dict[int, _Index] = {}


def _index_of(doc: Document) -> _Index:
    """The section index of ``doc``, built once per document object (a few kept)."""
    entry = _INDEXES.get(id(doc))
    if entry is None or entry.doc is not doc:
        if len(_INDEXES) > 256:
            _INDEXES.clear()
        entry = _INDEXES[id(doc)] = _Index(doc)
    return entry


def _names(concept: ConceptDraft) -> list[str]:
    return [n.lower() for n in [concept.name, *concept.aliases] if n and len(n) > 1]


def write_lesson(
    concept: ConceptDraft,
    documents: list[Document],
    prerequisites: list[str] | None = None,
) -> LessonDraft:
    """A grounded Markdown lesson of about 80–250 words for ``concept``.

    Sentences are taken from the concept's evidence (definition first, then the sentences
    around each piece of evidence, in evidence order), dropping duplicates and structural
    lines, until the lesson reaches ``MIN_WORDS`` (never passing ``MAX_WORDS``).
    ``prerequisites`` (names) are mentioned at the end when given.
    """
    by_path = {d.path: d for d in documents}
    indexes: dict[str, _Index] = {}
    names = _names(concept)

    picked: list[tuple[str, int, int]] = []  # (path, start, end)
    seen_text: set[str] = set()
    words = 0

    def add(path: str, s: int, e: int, *, force: bool = False) -> bool:
        nonlocal words
        doc = by_path[path]
        raw = doc.text[s:e]
        shown = _clean(raw)
        n = len(shown.split())
        key = shown.lower()
        if not shown or key in seen_text or _LOOKS_STRUCTURAL.match(raw):
            return False
        if n > MAX_SENTENCE_WORDS or n < 3 or (words + n > MAX_WORDS and not force):
            return False
        seen_text.add(key)
        picked.append((path, s, e))
        words += n
        return True

    def sentences_around(ev) -> list[tuple[int, int]]:
        doc = by_path.get(ev.source)
        if doc is None or not (0 <= ev.start < ev.end <= len(doc.text)):
            return []
        index = indexes.get(ev.source)
        if index is None:
            index = indexes[ev.source] = _index_of(doc)
        section = index.section_at(ev.start)
        if section is not None and section.kind not in PROSE_KINDS:
            return []
        lo, hi = (section.start, section.end) if section is not None else (ev.start, ev.end)
        return [(s, e) for s, e in _sentences(doc.text, lo, hi)]

    # 1. The definition: the sentence of a definition-role evidence span, else the definition
    #    text found verbatim in one of the documents.
    ordered = sorted(concept.evidence, key=lambda ev: ev.role != "definition")
    definition_done = False
    for ev in ordered:
        if ev.role != "definition":
            break
        for s, e in sentences_around(ev):
            if s <= ev.start < e or (ev.start <= s < ev.end):
                definition_done = add(ev.source, s, e, force=True)
                break
        if definition_done:
            break
    if not definition_done and concept.definition:
        probe = concept.definition.strip()
        for doc in documents:
            at = doc.text.find(probe)
            if at >= 0:
                definition_done = add(doc.path, at, at + len(probe), force=True)
                break

    # 2. More sentences near the evidence, those naming the concept first.
    candidates: list[tuple[int, int, str, int, int]] = []
    for order, ev in enumerate(ordered):
        if ev.source not in by_path:
            continue
        for s, e in sentences_around(ev):
            text = by_path[ev.source].text[s:e].lower()
            names_it = any(n in text for n in names)
            near = s <= ev.start < e or ev.start <= s < ev.end
            rank = 0 if (names_it and near) else 1 if names_it else 2
            candidates.append((rank, order, ev.source, s, e))
    candidates.sort(key=lambda c: (c[0], c[1], c[3]))
    for _rank, _, path, s, e in candidates:
        if words >= MIN_WORDS:
            break
        add(path, s, e)

    # 3. Still short: other sentences of the concept's documents that name it, in order.
    for doc in documents if words < MIN_WORDS else ():
        index = _index_of(doc)
        if index.lower is None:
            continue
        for name in names[:3]:
            at, tries = index.lower.find(name), 0
            while at >= 0 and words < MIN_WORDS and tries < 40:
                tries += 1
                end = at + len(name)
                bounded = (at == 0 or not index.lower[at - 1].isalnum()) and (
                    end >= len(index.lower) or not index.lower[end].isalnum()
                )
                section = index.section_at(at) if bounded else None
                if section is not None and section.kind in PROSE_KINDS:
                    for s, e in _sentences(doc.text, section.start, section.end):
                        if s <= at < e:
                            add(doc.path, s, e)
                            break
                at = index.lower.find(name, end)
        if words >= MIN_WORDS:
            break

    # Reading order: the definition first, then the rest as the sources have them.
    if picked:
        order_of = {d.path: k for k, d in enumerate(documents)}
        head = picked[:1] if definition_done else []
        picked = head + sorted(picked[len(head) :], key=lambda p: (order_of[p[0]], p[1]))
    citations = [Span(source=p, start=s, end=e, quote=by_path[p].text[s:e]) for p, s, e in picked]
    lines = [f"**{concept.name}**"]
    aliases = [a for a in concept.aliases if a.lower() != concept.name.lower()]
    if aliases:
        lines[0] += " (also: " + ", ".join(aliases[:4]) + ")"
    body = [f"{_clean(c.quote)} [{i}]" for i, c in enumerate(citations, 1)]
    if body:
        lines.append(body[0])
        rest = body[1:]
        for i in range(0, len(rest), 3):
            lines.append(" ".join(rest[i : i + 3]))
    else:
        lines.append("_The sources name this concept but do not explain it in prose._")
    if prerequisites:
        lines.append("*Builds on:* " + ", ".join(prerequisites) + ".")
    return LessonDraft(text="\n\n".join(lines) + "\n", citations=citations)
