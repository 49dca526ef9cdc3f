"""Simulated learners and courses, to measure pacing policies (``teachback bench pacing``).

A simulated learner has a hidden, true knowledge state per concept that no policy can see; a
policy sees only right/wrong answers. Two learner-model families, so a result does not rest on
one assumption:

- ``"bkt"`` (stochastic, all-or-none): each concept is known or not. Answer: right with
  probability 1 - slip if known, guess if not, both shifted by the exercise's true difficulty.
  Each exercise on an unknown concept teaches it with probability ``speed`` if all of its
  prerequisites are known, else ``speed * 0.1``. No forgetting.
- ``"logistic"`` (continuous strength with forgetting): strength theta per concept; P(right) =
  0.15 + 0.8 * sigmoid(2 (theta - b)) for an exercise of true difficulty b; the concept is truly
  known while theta >= 0.5 (``KNOWN_THETA``). Practice adds ``speed * U(0.5, 1.5)`` (a fifth
  of that when a prerequisite is not known); every exercise, every strength decays by 0.0005
  (forgetting).

Learners vary: speed, guess, slip, and prior knowledge. Prior knowledge follows the course
order and, loosely, the graph (knowledge-space style): with ``prior_level`` drawn from U(0, 0.8)
per learner — from complete novices to learners who know most of it — a concept in the first
``prior_level`` share of the teaching order is known beforehand with probability 0.9, a later one
with 0.05, and either probability is multiplied by 0.3 when a prerequisite is not known (so there
are holes and islands that break "knowing C implies knowing its prerequisites").

Courses: random prerequisite DAGs (15-40 concepts, 0-3 prerequisites each, mostly on recent
concepts, units of five) and the shape of a real course (``real_course``: an introductory Python
course). Every exercise has a true difficulty; the policies see only a noisy estimate of it.
Not modelled: learning from re-explanations (a ``reexplain`` step teaches nothing here, which
is conservative for policies that use it), time between sessions (so FSRS reviews never fall
due inside a simulated run).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from teachback.tutor.mastery import ConceptGraph, ConceptNode
from teachback.tutor.pacing import Exercise

FAMILIES = ("bkt", "logistic")
KNOWN_THETA = 0.5  # logistic family: truly known while strength >= this


@dataclass
class Course:
    name: str
    graph: ConceptGraph
    exercises: list[Exercise]  # difficulty = the estimate the policy sees
    true_difficulty: dict[str, float]


def _exercises(graph: ConceptGraph, rng: np.random.Generator, per_concept: int):
    exercises, truth = [], {}
    for c in graph.order:
        for k in range(per_concept):
            eid = f"{c}#e{k}"
            b = float(rng.normal(0.0, 0.8))
            truth[eid] = b
            exercises.append(Exercise(eid, c, round(b + float(rng.normal(0.0, 0.4)), 3)))
    return exercises, truth


def random_course(
    n: int, rng: np.random.Generator, *, per_concept: int = 6, unit_size: int = 5
) -> Course:
    """A random prerequisite DAG of ``n`` concepts, in a teaching order, with units."""
    nodes = []
    for i in range(n):
        k = 0 if i == 0 else int(rng.choice([0, 1, 1, 2, 2, 3]))
        window = list(range(max(0, i - 6), i))
        older = list(range(0, max(0, i - 6)))
        prereqs: set[int] = set()
        for _ in range(min(k, i)):
            pool = window if (rng.random() < 0.8 or not older) else older
            prereqs.add(int(rng.choice(pool)))
        nodes.append(
            ConceptNode(
                f"c{i:02d}",
                tuple(f"c{j:02d}" for j in sorted(prereqs)),
                unit=f"u{i // unit_size}",
            )
        )
    graph = ConceptGraph(nodes)
    ex, truth = _exercises(graph, rng, per_concept)
    return Course(f"random-{n}", graph, ex, truth)


REAL_COURSE = [
    # (concept, prerequisites, unit) — the prerequisite structure of an introductory Python
    # course (the order of a typical textbook's first eight chapters).
    ("values-and-types", (), "basics"),
    ("variables", ("values-and-types",), "basics"),
    ("arithmetic-expressions", ("variables",), "basics"),
    ("strings", ("values-and-types",), "basics"),
    ("input-output", ("variables", "strings"), "basics"),
    ("booleans", ("values-and-types",), "control"),
    ("comparisons", ("booleans", "arithmetic-expressions"), "control"),
    ("if-statements", ("comparisons",), "control"),
    ("while-loops", ("if-statements",), "control"),
    ("for-loops", ("while-loops",), "control"),
    ("functions", ("variables",), "functions"),
    ("parameters-and-return", ("functions",), "functions"),
    ("scope", ("parameters-and-return",), "functions"),
    ("recursion", ("parameters-and-return", "if-statements"), "functions"),
    ("lists", ("for-loops",), "collections"),
    ("list-methods", ("lists",), "collections"),
    ("string-methods", ("strings", "lists"), "collections"),
    ("tuples", ("lists",), "collections"),
    ("dictionaries", ("lists",), "collections"),
    ("comprehensions", ("lists", "for-loops", "if-statements"), "collections"),
    ("files", ("strings", "for-loops"), "programs"),
    ("exceptions", ("functions", "if-statements"), "programs"),
    ("modules", ("functions",), "programs"),
    ("classes", ("functions", "dictionaries"), "objects"),
    ("methods-and-self", ("classes",), "objects"),
    ("inheritance", ("methods-and-self",), "objects"),
]


def real_course(rng: np.random.Generator, *, per_concept: int = 6) -> Course:
    graph = ConceptGraph(ConceptNode(c, p, unit=u) for c, p, u in REAL_COURSE)
    ex, truth = _exercises(graph, rng, per_concept)
    return Course("intro-python", graph, ex, truth)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class SimLearner:
    """One simulated learner; ``answer`` returns right/wrong and applies learning."""

    def __init__(self, course: Course, family: str, rng: np.random.Generator):
        if family not in FAMILIES:
            raise ValueError(f"unknown learner family {family!r}; choose from {FAMILIES}")
        self.course = course
        self.family = family
        self.rng = rng
        g = course.graph
        self.prior_level = float(rng.uniform(0.0, 0.8))
        if family == "bkt":
            self.speed = float(rng.uniform(0.1, 0.4))
            self.guess = float(rng.uniform(0.1, 0.25))
            self.slip = float(rng.uniform(0.03, 0.12))
        else:
            self.speed = float(rng.uniform(0.25, 0.8))
            self.decay = 0.0005
        self.theta: dict[str, float] = {}
        known: set[str] = set()
        # Prior knowledge follows the course order: a learner has met roughly the first
        # ``prior_level`` share of it (each such concept known with probability 0.9, later ones
        # with 0.05), and knowing a concept without its prerequisites is rarer (x 0.3).
        n = len(g.order)
        for i, c in enumerate(g.order):
            p = 0.9 if i < self.prior_level * n else 0.05
            if not all(q in known for q in g.prerequisites(c)):
                p *= 0.3
            if rng.random() < p:
                known.add(c)
            if family == "logistic":
                self.theta[c] = (
                    float(rng.uniform(1.2, 2.5)) if c in known else float(rng.uniform(-2.0, 0.0))
                )
        self._known = known

    # ---------------------------------------------------------------- hidden truth
    def knows(self, concept: str) -> bool:
        if self.family == "bkt":
            return concept in self._known
        return self.theta[concept] >= KNOWN_THETA

    def knows_all(self) -> bool:
        return all(self.knows(c) for c in self.course.graph.order)

    def known_count(self) -> int:
        return sum(self.knows(c) for c in self.course.graph.order)

    # ---------------------------------------------------------------- one exercise
    def answer(self, exercise: Exercise) -> bool:
        c = exercise.concept_id
        b = self.course.true_difficulty[exercise.id]
        prereqs_known = all(self.knows(p) for p in self.course.graph.prerequisites(c))
        if self.family == "bkt":
            if self.knows(c):
                p = 1.0 - min(0.4, self.slip * math.exp(0.3 * b))
            else:
                p = min(0.4, self.guess * math.exp(-0.3 * b))
            right = bool(self.rng.random() < p)
            if c not in self._known:
                rate = self.speed if prereqs_known else self.speed * 0.1
                if self.rng.random() < rate:
                    self._known.add(c)
            return right
        p = 0.15 + 0.8 * _sigmoid(2.0 * (self.theta[c] - b))
        right = bool(self.rng.random() < p)
        for k in self.theta:
            self.theta[k] -= self.decay
        gain = self.speed * float(self.rng.uniform(0.5, 1.5))
        self.theta[c] += gain if prereqs_known else gain * 0.2
        return right
