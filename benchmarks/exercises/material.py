"""What a concept's material allows an exercise writer to ask: the coverage goal (three kept
exercises of two kinds) holds "where the material allows", so the benchmark counts separately
the concepts whose sources give them something to ask and those they only name.

* ``"defining passage"`` — a sentence that says what it is or does (``ConceptView.teaching``);
  one is enough for three questions (what is it; which term fits this description among its
  siblings; a true/false pair with a sibling's property);
* ``"code"`` — code of its own (``own_code``): a function, class or module named like it, or
  a notebook cell whose code uses it (a code name, a call of its API name, a comment that
  labels the cell with it). Not a cell only the text before its run of cells names, or a
  comment that mentions it in passing: ``# params are stored in fp32, and the AdamW
  optimizer has 2 additional buffers per param`` teaches nothing a question could ask about
  the AdamW optimizer;
* ``"stated facts"`` — no definition and no code of its own, but sentences with it as their
  subject that state a property, a use or a contrast (``ConceptView.statements``): two of
  them, or one beside a notebook cell the text around it names ("A sentinel value reduces the
  range of valid values ..." and the cell ``x[0] = None`` under it) — a fact asked each way
  round and a third question;
* ``"labelled point"`` — the label of a point in an essay's list, whose claims teach it
  ("5. Generalization Problem: ..."; ``kinds/point_choice``, ``kinds/point_claim``), when the
  source speaks of the topic outside its label too: a label and nothing else ("Career
  Choice") is a list heading, which a teacher would not test (review 17; ``point_choice``
  asks nothing of it, so at most its claims are asked, as true/false: one kind);
* ``"named once"`` / ``"mentioned only"`` — neither: a name the sources drop, once or more.
"""

from __future__ import annotations

import re

from teachback.ingest.exercises.kinds import point_choice

ALLOWS = ("defining passage", "code", "stated facts", "labelled point")
# a comment that labels the cell below it ("# fancy indexing", "# slicing by explicit
# index"), not a sentence of the author's that names the concept on the way
LABEL_WORDS = 5


def material(view) -> str:
    """Which of the four the view's concept has, the first that holds in that order."""
    if view.teaching:
        return "defining passage"
    if own_code(view):
        return "code"
    if len(view.statements) >= 2 or (view.statements and view.code_units):
        return "stated facts"
    own = point_choice._own_point(view)
    if own is not None and not point_choice._only_a_label(view, own):
        return "labelled point"
    return "named once" if len(view.mentions) <= 1 else "mentioned only"


def own_code(view) -> bool:
    """Whether the concept has code of its own to ask about (see the module's docstring).

    >>> # "fancy indexing": "# fancy indexing\\ndata[['a', 'e']]" -> True;
    >>> # "batch size": "batch_size = 20 * 5 # 5 is grad_accum" under a paragraph naming
    >>> #  the batch size -> False
    """
    return any(u.kind != "cell" or _cell_uses(view, u.section.text) for u in view.code_units)


def _cell_uses(view, code: str) -> bool:
    if view.concept.kind == "code":
        return True  # (its cells are those whose code names it: ``code_units``)
    api = [n.rsplit(".", 1)[-1] for n in view.names if re.fullmatch(r"[A-Za-z_][\w.]*", n)]
    if any(re.search(rf"\.{re.escape(n)}\b|\b{re.escape(n)}\(", code) for n in api if n):
        return True
    labels = [c for c in re.findall(r"#([^\n]*)", code) if len(c.split()) <= LABEL_WORDS]
    return view.pattern is not None and any(view.pattern.search(c) for c in labels)


def materials(concepts: list, documents: list) -> dict[str, str]:
    """``material`` of every concept, by name (views over the same cached corpus the
    exercises were made from)."""
    from teachback.ingest.exercises.context import ConceptView
    from teachback.ingest.exercises.corpus import Corpus

    corpus = Corpus.of(documents)
    return {c.name: material(ConceptView(c, concepts, corpus, documents)) for c in concepts}
