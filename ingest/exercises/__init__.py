"""Exercises the ingest agent writes for a concept, then answers itself before keeping them.

* ``make_exercises(concept, concepts, documents)`` — candidate ``ExerciseDraft``s from every
  registered kind (``registry.py``; built-ins in ``kinds/``), each with a key, an explanation,
  citations (exact spans into ``Document.text``), a difficulty and kind-specific ``data``.
* ``self_check(exercise, documents, kept)`` — answers it from the sources alone and rejects it
  when ambiguous, unanswerable, answer-revealing or a duplicate (``selfcheck.py``).
* ``generate_checked(concept, concepts, documents)`` — both: ``(kept, rejected)``, each
  exercise carrying its ``self_check`` result (why it passed, or the rules it broke); a choice
  question's key placed so positions are used evenly (``positions.py``).

Nothing in a source is executed or followed: outputs for predict-the-output come from doctest
examples and saved notebook outputs; sentences that read like instructions are not used.
See docs/exercises.md.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict

from teachback.core.document import Document
from teachback.engine.protocol import ConceptDraft, ExerciseDraft, SelfCheckResult
from teachback.ingest.exercises.context import ConceptView
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.positions import spread_keys
from teachback.ingest.exercises.registry import (
    ExerciseKindPlugin,
    Solution,
    plugins,
    register,
)
from teachback.ingest.exercises.selfcheck import self_check
from teachback.ingest.exercises.text import has_raw_html

__all__ = [
    "ExerciseKindPlugin",
    "Solution",
    "generate_checked",
    "make_exercises",
    "register",
    "self_check",
]

log = logging.getLogger(__name__)

MAX_PER_GENERATOR = 6
MAX_KEPT_PER_CONCEPT = 8
# a concept named in many sentences ("DataFrame") would otherwise fill its share with its name
# blanked out of each of them, while the learner is asked nothing else about it
MAX_BLANKS_PER_CONCEPT = 3
# What a view caches for its own concept's exercises only (a view reused as another
# concept's neighbour is asked for its names, mentions, definitions, never for these):
# dropped once the concept's exercises are made (~115 ranked neighbours per concept, ~35 MB
# at 4 MB for views that are never asked again).
OWN_ONLY = ("related",)


def _safe(text: str) -> str:
    if not has_raw_html(text):
        return text
    parts = re.split(r"(```.*?```)", text, flags=re.DOTALL)
    return "".join(
        p if p.startswith("```") else re.sub(r"(?<!\\)<(?=[A-Za-z/!?])", r"\\<", p) for p in parts
    )


def _view(concept: ConceptDraft, concepts: list[ConceptDraft], corpus: Corpus) -> ConceptView:
    """The concept's view: the one already made for it as another concept's neighbour
    (``ConceptView.view_of``; its mentions, definitions and ranking already computed) when
    it is of this very concept over the same list and corpus, else a new one."""
    key = (concept.name, tuple(concept.aliases), concept.definition)
    view = corpus.view_cache.get(key)
    if (
        view is not None
        and view.concept is concept
        and view.concepts is concepts
        and view.documents is corpus.documents
    ):
        return view
    return ConceptView(concept, concepts, corpus, corpus.documents)


def make_exercises(
    concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
) -> list[ExerciseDraft]:
    """Candidate exercises for ``concept`` from every registered kind (not yet checked)."""
    corpus = Corpus.of(documents)
    view = _view(concept, concepts, corpus)
    try:
        return [ex for made in _make(view, plugins()) for ex in made]
    finally:
        _forget_own(view)


def _forget_own(view: ConceptView) -> None:
    for name in OWN_ONLY:  # (asked again, they are computed again: the same values)
        view.__dict__.pop(name, None)


def _make(view: ConceptView, kinds: list[ExerciseKindPlugin]) -> list[list[ExerciseDraft]]:
    """Each of ``kinds``' candidates for the view's concept, one list per kind (none at
    all when the sources never name the concept)."""
    concept = view.concept
    if not view.mentions and not view.code_units:
        return []  # the sources never name it: nothing to ground an exercise on
    out: list[list[ExerciseDraft]] = []
    for plugin in kinds:
        try:
            made = plugin.generate(view) or []
        except Exception as err:  # one broken kind must not sink the concept
            log.warning("exercise kind %s failed on %r: %s", plugin.name, concept.name, err)
            made = []
        for ex in made[:MAX_PER_GENERATOR]:
            ex.data.setdefault("generator", plugin.name)
            ex.prompt = _safe(ex.prompt)
            ex.choices = [_safe(c) for c in ex.choices]
        out.append(made[:MAX_PER_GENERATOR])
    return out


def _interleave(exercises: list[ExerciseDraft]) -> list[ExerciseDraft]:
    """Round-robin over kinds so one kind's variants do not crowd out the others. Each fact
    is asked once (``self_check`` rejects a second exercise on a passage already asked), so
    the order says which form a fact gets: "what is X?" first, for the concept's best
    definition; then every true/false statement (asked in balanced pairs: one lost to
    another kind on its passage would lean the keys); then the rest in plugin order."""
    by_kind: dict[str, list[ExerciseDraft]] = defaultdict(list)
    by_kind["short_answer"] = []
    by_kind["true_false"] = []
    for ex in exercises:
        by_kind[ex.kind].append(ex)
    # every true/false statement before the other kinds take their passages: they come
    # in balanced pairs, and one lost to a cloze on its sentence leans the keys
    out = by_kind["short_answer"][:1] + by_kind.pop("true_false")
    del by_kind["short_answer"][:1]
    while any(by_kind.values()):
        for kind in list(by_kind):
            if by_kind[kind]:
                out.append(by_kind[kind].pop(0))
    return out


def generate_checked(
    concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
) -> tuple[list[ExerciseDraft], list[ExerciseDraft]]:
    """Make candidates, self-check each against the sources and the ones kept so far. The
    kinds ``_interleave`` asks first (a "what is X?" and the true/false statements) are made
    and checked first; when they give the concept enough (``_enough``), the other kinds are
    not made at all; else every kind is, and checked in the order of the whole interleave
    (a code concept, which has no such head, keeps its predict-the-output and write-the-code
    exercises)."""
    corpus = Corpus.of(documents)
    view = _view(concept, concepts, corpus)
    try:
        every = plugins()
        first = [p for p in every if p.kind in FIRST_KINDS]
        made = dict(zip([p.name for p in first], _make(view, first), strict=False))
        firsts = [ex for p in first for ex in made.get(p.name, [])]
        # _interleave's head: the first "what is X?", then every true/false statement
        head = [ex for ex in firsts if ex.kind == "short_answer"][:1]
        head += [ex for ex in firsts if ex.kind == "true_false"]
        kept: list[ExerciseDraft] = []
        rejected: list[ExerciseDraft] = []
        _check(head, documents, kept, rejected, stop=_enough)
        if not _enough(kept):
            rest = [p for p in every if p.name not in made]
            made.update(zip([p.name for p in rest], _make(view, rest), strict=False))
            # one interleave of every kind's candidates (its head the one checked above)
            everything = _interleave([ex for p in every for ex in made.get(p.name, [])])
            _check(everything[len(head) :], documents, kept, rejected, stop=_full)
    finally:
        _forget_own(view)
    kept, rejected = balance_keys(kept, rejected)
    spread_keys(kept)
    return kept, rejected


# the kinds _interleave puts first: made and checked before the others are made at all
FIRST_KINDS = ("short_answer", "true_false")
# A concept has enough exercises when three are kept, of two kinds or more: three right
# answers in a row take a learner's mastery estimate from its prior over the threshold
# (tutor/bkt.py), and two kinds ask the idea in two ways.
ENOUGH_KEPT = 3
ENOUGH_KINDS = 2


def _full(kept: list[ExerciseDraft]) -> bool:
    return len(kept) >= MAX_KEPT_PER_CONCEPT


def _enough(kept: list[ExerciseDraft]) -> bool:
    """Counted as ``balance_keys`` will leave them (a surplus true or false one is dropped:
    it does not count towards enough)."""
    if _full(kept):
        return True
    trues = sum(ex.kind == "true_false" and ex.answer is True for ex in kept)
    falses = sum(ex.kind == "true_false" and ex.answer is not True for ex in kept)
    surplus = max(0, abs(trues - falses) - 1)
    return len(kept) - surplus >= ENOUGH_KEPT and len({ex.kind for ex in kept}) >= ENOUGH_KINDS


def _check(
    candidates: list[ExerciseDraft],
    documents: list[Document],
    kept: list[ExerciseDraft],
    rejected: list[ExerciseDraft],
    stop=_full,
) -> None:
    """Self-check ``candidates`` in order into ``kept`` and ``rejected``, until ``stop``."""
    for ex in candidates:
        if stop(kept):
            break
        if _is_blank(ex) and sum(map(_is_blank, kept)) >= MAX_BLANKS_PER_CONCEPT:
            ex.self_check = SelfCheckResult(
                passed=False,
                reasons=[
                    f"over_asked: {MAX_BLANKS_PER_CONCEPT} fill-the-blank exercises are kept "
                    "for this concept already; another would ask its name once more, not a "
                    "new idea"
                ],
            )
        else:
            ex.self_check = self_check(ex, documents, kept)
        (kept if ex.self_check.passed else rejected).append(ex)


def _is_blank(ex: ExerciseDraft) -> bool:
    """A cloze or a "which term fills the blank?" question."""
    return ex.kind == "cloze" or (
        ex.kind == "multiple_choice" and ex.data.get("variant") == "blank"
    )


def balance_keys(
    kept: list[ExerciseDraft], rejected: list[ExerciseDraft]
) -> tuple[list[ExerciseDraft], list[ExerciseDraft]]:
    """At most one more true than false true/false statement per concept, or the reverse.
    The kind already asks a true or a false statement by a stable hash (half each, and only
    for sentences that have both), so keys are balanced over a curriculum; this catches a
    concept whose self-check dropped one side. Per concept, so a concept's exercises do not
    depend on the others'. The surplus, last kept first, is rejected as ``key_imbalance``.

    >>> # keys [T, T, T, F] -> [T, T, F]; [T] -> [T]
    """
    tf = [ex for ex in kept if ex.kind == "true_false"]
    if not tf:
        return kept, rejected
    trues = [ex for ex in tf if ex.answer is True]
    falses = [ex for ex in tf if ex.answer is not True]
    drop = trues[len(falses) + 1 :] + falses[len(trues) + 1 :]
    if not drop:
        return kept, rejected
    for ex in drop:
        ex.self_check = SelfCheckResult(
            passed=False,
            reasons=[
                f"key_imbalance: {len(trues)} true and {len(falses)} false statements for this "
                f"concept; a surplus {'true' if ex.answer is True else 'false'} one would make "
                "that key a safe guess"
            ],
        )
    dropped = {id(ex) for ex in drop}
    return [ex for ex in kept if id(ex) not in dropped], rejected + drop
