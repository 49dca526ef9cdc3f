"""Overview sentences: what a chapter says it will cover is not what a concept builds on.

"In this chapter, we'll explore the direct creation of `MultiIndex` objects; considerations
when indexing, slicing, and computing statistics ..." names slicing beside the MultiIndex, but
as a list of coming topics. The sentences that introduce a concept count as its defining
context (``scoring.DEFINING_SENTENCES``) only when they say something about it.
"""

from __future__ import annotations

import re

from teachback.ingest.prerequisites.definition_edges import FoldedTexts
from teachback.ingest.prerequisites.mentions import TermStats
from teachback.ingest.prerequisites.scoring import DEFINING_SENTENCES

_OVERVIEW = re.compile(
    r"\W*(?:in this (?:chapter|section|notebook|article|post|tutorial|lesson|part)\b"
    r"|(?:here|below|next|now|first)?,?\s*we(?:'ll| will| are going to) "
    r"(?:explore|look|discuss|see|cover|start|begin|consider|learn|dive|take a look)\b)",
    re.I,
)


def defining_relies(a: int, b: int, stats: TermStats, texts: FoldedTexts) -> bool:
    """Whether ``b``'s first sentences that are not overviews mention ``a`` more often than
    ``a``'s mention ``b`` (the ``defines`` feature, without the chapter's table of contents)."""
    return _mentioning(a, b, stats, texts) > _mentioning(b, a, stats, texts)


def _mentioning(a: int, b: int, stats: TermStats, texts: FoldedTexts) -> int:
    said = []
    for sid in stats.sentences.get(b, []):
        di, start, _ = stats.sentence_span[sid]
        if not _OVERVIEW.match(texts[di], start):
            said.append(sid)
            if len(said) == DEFINING_SENTENCES:
                break
    return sum(1 for sid in said if a in stats.mentions[sid])
