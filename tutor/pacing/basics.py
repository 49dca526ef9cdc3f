"""What the pacing policy works with: its settings, exercises, history and steps, the
ready-to-learn frontier, and the choice of an exercise for a concept."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from teachback.tutor import bkt
from teachback.tutor.mastery import ConceptGraph, LearnerState
from teachback.tutor.predict import predict_success

StepKind = Literal[
    "placement",
    "review",
    "learn",
    "read",
    "reexplain",
    "probe_prerequisite",
    "test_out",
    "capped",
    "done",
]
PROBE_KINDS = ("placement", "test_out", "probe_prerequisite")


@dataclass(frozen=True)
class Exercise:
    id: str
    concept_id: str
    difficulty: float = 0.0  # logit units: 0 average, +1 hard, -1 easy
    # The source passage the exercise cites first (its feedback shows it whole), and whether its
    # prompt is made of that passage (a sentence with a blank, a statement to judge). Once the
    # passage was shown, such an exercise is as good as asked: the learner has just read the
    # answer (see ``uses``). None: unknown (no passage is shared).
    passage: str | None = None
    from_passage: bool = False
    # Whether the concept's lesson answers it (it prints one of its options, or it hides what
    # the lesson shows): never the question that comes with the lesson on a concept's first
    # step, so that step can show the lesson whole (teach first, then ask).
    gives_away: bool = False


@dataclass(frozen=True)
class HistoryItem:
    """One earlier step and its outcome (``correct`` is None for steps without an exercise)."""

    kind: str
    concept_id: str | None
    exercise_id: str | None = None
    correct: bool | None = None


@dataclass(frozen=True)
class PacingSettings:
    threshold: float = bkt.MASTERY_THRESHOLD
    cap_concept: str | None = None
    target_success: float = 0.75
    placement: bool = True
    # Placement: a short check (measured: longer ones cost more than they save, and every
    # concept taken on trust is a possible hole; docs/bench-learner.md).
    placement_budget: int | None = 3  # exercises; None = 3 per concept over 4, at least 6
    placement_stop_after: int = 1  # failed probes (with none passed) that end placement
    probe_low: float = 0.35  # below this a probed concept counts as "not known"
    probe_max: int = 4  # exercises on one probed concept
    test_out: bool = False  # unit test-outs: off by default (measured slower, more holes)
    final_check: int = 2  # confirming questions per concept before "done" (0 = none)
    test_out_streak: int = 3  # right answers in a row before a unit test-out is offered
    reexplain_after: int = 3
    implied_check_after: int = 2  # misses in a row before checking prerequisites taken on trust
    probe_after: int = 2  # further misses after a re-explanation before probing prerequisites
    recent_window: int = 3  # avoid repeating an exercise seen in the last N steps
    # A question comes back only when every other exercise of its concept has been used and
    # at least this many steps have passed since it was last asked; until then the tutor moves
    # to another concept that is ready rather than repeat one word for word.
    repeat_gap: int = 12
    # "risk": final checks and prerequisite probes go to the mastered concepts least backed by
    # the learner's own answers first (``ConceptState.p_strict``); "teaching": teaching order.
    check_order: Literal["risk", "teaching"] = "risk"
    # Final check, breadth-first: every concept gets its first check question before any gets a
    # second, so the concept that is not really known is met sooner (False: depth-first).
    check_breadth_first: bool = True
    # Final check, how many right answers: at least ``final_check``, and enough that a learner
    # who does not know the concept gets them all right by guessing with probability at most
    # this, using the learner's own fitted guess rate (``LearnerState.personal``; the
    # population's without one): k = ceil(log(alpha) / log(guess)). None: ``final_check``.
    check_alpha: float | None = 0.05
    # A concept no unmastered concept builds on (a leaf of what is left) is set aside once its
    # P(known) reaches this; the practice that takes it to the mastery threshold comes after the
    # rest of the course, before the final check (None: stay on every concept until mastered).
    defer_leaves_at: float | None = 0.85


@dataclass(frozen=True)
class Step:
    kind: StepKind
    concept_id: str | None
    exercise_id: str | None
    reason: str
    predicted_success: float | None = None
    meta: dict = field(default_factory=dict)


Predictor = Callable[[Exercise, float], float]  # (exercise, p_known) -> P(correct)


def questions_of(exercises: Sequence[Exercise]) -> dict[str, list[str]]:
    """Concept id -> the ids of its exercises (what ``MasteryTracker`` counts as answered)."""
    out: dict[str, list[str]] = {}
    for e in exercises:
        out.setdefault(e.concept_id, []).append(e.id)
    return out


def allowed_concepts(graph: ConceptGraph, cap: str | None) -> set[str]:
    """Concepts a capped learner may work on: the cap, everything before it, its prerequisites."""
    if cap is None:
        return set(graph.order)
    if cap not in graph:
        raise ValueError(f"cap concept {cap!r} is not in this curriculum")
    upto = graph.index[cap]
    return {c for c in graph.order if graph.index[c] <= upto} | set(graph.ancestors(cap))


def frontier(
    graph: ConceptGraph,
    state: LearnerState,
    allowed: set[str] | None = None,
    defer_leaves_at: float | None = None,
    read: frozenset[str] | set[str] = frozenset(),
):
    """Ready to learn: not passed, all prerequisites passed; in teaching order. Passed means
    mastered, or in ``read`` (concepts without exercises whose lesson was read).

    With ``defer_leaves_at``, a concept with P(known) at least that which no unmastered allowed
    concept builds on is left out (set aside until everything else is mastered)."""

    def passed(c: str) -> bool:
        return state.concepts[c].mastered or c in read

    def deferred(c: str) -> bool:
        st = state.concepts[c]
        if defer_leaves_at is None or st.p_known < defer_leaves_at:
            return False
        return all(
            passed(k) or (allowed is not None and k not in allowed) for k in graph.children[c]
        )

    out = []
    for c in graph.order:
        if allowed is not None and c not in allowed:
            continue
        if passed(c) or deferred(c):
            continue
        if all(passed(p) for p in graph.prerequisites(c)):
            out.append(c)
    return out


def lessons_read(
    graph: ConceptGraph,
    state: LearnerState,
    history: Sequence[HistoryItem],
    has_exercises: set[str],
    taught_with: Mapping[str, Collection[str]] | None = None,
) -> set[str]:
    """Concepts without exercises whose lesson was read: marked in the log (``state``) or a
    ``read`` step of this run (``history``), or taught with a concept that is mastered (its
    lesson is part of that concept's: ``taught_with``). A concept that has exercises is passed
    by mastery only, even if its lesson was once read (exercises added in a later version)."""
    marked = {h.concept_id for h in history if h.kind == "read"}
    carriers = taught_with or {}
    return {
        c
        for c in graph.order
        if c not in has_exercises
        and (
            state.concepts[c].read
            or c in marked
            or any(k in state.concepts and state.concepts[k].mastered for k in carriers.get(c, ()))
        )
    }


def choose_exercise(
    concept: str,
    exercises: Sequence[Exercise],
    p_known: float,
    settings: PacingSettings,
    history: Sequence[HistoryItem],
    predictor: Predictor | None = None,
    probe: bool = False,
    with_lesson: bool = False,
) -> tuple[Exercise | None, float | None]:
    """The exercise of ``concept`` whose predicted success is nearest the target.

    ``with_lesson``: the step shows the concept's lesson whole (its first step), so an
    exercise the lesson answers (``Exercise.gives_away``) comes only when no other is left.
    Never-asked exercises come first. Once all have been asked, one comes back only after
    ``repeat_gap`` steps (the least used, then the longest ago); when none has rested that long
    the least used, then the one asked longest ago, is the last resort (``askable`` tells the
    caller beforehand).
    """
    pool = [e for e in exercises if e.concept_id == concept]
    if not pool:
        return None, None
    used, last = uses(history, exercises)

    def predicted(e: Exercise) -> float:
        return predictor(e, p_known) if predictor else predict_success(p_known, e.difficulty)

    def badness(e: Exercise) -> float:
        if probe:
            # A probe wants the most telling exercise: the largest gap between P(right | known)
            # and P(right | not known) under difficulty-aware BKT.
            prm = bkt.for_difficulty(bkt.DEFAULT_PARAMS, e.difficulty)
            return -((1.0 - prm.slip) - prm.guess)
        return abs(predicted(e) - settings.target_success)

    now = len(history)
    fresh = [e for e in pool if e.id not in last]
    rested = [e for e in pool if e.id in last and now - last[e.id] >= settings.repeat_gap]
    if fresh or rested:
        # (a rested question never asked -- its sentence was only shown -- before one asked)
        scored = [
            (with_lesson and e.gives_away, used.get(e.id, 0), badness(e), e.id)
            for e in fresh or rested
        ]
    else:
        # one never asked (its sentence only shown, with another question) before a repeat;
        # then the one asked longest ago
        scored = [(used.get(e.id, 0), last[e.id], e.id) for e in pool]
    ex = next(e for e in pool if e.id == min(scored)[-1])
    return ex, predicted(ex)


def uses(
    history: Sequence[HistoryItem], exercises: Sequence[Exercise] = ()
) -> tuple[dict[str, int], dict[str, int]]:
    """How often each exercise was asked, and the index of the step it was last asked (or
    seen) at.

    An exercise made of a passage that an earlier question's feedback showed whole counts as
    seen at that step (in ``last``, not in ``used``): the same sentence with another word
    blanked, right after the learner read it, tests reading, not knowing
    (``Exercise.passage``). It rests like a question asked, and comes back before one asked.

    >>> ex = [Exercise("k", "key", passage="s:1", from_passage=True),
    ...       Exercise("v", "value", passage="s:1", from_passage=True)]
    >>> uses([HistoryItem("learn", "key", "k", True)], ex)
    ({'k': 1}, {'k': 0, 'v': 0})
    """
    used: dict[str, int] = {}
    last: dict[str, int] = {}
    by_id = {e.id: e for e in exercises if e.passage}
    shown: dict[str, int] = {}  # passage -> the step its feedback last showed it
    for i, h in enumerate(history):
        if h.exercise_id:
            used[h.exercise_id] = used.get(h.exercise_id, 0) + 1
            last[h.exercise_id] = i
            asked = by_id.get(h.exercise_id)
            if asked is not None:
                shown[asked.passage] = i
    for e in by_id.values():
        if e.from_passage and e.passage in shown and shown[e.passage] > last.get(e.id, -1):
            last[e.id] = shown[e.passage]
    return used, last


def askable(
    concept: str,
    exercises: Sequence[Exercise],
    history: Sequence[HistoryItem],
    settings: PacingSettings,
) -> bool:
    """Whether ``concept`` has a question that would not be a too-early repeat: one never
    asked, or (all asked) one last asked at least ``repeat_gap`` steps ago."""
    _, last = uses(history, exercises)
    now = len(history)
    return any(
        e.id not in last or now - last[e.id] >= settings.repeat_gap
        for e in exercises
        if e.concept_id == concept
    )


def ago(days: float) -> str:
    """``0.3`` -> ``"7 hours ago"``: how long ago, as a person says it."""
    import humanize

    return humanize.naturaltime(timedelta(days=max(0.0, days)))


def misses_in_a_row(history: Sequence[HistoryItem], concept: str) -> tuple[int, int, bool]:
    """On the current episode of ``concept`` (since work on another concept), counting back from
    the latest step: (misses in a row, misses after the last re-explanation, re-explained?)."""
    streak = since = 0
    reexplained = False
    for h in reversed(history):
        if h.concept_id != concept:
            if h.kind in ("learn", "test_out"):
                break
            continue
        if h.kind == "reexplain":
            reexplained = True
            continue
        if h.kind != "learn":
            continue
        if h.correct is False:
            streak += 1
            if not reexplained:
                since += 1
        elif h.correct is True:
            break
    return streak, since, reexplained


def final_check_answers(state: LearnerState, settings: PacingSettings) -> int:
    """Right answers each concept needs in the final check.

    With ``check_alpha``: the smallest k >= ``final_check`` with guess**k <= alpha, where guess
    is the learner's own fitted guess rate once they have missed at least once (the population's
    before). E.g. alpha 0.05: guess 0.2 -> 2, guess 0.3 -> 3 (0.3**2 = 0.09 is too likely to be
    luck), guess 0.1 -> 2 (the ``final_check`` minimum).
    """
    need = settings.final_check
    if settings.check_alpha is None or need == 0:
        return need
    guess = bkt.DEFAULT_PARAMS.guess
    # Rates fitted on answers without a single miss cannot tell knowing from guessing (EM drifts
    # the guess rate up, to 0.24 for a learner who answered all right): the population's stands.
    missed = any(c.correct < c.attempts for c in state.concepts.values())
    if state.personal is not None and missed:
        guess = state.personal.guess
    guess = min(max(guess, 0.01), 0.99)
    return max(need, math.ceil(math.log(settings.check_alpha) / math.log(guess) - 1e-9))


def risk_key(graph: ConceptGraph, state: LearnerState, settings: PacingSettings, c: str):
    """Sort key: the least directly evidenced concept first (``check_order="risk"``)."""
    if settings.check_order == "risk":
        return (state.concepts[c].p_strict, graph.index[c])
    return (state.concepts[c].p_known, graph.index[c])


# Steps that show the concept's lesson (a check -- placement, a review, a probe, a test-out --
# asks without it)
TEACHING_KINDS = ("learn", "read", "reexplain")


def met(history: Sequence[HistoryItem], concept: str) -> bool:
    """Whether an earlier step of this run taught ``concept`` (showed its lesson): the next
    one is not the learner's first meeting with it."""
    return any(h.concept_id == concept and h.kind in TEACHING_KINDS for h in history)


