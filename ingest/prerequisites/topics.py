"""Common words a source is named after: the topic of that source, not a word it merely uses.

A bare common word ("column", "key", "agent") that the material never defines is usually a
word it uses everywhere without building on it, so it is no one's prerequisite by mention
alone (``linking._generic_only``, ``definition_edges``). A source named after it
(``karpathy-podcast-agents.txt``) says otherwise: the word is what that source is about, and
what a defining sentence there builds from it ("Now, humans are not really programming but
expressing their ideas to agents") builds on it.
"""

from __future__ import annotations

import re

from teachback.core.document import Document
from teachback.ingest.prerequisites.mentions import TermStats, positions_in

_SEPARATORS = re.compile(r"[-_.\s]+")


def named_topics(documents: list[Document], stats: TermStats) -> set[int]:
    """The one-word terms some source's file name names."""
    found: set[int] = set()
    for doc in documents:
        stem = doc.path.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1]
        words = _SEPARATORS.sub(" ", stem.rsplit(".", 1)[0]).strip().lower()
        if words:
            found.update(
                t
                for t in positions_in(stats, words, 0, len(words))
                if " " not in stats.names[t].strip()
            )
    return found
