"""What a concept's material allows an exercise writer to ask: the coverage goal (three kept
exercises of two kinds) holds "where the material allows", so the benchmark counts separately
the concepts whose sources give them something to ask and those they only name.

* ``"defining passage"`` — a sentence that says what it is or does (``ConceptView.teaching``);
  one is enough for three questions (what is it; which term fits this description among its
  siblings; a true/false pair with a sibling's property);
* ``"code"`` — a function, class or notebook cell of its own (``ConceptView.code_units``);
* ``"labelled point"`` — the label of a point in an essay's list, whose claims teach it
  ("5. Generalization Problem: ..."; ``kinds/point_choice``, ``kinds/point_claim``);
* ``"named once"`` / ``"mentioned only"`` — neither: a name the sources drop, once or more.
"""

from __future__ import annotations

from teachback.ingest.exercises.kinds import point_choice

ALLOWS = ("defining passage", "code", "labelled point")


def material(view) -> str:
    """Which of the four the view's concept has, the first that holds in that order."""
    if view.teaching:
        return "defining passage"
    if view.code_units:
        return "code"
    if point_choice._own_point(view) is not None:
        return "labelled point"
    return "named once" if len(view.mentions) <= 1 else "mentioned only"


def materials(concepts: list, documents: list) -> dict[str, str]:
    """``material`` of every concept, by name (views over the same cached corpus the
    exercises were made from)."""
    from teachback.ingest.exercises.context import ConceptView
    from teachback.ingest.exercises.corpus import Corpus

    corpus = Corpus.of(documents)
    return {c.name: material(ConceptView(c, concepts, corpus, documents)) for c in concepts}