def current_concept(history: Sequence[HistoryItem], ready: list[str]) -> str | None:
    """Keep working on the concept of the last learn step while it is still ready."""
    for h in reversed(history):
        if h.kind == "learn":
            return h.concept_id if h.concept_id in ready else None
    return None


def probe_counts_in_run(history: Sequence[HistoryItem], concept: str) -> dict[str, int]:
    """Prerequisite probes (concept -> count) during the current run of work on ``concept``
    (since the last learn or test-out step on another concept)."""
    out: dict[str, int] = {}
    for h in reversed(history):
        if h.kind in ("learn", "test_out") and h.concept_id != concept:
            break
        if h.kind == "probe_prerequisite" and h.concept_id:
            out[h.concept_id] = out.get(h.concept_id, 0) + 1
    return out


def probed_in_run(history: Sequence[HistoryItem], concept: str) -> set[str]:
    return set(probe_counts_in_run(history, concept))


def history_from_steps(steps: Sequence[tuple[Step, bool | None]]) -> list[HistoryItem]:
    """Convenience for callers that keep ``(step, correct)`` pairs."""
    return [HistoryItem(s.kind, s.concept_id, s.exercise_id, ok) for s, ok in steps]


def as_mapping(state: LearnerState) -> Mapping[str, float]:
    return {c: s.p_known for c, s in state.concepts.items()}
