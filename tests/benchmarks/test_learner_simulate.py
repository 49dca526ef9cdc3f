import json

import numpy as np
from click.testing import CliRunner

from teachback.benchmarks.simulate import SimLearner, random_course, real_course


def test_random_course_is_a_dag_of_the_requested_size_with_exercises():
    course = random_course(25, np.random.default_rng(0))
    assert len(course.graph) == 25
    for c in course.graph.order:
        assert all(
            course.graph.index[p] < course.graph.index[c] for p in course.graph.prerequisites(c)
        )
    assert {e.concept_id for e in course.exercises} == set(course.graph.order)


def test_bkt_learner_learns_only_slowly_without_prerequisites():
    course = real_course(np.random.default_rng(0))
    fast_gain = slow_gain = 0
    for seed in range(40):
        learner = SimLearner(course, "bkt", np.random.default_rng(seed))
        learner._known = set()
        ex = next(e for e in course.exercises if e.concept_id == "values-and-types")
        for _ in range(3):
            learner.answer(ex)
        fast_gain += learner.knows("values-and-types")
        learner._known = set()
        ex = next(e for e in course.exercises if e.concept_id == "inheritance")
        for _ in range(3):
            learner.answer(ex)
        slow_gain += learner.knows("inheritance")
    assert fast_gain > slow_gain + 5


def test_pacing_bench_smoke():
    from teachback.benchmarks.pacing import command

    result = CliRunner().invoke(command, ["--learners", "4", "--seed", "3"])
    assert result.exit_code == 0, result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    assert {"reduction_vs_linear_bkt", "false_mastery"} <= set(last)
    assert "linear, BKT>=0.95" in result.output and "random" in result.output
