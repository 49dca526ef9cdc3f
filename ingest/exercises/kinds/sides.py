"""Which side an essay's claims are asked on, true or false, over the whole source: the side
asked less so far by any essay kind (``contrast_claim``'s claims set against a foil,
``point_claim``'s labelled points), on a tie by a stable coin on the claim's document text.
Each kind alternating on its own per document leaned a source's keys whenever several asked
(the two shared articles: 1 true of 4); counted together, its keys differ by one at most.

A claim keeps the side it was first given (a concept's exercises are made more than once:
candidates, then checked), so its exercises are the same each time they are made from the
same sources in the same order.
"""

from __future__ import annotations

import zlib

from teachback.ingest.exercises.corpus import Corpus, Sentence


def asks_false(corpus: Corpus, s: Sentence) -> bool:
    """Whether the claim of sentence ``s`` is asked false (its foil or its twin)."""
    memo = corpus.__dict__.setdefault("_claim_sides", {})
    if s.id not in memo:
        falses = sum(memo.values())
        trues = len(memo) - falses
        if falses != trues:
            memo[s.id] = falses < trues
        else:
            # (by its text, not its path: the same essay asks the same sides wherever it is)
            memo[s.id] = zlib.crc32(corpus.documents[s.doc].text.encode()) % 2 == 1
    return memo[s.id]
