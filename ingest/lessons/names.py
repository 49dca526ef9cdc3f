"""Where a concept is named: its names, whether a text or heading names it, and its evidence
ranked as teaching places (the definition, a section headed by it, a prose mention)."""

from __future__ import annotations

import re

from teachback.core.document import Document
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.concepts.definitions import defines
from teachback.ingest.lessons.blocks import PROSE_KINDS, _Index, _index_of


def _names(concept: ConceptDraft) -> list[str]:
    forms = [concept.name, *concept.aliases]
    return list(dict.fromkeys(n.lower() for n in forms if n and len(n) > 1))


def _mentions(text: str, names: list[str], *, compounds: bool = True) -> bool:
    """Whether ``text`` names the concept as a whole word or phrase (a plural "s" allowed).
    ``compounds=False``: a hyphenated compound is another name (the class ``GPT`` is not
    meant by "GPT-2"), and so is an identifier that goes on with ``_`` ("block_size")."""
    low = " ".join(text.lower().split())  # a name may be wrapped across lines
    for n in names:
        at = low.find(n)
        while at >= 0:
            end = at + len(n)
            if end < len(low) and low[end] == "s" and not low[end - 1 : end].isspace():
                end += 1
            if (at == 0 or not low[at - 1].isalnum()) and (
                end >= len(low) or not low[end].isalnum()
            ):
                after = low[end : end + 2]
                joined = after[:1] == "_" or (after[:1] == "-" and after[1:2].isalnum())
                before = low[at - 1 : at] if at else ""
                if compounds or not (joined or before in ("_", "-")):
                    return True
            at = low.find(n, end)
    return False


SHORT_LINE_WORDS = 12
# A span set in emphasis or code: "**hash table**", "*transform*", "`transform`".
_MARKED = re.compile(r"(\*\*|__|\*|_|`+)([^*_`\n]{1,60}?)\1")
# Where a sentence ends in a paragraph.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[*_`\"'(\[\u201c]*[A-Z0-9])")
_LIST_ITEM_START = re.compile(r"\s*(?:[-*+]|\d{1,3}[.)])\s")
# What may open a sentence before its subject: "First, the ...", "A ...".
_LEAD = re.compile(r"^(?:[^,()]{0,40},\s+)?(?:(?:the|an?)\s+)?", re.I)


def _about(
    text: str,
    names: list[str],
    *,
    compounds: bool = True,
    as_code: bool = False,
    short_line: bool = True,
) -> bool:
    """Whether a paragraph is about the concept rather than naming it in passing: it sets the
    name in emphasis or code, opens a sentence with it, names it in two sentences, or is one
    short line (``short_line``: "Reproducing some scaling laws results."). With
    ``as_code`` (the material writes the name as code, ``transform``), only the name set as
    code counts: "to transform this multiply indexed DataFrame" is the verb, not the method.
    "... taken up by the buffers inside the AdamW optimizer" is not a passage on optimizers."""
    for m in _MARKED.finditer(text):
        span = m.group(2).strip()
        if _mentions(span, names, compounds=compounds) and len(span.split()) <= 4:
            return True
    if as_code:
        return False
    plain = re.sub(r"\*\*|__|(?<!\w)[*_`]+|[*_`]+(?!\w)", "", text)
    if short_line and len(plain.split()) <= SHORT_LINE_WORDS:
        return _mentions(plain, names, compounds=compounds)  # a line that says what comes
    hits = [s for s in _SENTENCE_END.split(plain) if _mentions(s, names, compounds=compounds)]
    if len(hits) >= 2:
        return True
    return any(_opens_with(s, names) for s in hits)


def _opens_with(sentence: str, names: list[str]) -> bool:
    """Whether a sentence is about the concept from its start ("First, the `loc` attribute
    allows ...", "Finetuning is ...")."""
    s = sentence.strip().lower()
    rest = s[_LEAD.match(s).end() :]
    # not one item of a list the sentence opens with ("Lookups, inserts and deletes take ...")
    return any(re.match(re.escape(n) + r"s?\b(?!\s*(?:,|and\b|or\b))", rest) for n in names)


