"""Sentences that announce what comes next ("Let's see some examples using the Planets data.",
"... as follows:"): a lesson shows them only when what they announce follows; otherwise the
paragraph is shown without them, since a lesson that points at material it leaves out reads
as cut off."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from teachback.ingest.lessons.blocks import _Block, _index_of, _words
from teachback.ingest.lessons.source_blocks import _LIST_ITEM, _balanced_sentences, refers_back

# A sentence that promises what follows: the author's "let's"/"we'll", "here is", or a
# pointer to material below or in a later section. "We can see that ..." observes; it stays.
_ANNOUNCES = re.compile(
    r"^\W*(?:(?:now|next|first|so|then|here|below|finally|again),?\s+)?"
    r"(?:let['\u2019]s|let us|we['\u2019]ll|we will|we are going to|we['\u2019]re going to"
    r"|i['\u2019]ll)\b"
    r"|^\W*here(?:['\u2019]s| is| are)\b"
    r"|\bas follows\b|\bthe following\b|\b(?:shown|given|listed|see) below\b"
    r"|\bin the (?:next|following) (?:section|chapter|notebook|part)\b",
    re.I,
)


_OVERVIEW = re.compile(
    r"^\W*in this (?:chapter|section|notebook|article|post|tutorial|lesson|part)\b", re.I
)


def overview(paragraph: str) -> bool:
    """Whether a paragraph says what is to come ("In this chapter, we will discuss ...")."""
    spans = _balanced_sentences(paragraph, 0, len(paragraph))
    return any(_OVERVIEW.match(paragraph[a:b]) for a, b in spans)


def announces(sentence: str) -> bool:
    """Whether ``sentence`` announces what comes next (or introduces it with a colon)."""
    s = sentence.strip()
    return s.endswith(":") or bool(_ANNOUNCES.search(s))


def without_announcement(block: _Block, doc_text: str) -> _Block | None:
    """``block`` without the sentences at its end that announce what follows; ``None`` when
    nothing else is left. The citation span shrinks with the text, so it stays exact."""
    in_doc = _balanced_sentences(doc_text, block.start, block.end)
    shown = _balanced_sentences(block.text, 0, len(block.text))
    k = 0
    while k < len(in_doc) and announces(doc_text[in_doc[-1 - k][0] : in_doc[-1 - k][1]]):
        k += 1
    if k == 0:
        return block
    if k == len(in_doc) or len(shown) != len(in_doc):
        return None
    text = block.text[: shown[-1 - k][1]].rstrip()
    end = in_doc[-1 - k][1]
    return replace(block, end=end, text=text, words=_words(text))


def delivers(block: _Block, after: _Block | None, doc) -> bool:
    """Whether ``after`` (the next block the lesson shows) is what ``block`` announces: code,
    output, a list, table or figure from the same source that follows it with no other
    paragraph in between, one point of the list it introduces ("Here are the core contents
    of this podcast:" before "3. Automated Research: ..."), or a paragraph that answers it by
    referring back ("Let's look at the group that can't sleep" before "They didn't just
    ...")."""
    if after is None or after.path != block.path or after.start < block.end or doc is None:
        return False
    point = after.kind == "prose" and bool(_LIST_ITEM.match(doc.text[after.start : after.end]))
    answer = after.kind == "prose" and refers_back(after.text)
    if after.kind not in ("code", "output", "list", "table", "image") and not (point or answer):
        return False
    index = _index_of(doc)
    # the sections starting between the two, found by their starts (a scan of every section
    # for every announcement was quadratic in a long text)
    lo, hi = bisect_left(index.starts, block.end), bisect_left(index.starts, after.start)
    between = (
        s
        for s in index.sections[lo:hi]
        if s.kind in ("prose", "docstring")
        and not (point and _LIST_ITEM.match(s.text))  # the points of the list before it
    )
    return next(between, None) is None
