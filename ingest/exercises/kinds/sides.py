"""Which side an essay's claims are asked on, true or false: along each document's claims in
reading order, alternately, the first by a stable coin on the document's text. A document's
claims are every sentence any concept of the run asks by any essay kind (``contrast_claim``'s
claims set against a foil, ``point_claim``'s labelled points), so its keys differ by one at
most (each kind alternating on its own leaned a source's keys whenever several asked: the two
shared articles, 1 true of 4).

The side is a function of the sources and the concept list alone, found once per corpus and
concept list: whichever concept asks first, in whichever process (the exercise stage runs its
batches in worker processes, each seeing only its own concepts), a claim gets the same side,
and a concept's exercises are the same each time they are made from the same sources.

Not handled: a kind that asks claims without registering them here (``asks_claims``) gets the
coin of the claim's own text for each, balanced only on average.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from teachback.ingest.exercises.context import ConceptView, difficulty
from teachback.ingest.exercises.corpus import Corpus, Sentence


@dataclass(frozen=True)
class ClaimAsker:
    """How an essay kind asks claims: ``triggers(corpus)``, the ids of the sentences a concept
    must be named in to ask any (a cheap test that skips most concepts), and ``asked(view)``,
    the sentences whose claims the kind asks for the view's concept, as its ``generate``
    does."""

    name: str
    triggers: Callable[[Corpus], Iterable[int]]
    asked: Callable[[ConceptView], Iterable[Sentence]]


_ASKERS: dict[str, ClaimAsker] = {}


def asks_claims(asker: ClaimAsker) -> None:
    """Register an essay kind's claims (at its import, as kinds register themselves)."""
    _ASKERS[asker.name] = asker


def asks_false(view: ConceptView, s: Sentence) -> bool:
    """Whether the claim of sentence ``s`` is asked false (its foil or its twin)."""
    side = _sides(view).get(s.id)
    if side is None:  # (asked by a kind not registered: the coin of its own text)
        side = _coin(s.clean)
    return side


def _coin(text: str) -> bool:
    return zlib.crc32(text.encode()) % 2 == 1


def _sides(view: ConceptView) -> dict[int, bool]:
    """Sentence id -> asked false, for every claim asked over the view's corpus by the
    view's concept list (cached per corpus and list: the pipeline passes one list)."""
    corpus, concepts = view.corpus, view.concepts
    cache = corpus.__dict__.setdefault("_claim_sides", {})
    hit = cache.get(id(concepts))
    if hit is not None and hit[0] is concepts and hit[1] == len(concepts):
        return hit[2]
    sides = _alternated(corpus, _asked_claims(view))
    cache[id(concepts)] = (concepts, len(concepts), sides)
    return sides


def _asked_claims(view: ConceptView) -> set[int]:
    """The ids of the claims any concept of the view's list asks by any registered kind."""
    # (imported here: the exercises package imports the kinds, which import this module)
    from teachback.ingest.exercises import MAX_PER_GENERATOR

    corpus = view.corpus
    asked: set[int] = set()
    for asker in _ASKERS.values():
        triggers = frozenset(asker.triggers(corpus))
        if not triggers:
            continue
        for concept in view.concepts:
            other = view if concept is view.concept else view.view_of(concept)
            if any(s.id in triggers for s, _m in other.mentions):
                # (a kind's drafts past the cap are never made: nor asked)
                asked.update(s.id for s in list(asker.asked(other))[:MAX_PER_GENERATOR])
    return asked


def _alternated(corpus: Corpus, asked: set[int]) -> dict[int, bool]:
    """Each document's asked claims in reading order, false and true by turns from the
    document's coin (by its text, not its path: the same essay asks the same sides wherever
    it is).

    >>> # claims at sentence ids 4, 9 and 12 of a document whose coin says false:
    >>> # {4: True, 9: False, 12: True} (True: asked false)
    """
    sides: dict[int, bool] = {}
    doc, false = None, False
    for i in sorted(asked):  # (sentence ids run in document order, document by document)
        s = corpus.sentences[i]
        if s.doc != doc:
            doc, false = s.doc, _coin(corpus.documents[s.doc].text)
        else:
            false = not false
        sides[i] = false
    return sides


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
    false = asks_false(view, s)
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