def written_as_code(names: list[str], documents: list[Document]) -> bool:
    """Whether the material writes the concept's one-word name as code (```transform```)."""
    words = [n for n in names if re.fullmatch(r"[A-Za-z_][\w.]*", n)]
    if not words:
        return False
    pattern = re.compile(r"`(?:" + "|".join(re.escape(w) for w in words) + r")(?:\(\))?`", re.I)
    return any(d.format != "code" and _writes_as_code(d, words, pattern) for d in documents)


def _writes_as_code(doc: Document, words: list[str], pattern: re.Pattern) -> bool:
    """``pattern.search(doc.text)``, looked up in the document's code spans (a search of the
    whole text for every concept made the lesson stage quadratic in a long document). The
    backticks around a match are consecutive ones (a name holds none), and ``re.I`` matches
    ASCII like ``lower``; other characters are left to the pattern."""
    if not all(w.isascii() for w in words):
        return bool(pattern.search(doc.text))
    ascii_spans, other_spans = _index_of(doc).code_spans
    low = [w.lower() for w in words]
    return any(w in ascii_spans or w + "()" in ascii_spans for w in low) or any(
        pattern.fullmatch(f"`{s}`") for s in other_spans
    )


def _evidence_anchors(concept: ConceptDraft, documents: list[Document], names: list[str]):
    """(rank, path, offset) of the evidence, best teaching place first: the definition (or a
    prose sentence that defines the concept), a section whose heading names the concept, a
    prose passage naming it, then the rest. A
    code concept's name inside a compound is another name ("GPT-2" for the class ``GPT``)."""
    by_path = {d.path: d for d in documents}
    compounds = concept.kind != "code"
    out = []
    for order, ev in enumerate(concept.evidence):
        doc = by_path.get(ev.source)
        if doc is None or not (0 <= ev.start < ev.end <= len(doc.text)):
            continue
        index = _index_of(doc)
        i = index.at(ev.start)
        if i < 0:
            continue
        sec = index.sections[i]
        headed = bool(sec.heading_path) and _names_topic(
            sec.heading_path[-1], names, compounds=compounds
        )
        if ev.role == "definition" or (sec.kind == "prose" and _defines_in(ev.quote, names)):
            rank = 0
        elif headed:
            rank = 1
        elif sec.kind in PROSE_KINDS:
            rank = 2
        else:
            rank = 3
        out.append((rank, order, ev.source, ev.start, i))
    _summaries_after_teaching(out, by_path)
    # Without a defining passage in a section on the concept, a section whose heading names
    # the concept teaches it.
    if all(rank > 1 for rank, *_ in out):
        out += _headed_sections(documents, names, compounds, len(concept.evidence))
    elif not any(rank <= 1 and _at_home(by_path[p], i, names) for rank, _, p, _, i in out):
        out += _headed_sections(documents, names, compounds, len(concept.evidence), opening=True)
        _headed_first(out, by_path, names)
    out.sort()
    return out


def _headed_sections(
    documents: list[Document], names: list[str], compounds: bool, order: int, opening=False
):
    """Anchors (rank 1) at the first block of each section whose heading names the concept
    (``opening``: only a heading that is its name, "NaN: Missing Numerical Data", not
    "MultiIndex Level Names", a section on something of the concept's)."""
    out = []
    for doc in documents:
        index = _index_of(doc)
        for i in index.headings:
            sec = index.sections[i]
            if not _names_topic(sec.text, names, compounds=compounds):
                continue
            if not opening or _opens_title(sec.text, names):
                out.append((1, order, doc.path, index.sections[i + 1].start, i + 1))
                order += 1
    return out


