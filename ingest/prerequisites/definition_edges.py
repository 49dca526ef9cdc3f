"""Edges from definitions: what the sentence that defines a concept builds it from.

A teacher reads "A hash table is an associative array built on an array of buckets, a hash
function that turns keys into bucket indexes, a collision resolution strategy, and a resizing
policy ..." as: the associative array, buckets, hash functions and collision resolution come
before the hash table, whatever the article's introduction named first. So a concept named
after the defined term in its defining sentence, and taught (defined, else first met) earlier
in reading order, is a prerequisite of it. A term the same sentence introduces ("called the
key's hash value"), or one taught later, is not: it is taught with the concept or after it.
What a sentence names before the term is its subject, not what it builds on ("The behavior
implemented in `pd.merge` is a subset of what is known as *relational algebra*"). A bare common
word the material never defines ("column", "key") is not a prerequisite of all that names it.

Also ``example_of``: a sentence that gives A as an example of B ("a sentinel value ... such as
... NaN") says A is a kind of B, and one that sets A beside B ("in addition to these masking
methods, ... `dropna`") says they are siblings: either way A is not B's prerequisite.
"""

from __future__ import annotations

import re

from teachback.core.document import Document
from teachback.core.text import fold
from teachback.engine.protocol import ConceptDraft, EdgeDraft, Evidence
from teachback.ingest.prerequisites.mentions import (
    GENERIC_ZIPF,
    TermStats,
    positions_in,
    sentence_positions,
    word_zipf,
)

DEFINITION_WEIGHT = 0.9  # a defining sentence is stronger evidence than the pair score
MAX_FROM_DEFINITION = 6
MAX_NAME_CHARS = 40  # how far into a longer term's mention a shorter one may start
_ASIDE_CUE = re.compile(r"\b(?:in addition to|besides|apart from|along with|alongside)\b", re.I)
_EXAMPLE_CUE = re.compile(r"\b(?:such as|e\.g\.|for example|for instance|including)\s", re.I)


class FoldedTexts:
    """The documents' folded texts (offsets as in the originals), folded once each."""

    def __init__(self, documents: list[Document]):
        self.documents = documents
        self._texts: dict[int, str] = {}

    def __getitem__(self, di: int) -> str:
        text = self._texts.get(di)
        if text is None:
            text = self._texts[di] = fold(self.documents[di].text)
        return text


def definition_edges(
    concepts: list[ConceptDraft],
    documents: list[Document],
    stats: TermStats,
    texts: FoldedTexts,
    topics: frozenset[int] | set[int] = frozenset(),
) -> list[EdgeDraft]:
    """A -> B for each concept A that B's defining sentence builds B from (module docstring);
    ``topics``: common words a source is named after, built on like any term."""
    doc_index = {d.path: i for i, d in enumerate(documents)}
    defining = [defining_evidence(c, doc_index) for c in concepts]
    taught = [
        (doc_index[ev.source], ev.start) if ev is not None else stats.first.get(i)
        for i, ev in enumerate(defining)
    ]
    edges: list[EdgeDraft] = []
    for b, ev in enumerate(defining):
        if ev is None or concepts[b].kind != "term":
            continue
        di = doc_index[ev.source]
        found = positions_in(stats, texts[di], ev.start, ev.end)
        own = found.get(b)
        if own is None:
            continue  # the sentence does not name the concept: nothing to read after it
        named = sorted(
            (pos, a)
            for a, pos in found.items()
            if a != b and pos > own and not _inside_longer(a, pos, found, stats)
        )
        kept = 0
        for _, a in named:
            if kept >= MAX_FROM_DEFINITION:
                break
            at = taught[a]
            if at is None or at >= (di, ev.start):
                continue  # introduced by this sentence or taught later
            if defining[a] is None and a not in topics and _bare_common_word(concepts[a]):
                continue
            kept += 1
            edges.append(
                EdgeDraft(
                    prerequisite=concepts[a].name,
                    concept=concepts[b].name,
                    kind="prerequisite",
                    weight=DEFINITION_WEIGHT,
                    reason=(
                        f'the definition of "{concepts[b].name}" builds on '
                        f'"{concepts[a].name}", '
                        + (
                            "which its source is named after"
                            if defining[a] is None and a in topics
                            else "which is taught before it"
                        )
                    ),
                )
            )
    return edges


def example_of(a: int, b: int, stats: TermStats, texts: FoldedTexts) -> bool:
    """Whether a sentence names ``a`` as an example of ``b`` ("``b`` ..., such as ... ``a``"),
    or sets it beside ``b`` ("In addition to these masking methods, there are the convenience
    methods `dropna` ..."): either way ``a`` is not what ``b`` builds on."""
    for sid in sorted(stats.sentence_set(a) & stats.sentence_set(b)):
        di, start, end = stats.sentence_span[sid]
        text = texts[di]
        found = sentence_positions(stats, sid, text)
        pa, pb = found.get(a), found.get(b)
        if pa is None or pb is None:
            continue
        if pb < pa and _EXAMPLE_CUE.search(text, pb, pa):
            return True
        aside = _ASIDE_CUE.search(text, max(start, pa - MAX_NAME_CHARS), pa)
        if pa < pb and aside is not None:
            return True
    return False


def _inside_longer(a: int, pos: int, found: dict[int, int], stats: TermStats) -> bool:
    """Whether ``a``'s mention is part of a longer term's there ("collision" in "a collision
    resolution strategy", "array" in "an associative array"): the longer term is what is
    named."""
    return any(
        stats.words[a] < stats.words[c] and 0 <= pos - at <= MAX_NAME_CHARS
        for c, at in found.items()
        if c != a
    )


def defining_evidence(c: ConceptDraft, doc_index: dict[str, int]) -> Evidence | None:
    """The evidence holding the concept's definition, when it has one in the documents
    (``doc_index``: their paths -> their order)."""
    if not c.definition.strip():
        return None
    for ev in c.evidence:
        if ev.role == "definition" and ev.source in doc_index and ev.end > ev.start:
            return ev
    return None


def defined_at(
    concepts: list[ConceptDraft], documents: list[Document]
) -> list[tuple[int, int] | None]:
    """Where each concept is defined in reading order (document, offset); None when it is
    not."""
    doc_index = {d.path: i for i, d in enumerate(documents)}
    out: list[tuple[int, int] | None] = []
    for c in concepts:
        ev = defining_evidence(c, doc_index)
        out.append((doc_index[ev.source], ev.start) if ev is not None else None)
    return out


def _bare_common_word(c: ConceptDraft) -> bool:
    name = c.name.strip()
    return c.kind == "term" and " " not in name and word_zipf(name.lower()) >= GENERIC_ZIPF
