"""One simulated learner taught by one policy, until the policy is done or the budget is spent.

The run records what the report needs: exercises until every concept was truly known, exercises
spent on concepts already known, concepts declared mastered that were not, and where the
exercises before "everything known" went (kind of step x what the learner truly knew).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from teachback.benchmarks.pacing.policies import FIXED_N
from teachback.benchmarks.simulate import Course, SimLearner
from teachback.tutor import bkt
from teachback.tutor.attempts import AttemptEvent
from teachback.tutor.mastery import MasteryTracker, PersonalModel
from teachback.tutor.pacing import HistoryItem, Step

BUDGET_PER_CONCEPT = 15
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def run_one(
    course: Course,
    learner: SimLearner,
    policy,
    rng,
    *,
    declared_fixed: bool = False,
    params: bkt.BKTParams = bkt.DEFAULT_PARAMS,
    personal: PersonalModel | None = None,
    difficulty_aware: bool = True,
):
    """Run ``policy`` with ``learner`` until done or out of budget; return the figures.

    ``difficulty_aware``: the mastery tracker weighs answers by exercise difficulty.
    """
    graph = course.graph
    tracker = MasteryTracker(
        graph,
        params,
        personal=personal,
        reviews=False,
        difficulty={e.id: e.difficulty for e in course.exercises} if difficulty_aware else None,
    )
    by_id = {e.id: e for e in course.exercises}
    budget = BUDGET_PER_CONCEPT * len(graph)
    history: list[HistoryItem] = []
    done_ex = wasted = other_steps = 0
    all_known_at = 0 if learner.knows_all() else None
    known_at_start = {c for c in graph.order if learner.knows(c)}
    kinds: dict[str, int] = {}
    spent: dict[str, int] = {}  # exercises before everything is known, by kind of step and truth
    while done_ex < budget and other_steps < budget:
        step = policy(course, tracker.state, history, rng)
        if step.kind in ("done", "capped"):
            break
        kinds[step.kind] = kinds.get(step.kind, 0) + 1
        if step.exercise_id is None:
            other_steps += 1
            history.append(HistoryItem(step.kind, step.concept_id))
            continue
        ex = by_id[step.exercise_id]
        if learner.knows(ex.concept_id):
            wasted += 1
        if all_known_at is None:
            key = f"{_phase(step)}: {_truth(learner, graph, ex.concept_id, known_at_start)}"
            spent[key] = spent.get(key, 0) + 1
        right = learner.answer(ex)
        done_ex += 1
        tracker.apply(
            AttemptEvent(
                event_id=str(done_ex),
                learner_id="sim",
                curriculum_id=course.name,
                exercise_id=ex.id,
                concept_id=ex.concept_id,
                correct=right,
                at=(T0 + timedelta(minutes=done_ex)).isoformat(),
            )
        )
        history.append(HistoryItem(step.kind, ex.concept_id, ex.id, right))
        if all_known_at is None and learner.knows_all():
            all_known_at = done_ex
    if declared_fixed:
        # The fixed-N baseline declares every concept it practised in full mastered.
        per = sum(1 for h in history if h.exercise_id)
        declared = set(graph.order[: per // FIXED_N])
    else:
        declared = tracker.state.mastered()
    false_mastery = sum(1 for c in declared if not learner.knows(c))
    return {
        "until_known": all_known_at if all_known_at is not None else budget,
        "reached": all_known_at is not None,
        "exercises": done_ex,
        "wasted": wasted,
        "false_mastery": false_mastery,
        "other_steps": other_steps,
        "kinds": kinds,
        "spent": spent,
        "answers": [(h.concept_id, int(h.correct)) for h in history if h.exercise_id],
    }


def _phase(step: Step) -> str:
    if step.meta.get("final_check"):
        return "final check"
    return {"probe_prerequisite": "prerequisite probe", "test_out": "test-out"}.get(
        step.kind, step.kind
    )


def _truth(learner: SimLearner, graph, concept: str, known_at_start: set[str]) -> str:
    """What the learner truly knew when asked: the simulator's hidden state, for the report."""
    if learner.knows(concept):
        return "known from the start" if concept in known_at_start else "learned in this run"
    if all(learner.knows(p) for p in graph.prerequisites(concept)):
        return "not yet known"
    return "a prerequisite not known"
