"""The pacing policies the benchmark compares: the baselines and ours.

A policy is ``policy(course, state, history, rng) -> Step``: it sees the course, the mastery
tracker's state (built from right/wrong answers only) and the steps so far, never the simulated
learner's hidden knowledge.
"""

from __future__ import annotations

from teachback.benchmarks.simulate import Course
from teachback.tutor.pacing import PacingSettings, Step, next_step

FIXED_N = 5  # exercises per concept of the fixed linear baseline


def _least_used(course: Course, concept: str, history, rng=None):
    pool = [e for e in course.exercises if e.concept_id == concept]
    if rng is not None:
        return pool[int(rng.integers(len(pool)))]
    used = {}
    for h in history:
        used[h.exercise_id] = used.get(h.exercise_id, 0) + 1
    return min(pool, key=lambda e: (used.get(e.id, 0), e.id))


def policy_random(course, state, history, rng):
    todo = [c for c in course.graph.order if not state.concepts[c].mastered]
    if not todo:
        return Step("done", None, None, "all mastered")
    c = todo[int(rng.integers(len(todo)))]
    return Step("learn", c, _least_used(course, c, history, rng).id, "random")


def make_linear_fixed(n_each: int):
    def policy(course, state, history, rng):
        k = sum(1 for h in history if h.exercise_id) // n_each
        if k >= len(course.graph.order):
            return Step("done", None, None, "every concept practised")
        c = course.graph.order[k]
        return Step("learn", c, _least_used(course, c, history).id, f"linear, {n_each} each")

    return policy


def policy_linear_bkt(course, state, history, rng):
    for c in course.graph.order:
        if not state.concepts[c].mastered:
            return Step("learn", c, _least_used(course, c, history).id, "linear until BKT 0.95")
    return Step("done", None, None, "all mastered")


def make_ours(settings: PacingSettings):
    def policy(course, state, history, rng):
        return next_step(course.graph, state, course.exercises, history=history, settings=settings)

    return policy
