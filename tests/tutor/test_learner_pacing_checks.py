"""Final checks (risk order, breadth-first, per-learner length) and prerequisite probes."""

from datetime import UTC, datetime, timedelta

from teachback.tutor import bkt
from teachback.tutor.attempts import AttemptEvent
from teachback.tutor.mastery import STRICT_PARAMS, ConceptGraph, ConceptNode, replay
from teachback.tutor.pacing import (
    Exercise,
    HistoryItem,
    PacingSettings,
    final_check_answers,
    next_step,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
# a -> b -> c, and x on its own
GRAPH = ConceptGraph(
    [ConceptNode("a"), ConceptNode("b", ("a",)), ConceptNode("c", ("b",)), ConceptNode("x")]
)
EXERCISES = [Exercise(f"{c}#{k}", c, d) for c in "abcx" for k, d in enumerate((-1.5, 0.0, 1.5))]
DIFF = {e.id: e.difficulty for e in EXERCISES}


def _ev(i, concept, ok, exercise):
    return AttemptEvent(
        event_id=str(i),
        learner_id="l",
        curriculum_id="c",
        exercise_id=exercise,
        concept_id=concept,
        correct=ok,
        at=(T0 + timedelta(minutes=i)).isoformat(),
    )


def test_strict_evidence_is_lower_for_easy_rights_and_absent_for_implied_concepts():
    easy = replay([_ev(i, "x", True, "x#0") for i in range(4)], GRAPH, difficulty=DIFF)
    hard = replay([_ev(i, "x", True, "x#2") for i in range(4)], GRAPH, difficulty=DIFF)
    assert easy.concepts["x"].mastered and hard.concepts["x"].mastered
    assert easy.concepts["x"].p_strict < hard.concepts["x"].p_strict
    # c mastered by its own answers; a and b only by implication: no direct evidence for them
    state = replay([_ev(i, "c", True, "c#1") for i in range(4)], GRAPH, difficulty=DIFF)
    assert state.concepts["a"].mastered and state.concepts["a"].source == "implied"
    assert state.concepts["a"].p_strict == STRICT_PARAMS.prior
    assert state.concepts["c"].p_strict > STRICT_PARAMS.prior


def test_strict_evidence_never_decides_mastery():
    state = replay([_ev(i, "x", True, "x#0") for i in range(4)], GRAPH, difficulty=DIFF)
    st = state.concepts["x"]
    assert st.mastered and st.p_strict < 0.95  # mastered by BKT although strictly unproven


def test_final_check_asks_the_least_evidenced_concept_first():
    events = [_ev(i, "x", True, "x#2") for i in range(4)]  # x: strong direct evidence
    events += [_ev(10 + i, "c", True, "c#0") for i in range(5)]  # c: easy rights, a b implied
    state = replay(events, GRAPH, difficulty=DIFF)
    assert state.mastered() == {"a", "b", "c", "x"}
    history = [HistoryItem("learn", e.concept_id, e.exercise_id, True) for e in events]
    s = PacingSettings(placement=False, test_out=False, final_check=1)
    step = next_step(GRAPH, state, EXERCISES, history=history, settings=s)
    assert step.kind == "review" and step.meta["final_check"]
    assert step.concept_id == "a"  # implied, never answered: the likeliest hole
    # once a and b are confirmed, the weakly evidenced c comes before the strongly evidenced x
    history += [HistoryItem("review", c, f"{c}#1", True) for c in "ab"]
    step = next_step(GRAPH, state, EXERCISES, history=history, settings=s)
    assert step.concept_id == "c"
    assert state.concepts["c"].p_strict < state.concepts["x"].p_strict
    # the older behaviour (teaching order) asks x first when x comes first in the course
    g2 = ConceptGraph(
        [ConceptNode("x"), ConceptNode("a"), ConceptNode("b", ("a",)), ConceptNode("c", ("b",))]
    )
    state2 = replay(events, g2, difficulty=DIFF)
    plain = PacingSettings(placement=False, test_out=False, final_check=1, check_order="teaching")
    assert next_step(g2, state2, EXERCISES, history=history[:9], settings=plain).concept_id == "x"
    assert next_step(g2, state2, EXERCISES, history=history[:9], settings=s).concept_id == "a"


def test_stuck_learner_probes_the_least_evidenced_prerequisite_first():
    # e needs d and y; d was answered right on hard exercises, y only mastered on easy ones
    g = ConceptGraph([ConceptNode("d"), ConceptNode("y"), ConceptNode("e", ("d", "y"))])
    ex = [Exercise(f"{c}#{k}", c, dd) for c in "dye" for k, dd in enumerate((-1.5, 0.0, 1.5))]
    diff = {e.id: e.difficulty for e in ex}
    events = [_ev(i, "d", True, "d#2") for i in range(4)]
    events += [_ev(10 + i, "y", True, "y#0") for i in range(5)]
    history = [HistoryItem("learn", e.concept_id, e.exercise_id, True) for e in events]
    s = PacingSettings(placement=False, test_out=False, final_check=0)
    i = 20
    for _ in range(3):  # three misses, then a re-explanation, then two more misses
        events.append(_ev(i, "e", False, "e#1"))
        history.append(HistoryItem("learn", "e", "e#1", False))
        i += 1
    history.append(HistoryItem("reexplain", "e"))
    for _ in range(2):
        events.append(_ev(i, "e", False, "e#1"))
        history.append(HistoryItem("learn", "e", "e#1", False))
        i += 1
    state = replay(events, g, difficulty=diff)
    assert state.concepts["d"].mastered and state.concepts["y"].mastered
    step = next_step(g, state, ex, history=history, settings=s)
    assert (step.kind, step.concept_id) == ("probe_prerequisite", "y")


def _all_mastered():
    events = [_ev(i, "x", True, "x#2") for i in range(4)]
    events += [_ev(10 + i, "c", True, "c#1") for i in range(4)]
    state = replay(events, GRAPH, difficulty=DIFF)
    assert state.mastered() == {"a", "b", "c", "x"}
    return state, [HistoryItem("learn", e.concept_id, e.exercise_id, True) for e in events]


def test_final_check_goes_breadth_first():
    state, history = _all_mastered()
    s = PacingSettings(placement=False, test_out=False, final_check=2, check_alpha=None)
    asked = []
    for _ in range(8):
        step = next_step(GRAPH, state, EXERCISES, history=history, settings=s)
        assert step.kind == "review" and step.meta["final_check"]
        asked.append(step.concept_id)
        history.append(HistoryItem("review", step.concept_id, step.exercise_id, True))
    # every concept once (least evidenced first), then every concept a second time
    assert asked == ["a", "b", "c", "x", "a", "b", "c", "x"]
    assert next_step(GRAPH, state, EXERCISES, history=history, settings=s).kind == "done"
    # depth-first (the previous behaviour) asks a twice before moving on
    depth = PacingSettings(
        placement=False, test_out=False, final_check=2, check_alpha=None, check_breadth_first=False
    )
    _, h = _all_mastered()
    h.append(HistoryItem("review", "a", "a#1", True))
    assert next_step(GRAPH, state, EXERCISES, history=h, settings=depth).concept_id == "a"


def test_final_check_asks_more_of_a_learner_who_guesses_a_lot():
    state, history = _all_mastered()
    s = PacingSettings(placement=False, test_out=False)  # defaults: final_check 2, alpha 0.05
    assert final_check_answers(state, s) == 2  # population guess 0.2: 0.2**2 = 0.04 <= 0.05
    state.personal = bkt.BKTParams(guess=0.3)  # 0.3**2 = 0.09: two lucky answers too likely
    # ... but rates fitted on answers without a miss say nothing about guessing
    assert final_check_answers(state, s) == 2
    state.concepts["x"].attempts += 1  # one miss: the learner's own guess rate counts
    assert final_check_answers(state, s) == 3
    history += [HistoryItem("review", c, f"{c}#1", True) for c in "abcx" for _ in range(2)]
    step = next_step(GRAPH, state, EXERCISES, history=history, settings=s)
    assert step.kind == "review" and step.meta["final_check"]
    history += [HistoryItem("review", c, f"{c}#1", True) for c in "abcx"]
    assert next_step(GRAPH, state, EXERCISES, history=history, settings=s).kind == "done"
    state.personal = bkt.BKTParams(guess=0.1)
    assert final_check_answers(state, s) == 2  # never below final_check
    assert final_check_answers(state, PacingSettings(final_check=0)) == 0


def test_a_concept_with_fewer_questions_than_the_check_needs_is_asked_each_once():
    """x has one question, b two: the final check asks each of them once, not the same
    question two or three times; a and c (three questions) still need three."""
    exercises = [e for e in EXERCISES if e.concept_id in "ac" or e.id in ("b#0", "b#1", "x#0")]
    state, history = _all_mastered()
    state.personal = bkt.BKTParams(guess=0.3)  # three right answers for a concept that has them
    state.concepts["x"].attempts += 1  # (after a miss: see the test above)
    s = PacingSettings(placement=False, test_out=False)
    asked = []
    for _ in range(20):
        step = next_step(GRAPH, state, exercises, history=history, settings=s)
        if step.kind == "done":
            break
        asked.append(step.concept_id)
        history.append(HistoryItem("review", step.concept_id, step.exercise_id, True))
    assert sorted(asked) == ["a", "a", "a", "b", "b", "c", "c", "c", "x"]


def test_answering_every_question_of_a_concept_right_masters_it():
    """A concept with one or two questions is mastered when each has been answered right
    (latest answer), not by asking the same question until BKT reaches the threshold."""
    questions = {"x": ["x#0"], "b": ["b#0", "b#1"], "c": [f"c#{k}" for k in range(6)]}
    one = replay([_ev(0, "x", True, "x#0")], GRAPH, difficulty=DIFF, questions=questions)
    assert one.concepts["x"].mastered and one.concepts["x"].p_known == bkt.MASTERY_THRESHOLD
    plain = replay([_ev(0, "x", True, "x#0")], GRAPH, difficulty=DIFF)  # no questions given
    assert not plain.concepts["x"].mastered
    half = replay([_ev(0, "b", True, "b#0")], GRAPH, difficulty=DIFF, questions=questions)
    assert not half.concepts["b"].mastered
    both = [_ev(0, "b", True, "b#0"), _ev(1, "b", True, "b#1")]
    state = replay(both, GRAPH, difficulty=DIFF, questions=questions)
    assert state.concepts["b"].mastered and state.concepts["a"].mastered  # a: implied
    # A miss on one of them since: its latest answer is wrong, so not every question is known.
    missed = [_ev(0, "b", True, "b#0"), _ev(1, "b", False, "b#1"), _ev(2, "b", True, "b#0")]
    assert not replay(missed, GRAPH, difficulty=DIFF, questions=questions).concepts["b"].mastered
    # Six questions: two right answers are BKT's evidence, as before.
    two = [_ev(0, "c", True, "c#0"), _ev(1, "c", True, "c#1")]
    assert not replay(two, GRAPH, difficulty=DIFF, questions=questions).concepts["c"].mastered
