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

from teachback.ingest.exercises.context import ConceptView, difficulty
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


def asked_on_its_side(
    view: ConceptView,
    s: Sentence,
    prefix: str,
    claim: str,
    foil: str,
    *,
    corrected: str,
    method: str,
    true_method: str | None = None,
    data: dict | None = None,
):
    """The true/false draft of sentence ``s``'s claim on the side ``asks_false`` gives it:
    ``claim`` (True) or its ``foil`` (False), with the source's sentence as the explanation;
    ``corrected`` and ``method`` are recorded for the false side (``true_method`` for the
    true one, when it differs), ``data`` before them."""
    false = asks_false(view.corpus, s)
    statement = foil if false else claim
    return view.new(
        "true_false",
        prefix + statement,
        not false,
        choices=["True", "False"],
        explanation=f"{'False' if false else 'True'}: the source says \u201c{s.clean}\u201d",
        citations=[view.span(s)],
        difficulty=difficulty(
            "true_false",
            rarity=view.rarity(),
            words_count=len(statement.split()),
            extra=0.1 * false,
        ),
        data={
            "statement": statement,
            **(data or {}),
            "corrected": corrected if false else "",
            "method": method if false else (true_method or method),
        },
    )
