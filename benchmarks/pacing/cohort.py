"""Every policy on the same cohort of simulated learners, and the BKT parameters fitted on an
earlier cohort.

The same learner (course, hidden profile, random stream) meets every policy, so the policies
differ only in what they choose.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from teachback.benchmarks.pacing.policies import (
    FIXED_N,
    make_linear_fixed,
    make_ours,
    policy_linear_bkt,
    policy_random,
)
from teachback.benchmarks.pacing.run import run_one
from teachback.benchmarks.simulate import FAMILIES, SimLearner, random_course, real_course
from teachback.tutor import bkt
from teachback.tutor.mastery import PersonalModel
from teachback.tutor.pacing import PacingSettings


def draw_cohort(n: int, master: np.random.Generator, families):
    for i in range(n):
        family = families[i % len(families)]
        course_seed, learner_seed, run_seed = (int(x) for x in master.integers(0, 2**31, 3))
        crng = np.random.default_rng(course_seed)
        if i % 3 == 2:
            course = real_course(crng)
        else:
            course = random_course(int(crng.integers(15, 41)), crng)
        yield family, course, learner_seed, run_seed


def calibrate_params(
    n: int, seed: int, families=FAMILIES, *, difficulty_aware: bool = True
) -> bkt.BKTParams:
    """EM-fit BKT parameters on the answers of an earlier cohort taught by linear + BKT.

    This is what the tutor does in deployment ("defaults first, fitted by EM once there is
    enough data"); here all concepts are pooled into one skill because every random course is
    different. The calibration learners are not the evaluation learners (different seed).
    """
    sequences = []
    for family, course, learner_seed, run_seed in draw_cohort(
        n, np.random.default_rng(seed + 100_003), families
    ):
        learner = SimLearner(course, family, np.random.default_rng(learner_seed))
        run = run_one(
            course,
            learner,
            policy_linear_bkt,
            np.random.default_rng(run_seed),
            difficulty_aware=difficulty_aware,
        )
        per_concept: dict[str, list[int]] = {}
        for concept, right in run["answers"]:
            per_concept.setdefault(concept, []).append(right)
        sequences.extend(per_concept.values())
    return bkt.fit_em(sequences, fit_forget=False)


def simulate(
    learners: int,
    seed: int,
    families=FAMILIES,
    settings: PacingSettings | None = None,
    params: bkt.BKTParams = bkt.DEFAULT_PARAMS,
    only: tuple[str, ...] | None = None,
    *,
    difficulty_aware: bool = True,
):
    """Run every policy on ``learners`` simulated learners; returns per-policy lists of runs.

    ``params``: the BKT parameters every BKT-based policy uses (baselines and ours alike).
    ``only``: run just these policies (by name).
    """
    settings = settings or PacingSettings()
    own = PersonalModel()
    policies = {
        "random": (policy_random, False, None),
        f"linear, {FIXED_N} each": (make_linear_fixed(FIXED_N), True, None),
        "linear, BKT>=0.95": (policy_linear_bkt, False, None),
        "linear, own-rate BKT": (policy_linear_bkt, False, own),
        "ours (adaptive)": (make_ours(settings), False, own),
        "ours without placement": (make_ours(replace(settings, placement=False)), False, own),
        "ours on plain BKT": (make_ours(settings), False, None),
        "ours with test-outs": (make_ours(replace(settings, test_out=True)), False, own),
    }
    if only:
        policies = {k: v for k, v in policies.items() if k in only}
    results: dict[str, list[dict]] = {name: [] for name in policies}
    meta = []
    for family, course, learner_seed, run_seed in draw_cohort(
        learners, np.random.default_rng(seed), families
    ):
        fresh = SimLearner(course, family, np.random.default_rng(learner_seed))
        meta.append(
            {
                "family": family,
                "course": course.name,
                "concepts": len(course.graph),
                "prior_share": fresh.known_count() / len(course.graph),
            }
        )
        for name, (policy, fixed, personal) in policies.items():
            # Same learner (profile and random stream) for every policy.
            learner = SimLearner(course, family, np.random.default_rng(learner_seed))
            run = run_one(
                course,
                learner,
                policy,
                np.random.default_rng(run_seed),
                declared_fixed=fixed,
                params=params,
                personal=personal,
                difficulty_aware=difficulty_aware,
            )
            run.update(meta[-1])
            results[name].append(run)
    return results


def summarise(runs: list[dict]) -> dict:
    return {
        "until_known": float(np.mean([r["until_known"] for r in runs])),
        "reached": float(np.mean([r["reached"] for r in runs])),
        "exercises": float(np.mean([r["exercises"] for r in runs])),
        "wasted": float(np.mean([r["wasted"] for r in runs])),
        "false_mastery": float(np.mean([r["false_mastery"] for r in runs])),
    }
