"""The pacing policy: what a learner should do next. ``next_step(...)`` is a pure function.

Order of precedence (each step carries a human-readable ``reason`` the tutor UI shows):
1. ``review``   — a mastered concept whose FSRS card is due (most overdue first).
2. ``probe_prerequisite`` — a prerequisite flagged by a failed review, checked with one exercise.
3. ``placement`` — at the very start, an adaptive placement check: probe the concept that best
   splits the still-unresolved part of the graph (many unresolved prerequisites *and* many
   unresolved dependents). Answers go through BKT; when a probed concept reaches the mastery
   threshold, the mastery replay marks all its prerequisites known (success implies
   prerequisites); when it falls below ``probe_low`` it and its dependents are left to learn.
   It stops when no probe would resolve more than one concept, after ``placement_budget``
   exercises (default 3), or when the first ``placement_stop_after`` probes fail (default 1: a
   novice). Measured: a longer placement costs more than it saves (docs/bench-learner.md).
   Probes use the most telling exercise (largest gap between P(right | known) and
   P(right | not known)).
4. ``learn``    — the first concept (in teaching order) on the ready-to-learn frontier: not
   mastered, every prerequisite mastered (knowledge-space theory's outer fringe), with the
   exercise whose predicted success is nearest ``target_success``. BKT's mastery rule gives
   "fewer exercises while answers are right": three right answers can master a new concept.
   - ``test_out`` (opt-in, ``PacingSettings.test_out``; measured slower and leaving more holes):
     on entering a unit after a run of right answers, probe the unit's deepest concept;
     mastering it masters the unit's concepts below it (same implication rule).
   - Leaves set aside (``defer_leaves_at``, default 0.85): a concept that no unmastered concept
     builds on is left once P(known) >= 0.85; the practice that takes it to the threshold comes
     after everything else is mastered (nothing waits on it, so confirming it can wait).
   - ``probe_prerequisite`` first for prerequisites taken on trust (mastered by implication)
     after ``implied_check_after`` misses in a row.
   - ``reexplain``: after ``reexplain_after`` misses in a row on a concept, show the lesson again
     differently (no exercise).
   - ``probe_prerequisite``: if misses go on after that, probe each direct prerequisite once
     (weakest first); a wrong answer drops it below the threshold, so the frontier moves back to
     it ("go back"). If all prerequisites hold, practice of the concept resumes.
   - ``read``: a concept the curriculum has no exercise for is taught by its lesson: when it is
     ready (its prerequisites mastered or read) and comes first in teaching order, the learner
     reads the lesson and marks it read. A lesson read counts as passed for what builds on it
     and for finishing; it is never confirmed by a question (there is none).
5. ``review`` with ``meta["final_check"]`` — before finishing, each mastered concept must be
   answered right ``final_check`` times after it was mastered (more for a learner whose own
   fitted guess rate makes a run of lucky answers likely: ``check_alpha``). The checks go
   breadth-first: one question per concept, least evidenced first, before any second question
   (``check_breadth_first``), so a concept that is not really known is found early.
6. ``capped``   — everything up to the instructor's cap concept is mastered.
7. ``done``     — every concept is mastered or, when it has no exercise, its lesson read. The
   policy never says "done" while a concept it can reach is neither.

The policy sees only observable things: the graph, the replayed mastery state, due reviews, the
exercise pool with difficulty estimates, and its own earlier steps with their outcomes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from teachback.tutor import bkt
from teachback.tutor.mastery import ConceptGraph, LearnerState
from teachback.tutor.predict import predict_success
from teachback.tutor.reviews import DueReview

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
) -> set[str]:
    """Concepts without exercises whose lesson was read: marked in the log (``state``) or a
    ``read`` step of this run (``history``). A concept that has exercises is passed by mastery
    only, even if its lesson was once read (exercises added in a later version)."""
    marked = {h.concept_id for h in history if h.kind == "read"}
    return {
        c for c in graph.order if c not in has_exercises and (state.concepts[c].read or c in marked)
    }


def choose_exercise(
    concept: str,
    exercises: Sequence[Exercise],
    p_known: float,
    settings: PacingSettings,
    history: Sequence[HistoryItem],
    predictor: Predictor | None = None,
    probe: bool = False,
) -> tuple[Exercise | None, float | None]:
    """The exercise of ``concept`` whose predicted success is nearest the target.

    Never-asked exercises come first. Once all have been asked, one comes back only after
    ``repeat_gap`` steps (the least used, then the longest ago); when none has rested that long
    the one asked longest ago is the last resort (``askable`` tells the caller beforehand).
    """
    pool = [e for e in exercises if e.concept_id == concept]
    if not pool:
        return None, None
    used, last = _uses(history)

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
    fresh = [e for e in pool if e.id not in used]
    rested = [e for e in pool if e.id in used and now - last[e.id] >= settings.repeat_gap]
    if fresh or rested:
        scored = [(used.get(e.id, 0), badness(e), e.id) for e in fresh or rested]
    else:
        scored = [(last[e.id], used[e.id], e.id) for e in pool]  # longest ago first
    ex = next(e for e in pool if e.id == min(scored)[-1])
    return ex, predicted(ex)


def _uses(history: Sequence[HistoryItem]) -> tuple[dict[str, int], dict[str, int]]:
    """How often each exercise was asked, and the index of the step it was last asked at."""
    used: dict[str, int] = {}
    last: dict[str, int] = {}
    for i, h in enumerate(history):
        if h.exercise_id:
            used[h.exercise_id] = used.get(h.exercise_id, 0) + 1
            last[h.exercise_id] = i
    return used, last


def askable(
    concept: str,
    exercises: Sequence[Exercise],
    history: Sequence[HistoryItem],
    settings: PacingSettings,
) -> bool:
    """Whether ``concept`` has a question that would not be a too-early repeat: one never
    asked, or (all asked) one last asked at least ``repeat_gap`` steps ago."""
    used, last = _uses(history)
    now = len(history)
    return any(
        e.id not in used or now - last[e.id] >= settings.repeat_gap
        for e in exercises
        if e.concept_id == concept
    )


def _ago(days: float) -> str:
    """``0.3`` -> ``"7 hours ago"``: how long ago, as a person says it."""
    import humanize

    return humanize.naturaltime(timedelta(days=max(0.0, days)))


def _misses_in_a_row(history: Sequence[HistoryItem], concept: str) -> tuple[int, int, bool]:
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


def _placement_step(graph, state, history, exercises, settings, allowed, predictor):
    placed = [h for h in history if h.kind == "placement"]
    budget = settings.placement_budget or max(6, 3 * len(allowed) // 4)
    if len(placed) >= budget:
        return None
    negative, probed_count = _placement_outcomes(graph, state, placed, settings)
    # A novice: the first probes all failed and nothing was placed -- start teaching instead.
    probed_order = list(dict.fromkeys(h.concept_id for h in placed))
    failed = [c for c in probed_order if c in negative]
    if len(failed) >= settings.placement_stop_after and len(failed) == len(probed_order):
        return None
    # Continue the current probe while it is undecided.
    if placed:
        c = placed[-1].concept_id
        st = state.concepts[c]
        if c not in negative and not st.mastered:
            ex, p = choose_exercise(
                c, exercises, st.p_known, settings, history, predictor, probe=True
            )
            if ex is not None:
                return Step(
                    "placement",
                    c,
                    ex.id,
                    f"placement check: one more question on {c} to be sure",
                    p,
                )
    unresolved = {
        c
        for c in allowed
        if not state.concepts[c].mastered and c not in negative and c not in probed_count
    }
    best, best_score = _most_telling_probe(graph, exercises, unresolved)
    if best is None or best_score[1] < 2:
        return None
    ex, p = choose_exercise(
        best, exercises, state.concepts[best].p_known, settings, history, predictor, probe=True
    )
    n_up = best_score[1] - 1
    return Step(
        "placement",
        best,
        ex.id,
        f"placement check: if you know {best}, we can skip {n_up} concept(s) it builds on",
        p,
    )


def _placement_outcomes(graph, state, placed, settings) -> tuple[set[str], dict[str, int]]:
    """The concepts placement found unknown (with everything built on them), and how many
    probes each probed concept got."""
    negative: set[str] = set()
    probed_count: dict[str, int] = {}
    for h in placed:
        probed_count[h.concept_id] = probed_count.get(h.concept_id, 0) + 1
    for c, k in probed_count.items():
        st = state.concepts[c]
        if not st.mastered and (st.p_known <= settings.probe_low or k >= settings.probe_max):
            negative.add(c)
            negative |= graph.descendants(c)
    return negative, probed_count


def _most_telling_probe(graph, exercises, unresolved: set[str]):
    """The unresolved concept whose answer settles the most others either way (it sits in the
    middle of the most unresolved ancestors and descendants), with its score."""
    best, best_score = None, (1, 0, 0)
    for c in sorted(unresolved, key=graph.index.get):
        if not any(e.concept_id == c for e in exercises):
            continue
        up = 1 + len(graph.ancestors(c) & unresolved)
        down = 1 + len(graph.descendants(c) & unresolved)
        score = (min(up, down), up, -graph.index[c])
        if score > best_score:
            best, best_score = c, score
    return best, best_score


def _test_out_step(graph, state, history, exercises, settings, allowed, concept, predictor):
    unit = graph.unit_of(concept)
    if unit is None:
        return None
    if history and history[-1].kind == "test_out":
        return _test_out_goes_on(state, history, exercises, settings, unit, predictor)
    if any(h.kind == "test_out" and h.meta_unit == unit for h in _with_units(graph, history)):
        return None  # one test-out per unit
    recent = [h for h in history if h.correct is not None][-settings.test_out_streak :]
    if len(recent) < settings.test_out_streak or not all(h.correct for h in recent):
        return None
    members = [
        c
        for c in graph.order
        if graph.unit_of(c) == unit and c in allowed and not state.concepts[c].mastered
    ]
    if len(members) < 3 or members[0] != concept:
        return None
    deepest = max(members, key=lambda c: (len(graph.ancestors(c) & set(members)), graph.index[c]))
    if not any(e.concept_id == deepest for e in exercises):
        return None
    ex, p = choose_exercise(
        deepest, exercises, state.concepts[deepest].p_known, settings, history, probe=True
    )
    return Step(
        "test_out",
        deepest,
        ex.id,
        f"you're on a roll: answer a few questions on {deepest} to test out of unit {unit}",
        p,
    )


def _test_out_goes_on(state, history, exercises, settings, unit, predictor) -> Step | None:
    """The next question of an ongoing test-out, until it is decided (None: it is)."""
    c = history[-1].concept_id
    st = state.concepts[c]
    tries = 0
    for h in reversed(history):
        if h.kind != "test_out" or h.concept_id != c:
            break
        tries += 1
    if st.mastered or st.p_known <= settings.probe_low or tries >= settings.probe_max:
        return None
    ex, p = choose_exercise(c, exercises, st.p_known, settings, history, predictor, probe=True)
    if ex is None:
        return None
    return Step("test_out", c, ex.id, f"testing out of unit {unit}: next question", p)


@dataclass(frozen=True)
class _UnitItem:
    kind: str
    meta_unit: str | None


def _with_units(graph, history):
    return [
        _UnitItem(h.kind, graph.unit_of(h.concept_id) if h.concept_id in graph else None)
        for h in history
    ]


def next_step(
    graph: ConceptGraph,
    state: LearnerState,
    exercises: Sequence[Exercise],
    *,
    due: Sequence[DueReview] = (),
    history: Sequence[HistoryItem] = (),
    settings: PacingSettings | None = None,
    predictor: Predictor | None = None,
) -> Step:
    """The next step for one learner. Pure: same inputs, same step.

    The rules, first match wins: 1. an overdue review; 2. a prerequisite a failed review
    flagged; 3. placement at the start; 4. the lesson of a concept without exercises that comes
    next; when nothing is ready, the final check, else done (or capped); 5. a test-out of the
    unit; 6. help with the current concept after misses (a prerequisite taken on trust checked,
    a re-explanation, a prerequisite probed); 7. learn the current concept.
    """
    settings = settings or PacingSettings()
    allowed = allowed_concepts(graph, settings.cap_concept)
    history = list(history)
    has_exercises = {e.concept_id for e in exercises}

    step = _review_step(state, exercises, due, settings, history, allowed, has_exercises)
    if step is None:
        step = _flagged_step(graph, state, exercises, settings, history, allowed, has_exercises)
    if step is None and _placing(state, history, settings):
        step = _placement_step(graph, state, history, exercises, settings, allowed, predictor)
    if step is not None:
        return step
    # Learning on the frontier (and lessons to read, for concepts without exercises).
    read = lessons_read(graph, state, history, has_exercises)
    front = frontier(graph, state, allowed, settings.defer_leaves_at, read)
    ready = [c for c in front if c in has_exercises]
    to_read = [c for c in front if c not in has_exercises]
    if not ready and settings.defer_leaves_at is not None:
        # Everything else is mastered: now the concepts set aside, up to the threshold.
        ready = [c for c in frontier(graph, state, allowed, read=read) if c in has_exercises]
    if to_read and (
        not ready
        or (_current(history, ready) is None and graph.index[to_read[0]] < graph.index[ready[0]])
    ):
        c = to_read[0]
        return Step(
            "read",
            c,
            None,
            f"{c} comes next and has no questions: read its lesson, then mark it read",
        )
    if not ready:
        return _nothing_ready(graph, state, history, exercises, settings, allowed, predictor, read)
    concept = _current(history, ready) or ready[0]
    if settings.test_out:
        step = _test_out_step(
            graph, state, history, exercises, settings, allowed, concept, predictor
        )
    if step is None:
        step = _help_step(graph, state, history, exercises, settings, concept, has_exercises)
    if step is not None:
        return step
    return _learn_step(state, history, exercises, settings, predictor, ready, concept)


def _review_step(state, exercises, due, settings, history, allowed, has_exercises):
    """The first overdue review the learner may practise."""
    for d in due:
        if d.concept_id in allowed and d.concept_id in has_exercises:
            st = state.concepts[d.concept_id]
            ex, p = choose_exercise(d.concept_id, exercises, st.p_known, settings, history)
            return Step(
                "review",
                d.concept_id,
                ex.id,
                f"review: {d.concept_id} was due {_ago(d.overdue_days)} "
                f"(estimated recall {d.retrievability:.0%})",
                p,
            )
    return None


def _flagged_step(graph, state, exercises, settings, history, allowed, has_exercises):
    """A probe of the first prerequisite a failed review flagged."""
    for c in graph.order:
        if c in state.flagged and c in allowed and c in has_exercises:
            ex, p = choose_exercise(
                c, exercises, state.concepts[c].p_known, settings, history, probe=True
            )
            return Step("probe_prerequisite", c, ex.id, state.flagged[c], p)
    return None


def _placing(state, history, settings) -> bool:
    """Still at the start: every step so far was a placement probe."""
    return (
        settings.placement
        and all(h.kind == "placement" for h in history)
        and state.events <= len(history)
    )


def _nothing_ready(graph, state, history, exercises, settings, allowed, predictor, read):
    """No concept is ready to learn: the final check, else done, or capped by the instructor."""
    if settings.final_check:
        step = _final_check_step(graph, state, history, exercises, settings, allowed, predictor)
        if step is not None:
            return step
    remaining = [c for c in graph.order if not state.concepts[c].mastered and c not in read]
    if not remaining:
        return Step("done", None, None, "every concept is mastered or its lesson read")
    if any(c not in allowed for c in remaining) and not (set(remaining) & allowed):
        return Step(
            "capped",
            None,
            None,
            f"you have mastered everything up to {settings.cap_concept}; your instructor "
            "has paused the class there",
        )
    # Unreachable while every concept is either practisable or readable (the frontier then
    # always holds one of the remaining); kept so an inconsistent graph cannot loop.
    return Step("done", None, None, "nothing left that can be practised or read")


def _help_step(graph, state, history, exercises, settings, concept, has_exercises):
    """Help with ``concept`` after misses in a row, or None: knowledge taken on trust checked
    first, then another explanation, then its weakest prerequisite probed."""
    streak, since, reexplained = _misses_in_a_row(history, concept)
    if streak >= settings.implied_check_after:
        step = _implied_check(graph, state, history, exercises, settings, concept, has_exercises)
        if step is not None:
            return step
    if streak >= settings.reexplain_after and not reexplained:
        return Step(
            "reexplain",
            concept,
            None,
            f"{streak} misses in a row on {concept}: here it is explained another way",
        )
    if not (reexplained and since >= settings.probe_after):
        return None
    weakest = _weakest_prerequisite(graph, state, history, settings, concept, has_exercises)
    if weakest is not None:
        ex, p = choose_exercise(
            weakest, exercises, state.concepts[weakest].p_known, settings, history, probe=True
        )
        return Step(
            "probe_prerequisite",
            weakest,
            ex.id,
            f"still stuck on {concept}: checking that you have {weakest}, which it builds on",
            p,
            meta={"for": concept},
        )
    if since >= settings.probe_after + settings.reexplain_after:
        # Prerequisites held up and the misses go on: another explanation, another cycle.
        return Step(
            "reexplain",
            concept,
            None,
            f"{since} more misses on {concept}: one more explanation, from another angle",
        )
    return None


def _implied_check(graph, state, history, exercises, settings, concept, has_exercises):
    """A probe of a prerequisite of ``concept`` that placement or a test-out implied (taken on
    trust) and that this run has not probed yet."""
    probed = _probed_in_run(history, concept)
    implied = [
        p
        for p in graph.prerequisites(concept)
        if state.concepts[p].source == "implied" and p not in probed and p in has_exercises
    ]
    if not implied:
        return None
    q = implied[0]
    ex, p = choose_exercise(q, exercises, state.concepts[q].p_known, settings, history, probe=True)
    return Step(
        "probe_prerequisite",
        q,
        ex.id,
        f"{concept} is not going well; {q} was skipped on trust, so let's check it",
        p,
        meta={"for": concept},
    )


def _weakest_prerequisite(graph, state, history, settings, concept, has_exercises):
    """The prerequisite of ``concept`` to probe: the one just missed again if it was well
    established, else the riskiest not probed in this run (None: none left)."""
    probed = _probe_counts_in_run(history, concept)
    last = history[-1] if history else None
    if (
        last is not None
        and last.kind == "probe_prerequisite"
        and last.correct is False
        and state.concepts[last.concept_id].mastered
        and probed.get(last.concept_id, 0) < settings.probe_max
    ):
        return last.concept_id  # a miss on a well-established prerequisite: ask again
    prereqs = [p for p in graph.prerequisites(concept) if p not in probed and p in has_exercises]
    if not prereqs:
        return None
    return min(prereqs, key=lambda p: _risk_key(graph, state, settings, p))


def _learn_step(state, history, exercises, settings, predictor, ready, concept) -> Step:
    """A question on ``concept``, or on another ready concept while its questions rest."""
    if not askable(concept, exercises, history, settings):
        # Every question of this concept was asked lately: work on another ready concept and
        # come back once its questions have rested, rather than repeat one word for word.
        concept = next(
            (c for c in ready if c != concept and askable(c, exercises, history, settings)),
            concept,
        )
    st = state.concepts[concept]
    ex, p = choose_exercise(concept, exercises, st.p_known, settings, history, predictor)
    return Step(
        "learn",
        concept,
        ex.id,
        f"{concept} is next: its prerequisites are mastered "
        f"(your estimated mastery {st.p_known:.0%}, goal {settings.threshold:.0%})",
        p,
    )


def _final_check_step(graph, state, history, exercises, settings, allowed, predictor):
    """Before finishing: check questions on each mastered concept until it has been answered
    right ``final_check`` times after it was mastered. With ``check_order="risk"`` the concepts
    least backed by the learner's own answers (mastered by implication, or on a few easy
    exercises) come first, so a concept that is not really known is found early."""
    rights: dict[str, int] = {}
    for h in history:
        if h.kind == "review" and h.correct:
            rights[h.concept_id] = rights.get(h.concept_id, 0) + 1
        elif h.correct is False:
            rights.pop(h.concept_id, None)  # a later miss re-opens the check
    need = final_check_answers(state, settings)
    confirmed = {c for c, k in rights.items() if k >= need}
    has_exercises = {e.concept_id for e in exercises}
    order = graph.order
    if settings.check_order == "risk":
        order = sorted(order, key=lambda c: _risk_key(graph, state, settings, c))
    if settings.check_breadth_first:
        order = sorted(order, key=lambda c: rights.get(c, 0))  # stable: risk order within
    for c in order:
        if c in allowed and c in has_exercises and c not in confirmed:
            st = state.concepts[c]
            ex, p = choose_exercise(c, exercises, st.p_known, settings, history, predictor, True)
            return Step(
                "review",
                c,
                ex.id,
                f"final check before finishing: one question on {c} to confirm it stuck",
                p,
                meta={"final_check": True},
            )
    return None


def final_check_answers(state: LearnerState, settings: PacingSettings) -> int:
    """Right answers each concept needs in the final check.

    With ``check_alpha``: the smallest k >= ``final_check`` with guess**k <= alpha, where guess
    is the learner's own fitted guess rate. E.g. alpha 0.05: guess 0.2 -> 2, guess 0.3 -> 3
    (0.3**2 = 0.09 is too likely to be luck), guess 0.1 -> 2 (the ``final_check`` minimum).
    """
    need = settings.final_check
    if settings.check_alpha is None or need == 0:
        return need
    guess = state.personal.guess if state.personal is not None else bkt.DEFAULT_PARAMS.guess
    guess = min(max(guess, 0.01), 0.99)
    return max(need, math.ceil(math.log(settings.check_alpha) / math.log(guess) - 1e-9))


def _risk_key(graph: ConceptGraph, state: LearnerState, settings: PacingSettings, c: str):
    """Sort key: the least directly evidenced concept first (``check_order="risk"``)."""
    if settings.check_order == "risk":
        return (state.concepts[c].p_strict, graph.index[c])
    return (state.concepts[c].p_known, graph.index[c])


def _current(history: Sequence[HistoryItem], ready: list[str]) -> str | None:
    """Keep working on the concept of the last learn step while it is still ready."""
    for h in reversed(history):
        if h.kind == "learn":
            return h.concept_id if h.concept_id in ready else None
    return None


def _probe_counts_in_run(history: Sequence[HistoryItem], concept: str) -> dict[str, int]:
    """Prerequisite probes (concept -> count) during the current run of work on ``concept``
    (since the last learn or test-out step on another concept)."""
    out: dict[str, int] = {}
    for h in reversed(history):
        if h.kind in ("learn", "test_out") and h.concept_id != concept:
            break
        if h.kind == "probe_prerequisite" and h.concept_id:
            out[h.concept_id] = out.get(h.concept_id, 0) + 1
    return out


def _probed_in_run(history: Sequence[HistoryItem], concept: str) -> set[str]:
    return set(_probe_counts_in_run(history, concept))


def history_from_steps(steps: Sequence[tuple[Step, bool | None]]) -> list[HistoryItem]:
    """Convenience for callers that keep ``(step, correct)`` pairs."""
    return [HistoryItem(s.kind, s.concept_id, s.exercise_id, ok) for s, ok in steps]


def as_mapping(state: LearnerState) -> Mapping[str, float]:
    return {c: s.p_known for c, s in state.concepts.items()}
