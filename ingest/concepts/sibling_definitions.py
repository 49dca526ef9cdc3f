"""Siblings get their own definitions: code symbols whose docstrings open with the same
sentence (``bisect_left`` and ``bisect_right``: "Return the index where to insert item x in
list a, assuming a is sorted.") are defined by their docstrings up to the first sentence
that tells them apart ("The return value i is such that all e in a[:i] have e < x, ...").

Works on the definitions ``code_symbols`` recorded: a docstring's first line, as a span of
the document (``Concept.definition``) and as text (``Concept.code_definition``). Definitions
recorded without a span (the line was not found in the source) are left as they are.
"""

from __future__ import annotations

import re
from collections import defaultdict

from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.concept import Concept
from teachback.ingest.concepts.docstrings import docstring_end

# A sentence of a docstring ends at a full stop before a space, or where a paragraph or the
# docstring ends.
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n[ \t]*\n|\"\"\"|'''")
MAX_SENTENCES = 4  # read this far into the docstrings for a difference, no further


def distinguish_siblings(batch: Batch) -> None:
    """Extend the definitions of code concepts that read the same to the first sentence of
    their docstrings that differs."""
    same: dict[str, list[Concept]] = defaultdict(list)
    for c in batch.concepts.values():
        if c.kind == "code" and c.code_definition and c.definition is not None:
            same[_plain(c.code_definition)].append(c)
    for group in same.values():
        if len(group) > 1:
            _extend(batch, group)


def _extend(batch: Batch, group: list[Concept]) -> None:
    spans = {id(c): _sentence_spans(batch, c) for c in group}
    for k in range(1, MAX_SENTENCES):
        texts = [_sentence_text(batch, c, spans[id(c)], k) for c in group]
        if all(texts) and len(set(texts)) == 1:
            continue  # the k-th sentences read the same too: look further
        for c in group:
            cut = spans[id(c)][: k + 1]
            if len(cut) > 1:
                strength, di, start, _ = c.definition
                end = cut[-1][1]
                c.definition = (strength, di, start, end)
                c.code_definition = " ".join(batch.documents[di].text[start:end].split())
        return


def _sentence_spans(batch: Batch, c: Concept) -> list[tuple[int, int]]:
    """The docstring's sentences from the recorded definition on: ``(start, end)`` each."""
    _, di, start, end = c.definition
    text = batch.documents[di].text
    # (a definition that is no docstring, a comment, is read no further than it was recorded)
    stop = docstring_end(text, start) or end
    out: list[tuple[int, int]] = []
    at = start
    while at < stop and len(out) < MAX_SENTENCES:
        m = _SENTENCE_END.search(text, at, stop)
        end = stop if m is None else (m.start() + 1 if m.group()[0] in ".!?" else m.start())
        if text[at:end].strip():
            out.append((at, end))
        at = end if m is None else m.end()
        while at < stop and text[at].isspace():
            at += 1
    return out


def _sentence_text(batch: Batch, c: Concept, spans: list[tuple[int, int]], k: int) -> str:
    if k >= len(spans):
        return ""
    a, b = spans[k]
    return _plain(batch.documents[c.definition[1]].text[a:b])


def _plain(text: str) -> str:
    return " ".join(text.split()).lower()