def _opens_title(title: str, names: list[str]) -> bool:
    """Whether a heading is the concept's name, perhaps with a subtitle ("NaN: Missing
    Numerical Data"; not "Index Alignment in Series", a section on something of the
    index's)."""
    t = re.sub(r"^(?:the|an?)\s+", "", title.strip().lstrip("#").strip().lower())
    return any(re.fullmatch(re.escape(n) + r"s?(?:\s*[:\u2014-]\s.*)?", t) for n in names)


def _at_home(doc: Document, i: int, names: list[str]) -> bool:
    """Whether section ``i`` sits under a heading that names the concept."""
    return any(_mentions(h, names) for h in _index_of(doc).sections[i].heading_path)


def _headed_first(anchors: list, by_path: dict, names: list[str]) -> None:
    """A section headed by the concept ("### NaN: Missing Numerical Data") teaches it better
    than a definition given in passing in a section on something else (NaN named as one
    sentinel among others in "Trade-offs in Missing Data Conventions"): when both are there,
    the headed section leads and the definition comes after it."""
    headed = [
        a
        for a in anchors
        if a[0] == 1
        and _at_home(by_path[a[2]], a[4], names)
        and _opens_title(_index_of(by_path[a[2]]).sections[a[4]].heading_path[-1], names)
    ]
    if not headed or not any(a[0] == 0 for a in anchors):
        return
    anchors[:] = [((1 if a[0] == 0 else 0) if a[0] <= 1 else a[0], *a[1:]) for a in anchors]


def _defines_in(quote: str, names: list[str]) -> bool:
    """Whether a sentence of ``quote`` defines the concept (a quote may hold the sentence
    before the definition: "... the capacity has changed. **Rehashing** is recomputing ...")."""
    return any(defines(s, names) for s in _SENTENCE_END.split(quote))


def _summaries_after_teaching(anchors: list, by_path: dict) -> None:
    """A definition in a list item (a glossary entry, "- **Rehashing**: recomputing ...")
    summarises what a section teaches: when a prose definition or a section headed by the
    concept is there, the list item (its other lines are about other terms) is left out."""
    if not any(rank <= 1 and not _in_list(by_path[p], at) for rank, _, p, at, _ in anchors):
        return
    anchors[:] = [a for a in anchors if not (a[0] == 0 and _in_list(by_path[a[2]], a[3]))]


def _in_list(doc: Document, offset: int) -> bool:
    return bool(_LIST_ITEM_START.match(doc.text, doc.text.rfind("\n", 0, offset) + 1))


def _names_topic(title: str, names: list[str], *, compounds: bool = True) -> bool:
    """Whether a heading is about the concept: it names it, in a few more words at most
    (``compounds``: as for ``_mentions``)."""
    title = title.strip().lstrip("#").strip()
    if not _mentions(title, names, compounds=compounds):
        return False
    # a title and its subtitle ("Karpathy: The AI Perception Gap — Two Groups Living in
    # Parallel Universes"): each part is a heading of its own (a colon is not split at: "NaN:
    # Missing Numerical Data" is about missing data, of which NaN is one kind)
    return any(
        _mentions(part, names, compounds=compounds)
        and len(part.split()) <= len(names[0].split()) + 3
        for part in _TITLE_PARTS.split(title)
    )


_TITLE_PARTS = re.compile(r"\s[\u2014\u2013]\s")  # a title, a dash, its subtitle


def _topic_section(index: _Index, i: int, names: list[str]) -> int:
    """When section ``i`` sits under a heading that names the concept, that heading's first
    block (the lesson then reads the section from its start); else ``i``."""
    sec = index.sections[i]
    if not sec.heading_path or not _mentions(sec.heading_path[-1], names):
        return i
    j = i
    while (
        j > 0
        and index.sections[j - 1].heading_path == sec.heading_path
        and (index.sections[j - 1].kind != "heading")
    ):
        j -= 1
    return j
