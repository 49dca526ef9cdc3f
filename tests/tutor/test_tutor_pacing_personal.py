"""The learner's own rates (``mastery.PersonalModel``) and leaves set aside by the pacing policy."""

from datetime import UTC, datetime, timedelta

import numpy as np

from teachback.benchmarks.pacing.cohort import draw_cohort
from teachback.benchmarks.pacing.policies import make_ours, policy_linear_bkt
from teachback.benchmarks.pacing.run import run_one
from teachback.benchmarks.simulate import SimLearner
from teachback.tutor import bkt
from teachback.tutor.attempts import AttemptEvent
from teachback.tutor.mastery import ConceptGraph, ConceptNode, MasteryTracker, PersonalModel
from teachback.tutor.pacing import Exercise, HistoryItem, PacingSettings, next_step

T0 = datetime(2026, 1, 1, tzinfo=UTC)
CHAIN = ConceptGraph([ConceptNode(f"k{i:02d}", (f"k{i - 1:02d}",) if i else ()) for i in range(30)])


def _ev(i, concept, ok):
    return AttemptEvent(
        event_id=str(i),
        learner_id="l",
        curriculum_id="c",
        exercise_id=f"{concept}#0",
        concept_id=concept,
        correct=ok,
        at=(T0 + timedelta(minutes=i)).isoformat(),
    )


def _answers_to_master(misses_first: int, personal: PersonalModel | None, concepts=12):
    """Answers per concept until mastered, for a learner who misses ``misses_first`` times on
    each new concept and then answers right; also returns the tracker."""
    tracker = MasteryTracker(CHAIN, personal=personal, reviews=False)
    i, used = 0, []
    for c in CHAIN.order[:concepts]:
        n = 0
        while not tracker.state.concepts[c].mastered and n < 20:
            tracker.apply(_ev(i, c, n >= misses_first))
            i += 1
            n += 1
        used.append(n)
    return used, tracker


def test_fitted_learn_rate_follows_the_learners_own_speed():
    _, fast = _answers_to_master(1, PersonalModel())
    _, slow = _answers_to_master(10, PersonalModel())
    assert fast.state.personal is not None and slow.state.personal is not None
    assert fast.state.personal.learn > bkt.DEFAULT_PARAMS.learn > slow.state.personal.learn


def test_a_fast_learner_needs_fewer_answers_with_own_rates():
    plain_fast, _ = _answers_to_master(1, None)
    own_fast, _ = _answers_to_master(1, PersonalModel())
    assert plain_fast[0] == own_fast[0]  # no data yet: the population rates
    assert sum(own_fast) < sum(plain_fast)
    assert own_fast[-1] < plain_fast[-1]


def test_personal_rates_are_deterministic_and_stay_near_the_population_with_little_data():
    _, a = _answers_to_master(2, PersonalModel(), concepts=3)
    _, b = _answers_to_master(2, PersonalModel(), concepts=3)
    assert a.state.personal == b.state.personal
    assert a.state.concepts == b.state.concepts
    assert abs(a.state.personal.guess - bkt.DEFAULT_PARAMS.guess) < 0.1


# a -> b -> d, a -> c (c and d are leaves)
TREE = ConceptGraph(
    [ConceptNode("a"), ConceptNode("b", ("a",)), ConceptNode("c", ("a",)), ConceptNode("d", ("b",))]
)
TREE_EX = [Exercise(f"{c}#{k}", c, d) for c in "abcd" for k, d in enumerate((-1.0, 0.0, 1.0))]


def test_a_leaf_that_is_probably_known_is_set_aside_until_the_rest_is_mastered():
    tracker = MasteryTracker(TREE, reviews=False)
    s = PacingSettings(placement=False, final_check=0)
    history = []
    for i in range(4):
        tracker.apply(_ev(i, "a", True))
    history += [HistoryItem("learn", "a", "a#0", True)] * 4
    assert tracker.state.concepts["a"].mastered
    tracker.apply(_ev(10, "c", True))
    tracker.apply(_ev(11, "c", True))
    history += [HistoryItem("learn", "c", "c#0", True)] * 2
    c = tracker.state.concepts["c"]
    assert 0.85 <= c.p_known < 0.95 and not c.mastered
    step = next_step(TREE, tracker.state, TREE_EX, history=history, settings=s)
    assert (step.kind, step.concept_id) == ("learn", "b")  # c (a leaf) waits
    # without setting aside, c is practised to the threshold first
    keep = PacingSettings(placement=False, final_check=0, defer_leaves_at=None)
    assert next_step(TREE, tracker.state, TREE_EX, history=history, settings=keep).concept_id in (
        "b",
        "c",
    )
    for i, concept in enumerate("bbbbdddd"):
        tracker.apply(_ev(20 + i, concept, True))
        history.append(HistoryItem("learn", concept, f"{concept}#1", True))
    assert {"a", "b", "d"} <= tracker.state.mastered() and "c" not in tracker.state.mastered()
    step = next_step(TREE, tracker.state, TREE_EX, history=history, settings=s)
    assert (step.kind, step.concept_id) == ("learn", "c")  # back to c before anything is "done"


def test_a_concept_others_build_on_is_not_set_aside():
    tracker = MasteryTracker(TREE, reviews=False)
    tracker.apply(_ev(0, "a", True))
    tracker.apply(_ev(1, "a", True))
    assert 0.85 <= tracker.state.concepts["a"].p_known < 0.95
    s = PacingSettings(placement=False, final_check=0)
    step = next_step(TREE, tracker.state, TREE_EX, settings=s)
    assert (step.kind, step.concept_id) == ("learn", "a")  # b, c, d need it: stay on it


def _batch(seed: int, n: int):
    """Ours and linear + BKT >= 0.95 on the same ``n`` simulated learners (the bench's cohort)."""
    out = {"ours": [], "linear": []}
    for family, course, learner_seed, run_seed in draw_cohort(
        n, np.random.default_rng(seed), ("bkt", "logistic")
    ):
        for name, policy, personal in (
            ("ours", make_ours(PacingSettings()), PersonalModel()),
            ("linear", policy_linear_bkt, None),
        ):
            learner = SimLearner(course, family, np.random.default_rng(learner_seed))
            out[name].append(
                run_one(course, learner, policy, np.random.default_rng(run_seed), personal=personal)
            )
    return out


def test_simulated_batch_ours_is_faster_than_linear_bkt_with_bounded_false_mastery():
    """A small fixed batch (the same learners for both policies): ours gets every concept known
    sooner than linear + BKT >= 0.95 and falsely masters fewer concepts, and few."""
    runs = _batch(seed=5, n=12)

    def mean(name, key):
        return float(np.mean([r[key] for r in runs[name]]))

    assert mean("ours", "until_known") < 0.9 * mean("linear", "until_known")
    assert mean("ours", "false_mastery") <= 0.5
    assert mean("ours", "false_mastery") < mean("linear", "false_mastery")
