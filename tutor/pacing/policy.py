"""``next_step``: the pacing rules in order, first match wins (see the package docstring)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from teachback.tutor.mastery import ConceptGraph, LearnerState
from teachback.tutor.pacing.basics import (
    Exercise,
    HistoryItem,
    PacingSettings,
    Predictor,
    Step,
    ago,
    allowed_concepts,
    askable,
    choose_exercise,
    current_concept,
    frontier,
    lessons_read,
    met,
    misses_in_a_row,
    probe_counts_in_run,
    probed_in_run,
    risk_key,
)
from teachback.tutor.pacing.probes import (
    final_check_step,
    placement_step,
    test_out_step,
)
from teachback.tutor.reviews import DueReview


def next_step(
    graph: ConceptGraph,
    state: LearnerState,
    exercises: Sequence[Exercise],
    *,
    due: Sequence[DueReview] = (),
    history: Sequence[HistoryItem] = (),
    settings: PacingSettings | None = None,
    predictor: Predictor | None = None,
    taught_with: Mapping[str, Collection[str]] | None = None,
) -> Step:
    """The next step for one learner. Pure: same inputs, same step.

    The rules, first match wins: 1. an overdue review; 2. a prerequisite a failed review
    flagged; 3. placement at the start; 4. the lesson of a concept without exercises that comes
    next; when nothing is ready, the final check, else done (or capped); 5. a test-out of the
    unit; 6. help with the current concept after misses (a prerequisite taken on trust checked,
    a re-explanation, a prerequisite probed); 7. learn the current concept.

    ``taught_with``: a concept without exercises -> the concepts whose lessons hold its lesson.
    It is taught with them (passed once one is mastered) rather than read on its own, which
    would show the same passage twice -- unless nothing else is left to do.
    """
    settings = settings or PacingSettings()
    allowed = allowed_concepts(graph, settings.cap_concept)
    history = list(history)
    has_exercises = {e.concept_id for e in exercises}

    step = _review_step(state, exercises, due, settings, history, allowed, has_exercises)
    if step is None:
        step = _flagged_step(graph, state, exercises, settings, history, allowed, has_exercises)
    if step is None and _placing(state, history, settings):
        step = placement_step(graph, state, history, exercises, settings, allowed, predictor)
    if step is not None:
        return step
    # Learning on the frontier (and lessons to read, for concepts without exercises).
    read = lessons_read(graph, state, history, has_exercises, taught_with)
    front = frontier(graph, state, allowed, settings.defer_leaves_at, read)
    ready = [c for c in front if c in has_exercises]
    carried = set(taught_with or {})
    to_read = [c for c in front if c not in has_exercises and (c not in carried or not ready)]
    if not ready and settings.defer_leaves_at is not None:
        # Everything else is mastered: now the concepts set aside, up to the threshold.
        ready = [c for c in frontier(graph, state, allowed, read=read) if c in has_exercises]
    # A lesson to read comes first when nothing is ready, or when it comes earlier in teaching
    # order than what is ready and no concept is under way.
    earlier = bool(to_read and ready) and graph.index[to_read[0]] < graph.index[ready[0]]
    if to_read and (not ready or (current_concept(history, ready) is None and earlier)):
        c = to_read[0]
        return Step(
            "read",
            c,
            None,
            f"{c} comes next and has no questions: read its lesson, then mark it read",
        )
    if not ready:
        return _nothing_ready(graph, state, history, exercises, settings, allowed, predictor, read)
    concept = current_concept(history, ready) or ready[0]
    if settings.test_out:
        step = test_out_step(
            graph, state, history, exercises, settings, allowed, concept, predictor
        )
    if step is None:
        step = _help_step(graph, state, history, exercises, settings, concept, has_exercises)
    if step is not None:
        return step
    return _learn_step(graph, state, history, exercises, settings, predictor, ready, concept)


def _lesson_just_read(concept, exercises, history, gap: int = 2) -> bool:
    """Whether the lesson of ``concept``, a concept with questions, was read as a step of its
    own in the last ``gap`` steps: it was, because its question would be answered by it, so
    asked now that question would test reading, not knowing."""
    if not any(e.concept_id == concept for e in exercises):
        return False
    return any(h.kind == "read" and h.concept_id == concept for h in history[-gap:])


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
                f"review: {d.concept_id} was due {ago(d.overdue_days)} "
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
        step = final_check_step(graph, state, history, exercises, settings, allowed, predictor)
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
    streak, since, reexplained = misses_in_a_row(history, concept)
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
    probed = probed_in_run(history, concept)
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
    probed = probe_counts_in_run(history, concept)
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
    return min(prereqs, key=lambda p: risk_key(graph, state, settings, p))


def _learn_step(graph, state, history, exercises, settings, predictor, ready, concept) -> Step:
    """A question on ``concept``, or on another ready concept while its questions rest; the
    lesson alone first when the question there is to ask would be answered by that lesson."""
    if not askable(concept, exercises, history, settings) or _lesson_just_read(
        concept, exercises, history
    ):
        # Every question of this concept was asked lately (or its lesson, which answers them,
        # was just read): work on another ready concept and come back later, rather than
        # repeat one word for word or test reading.
        concept = next(
            (
                c
                for c in ready
                if c != concept
                and askable(c, exercises, history, settings)
                and not _lesson_just_read(c, exercises, history)
            ),
            concept,
        )
    first = not met(history, concept)
    st = state.concepts[concept]
    # The first step on a concept teaches it: its lesson is shown whole, with a question the
    # lesson does not answer (one it does comes later, when the lesson is not above it).
    ex, p = choose_exercise(
        concept,
        exercises,
        st.p_known,
        settings,
        history,
        predictor,
        with_lesson=first,
    )
    if first and ex is not None and ex.gives_away:
        # Only a question the lesson answers is left to ask now: the lesson alone first.
        return Step(
            "read",
            concept,
            None,
            f"{concept} comes next: read its lesson first; its questions come afterwards "
            "(the lesson would answer them)",
        )
    # Say only what is true: a concept with no prerequisites comes by course order alone.
    why = ": its prerequisites are mastered" if graph.prerequisites(concept) else " in the course"
    return Step(
        "learn",
        concept,
        ex.id,
        f"{concept} is next{why} "
        f"(your estimated mastery {st.p_known:.0%}, goal {settings.threshold:.0%})",
        p,
    )
