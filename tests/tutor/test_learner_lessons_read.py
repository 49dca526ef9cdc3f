"""Concepts with no exercise are taught by their lesson: the pacing policy asks the learner to
read it, a lesson read counts as passed for what builds on it and for finishing, and "done" is
never said while a concept is neither mastered nor read."""

from datetime import UTC, datetime, timedelta

from teachback.tutor.attempts import AttemptEvent, LessonRead
from teachback.tutor.mastery import ConceptGraph, ConceptNode, MasteryTracker, replay
from teachback.tutor.pacing import Exercise, HistoryItem, PacingSettings, next_step

T0 = datetime(2026, 1, 1, tzinfo=UTC)
# a -> b -> c, a -> d; b and d have no exercise (nothing to practise: a lesson to read)
GRAPH = ConceptGraph(
    [
        ConceptNode("a", (), "u1"),
        ConceptNode("b", ("a",), "u1"),
        ConceptNode("c", ("b",), "u1"),
        ConceptNode("d", ("a",), "u2"),
    ]
)
EXERCISES = [Exercise(f"{c}#{k}", c, d) for c in "ac" for k, d in enumerate((-1.0, 0.0, 1.0))]


def _answer(i: int, exercise: Exercise) -> AttemptEvent:
    return AttemptEvent(
        event_id=str(i),
        learner_id="l",
        curriculum_id="k",
        exercise_id=exercise.id,
        concept_id=exercise.concept_id,
        correct=True,
        at=(T0 + timedelta(minutes=i)).isoformat(),
    )


def _read(i: int, concept: str) -> LessonRead:
    return LessonRead(
        event_id=str(i),
        learner_id="l",
        curriculum_id="k",
        concept_id=concept,
        at=(T0 + timedelta(minutes=i)).isoformat(),
    )


def run_all_right(settings: PacingSettings, *, log_reads: bool, limit: int = 200):
    """A learner who answers everything right and reads every lesson asked for: the steps'
    kinds and concepts until "done", and the tracker at the end. ``log_reads``: the lesson
    read goes into the log (the tutor), else only into the history (the benchmark)."""
    tracker = MasteryTracker(GRAPH, reviews=False)
    by_id = {e.id: e for e in EXERCISES}
    history: list[HistoryItem] = []
    steps = []
    for i in range(limit):
        step = next_step(GRAPH, tracker.state, EXERCISES, history=history, settings=settings)
        steps.append((step.kind, step.concept_id))
        if step.kind in ("done", "capped"):
            return steps, tracker
        if step.kind == "read":
            assert step.exercise_id is None
            if log_reads:
                tracker.apply(_read(i, step.concept_id))
            history.append(HistoryItem("read", step.concept_id))
            continue
        tracker.apply(_answer(i, by_id[step.exercise_id]))
        history.append(HistoryItem(step.kind, step.concept_id, step.exercise_id, True))
    raise AssertionError(f"no 'done' after {limit} steps: {steps[-5:]}")


def test_an_all_right_learner_reads_each_lesson_once_in_teaching_order_and_finishes():
    steps, tracker = run_all_right(PacingSettings(placement=False), log_reads=True)
    reads = [c for kind, c in steps if kind == "read"]
    assert reads == ["b", "d"]  # each once; b before c, which builds on it
    assert steps.index(("read", "b")) < min(i for i, s in enumerate(steps) if s[1] == "c")
    assert steps[-1] == ("done", None)
    assert tracker.state.read() == {"b", "d"}
    assert tracker.state.mastered() == {"a", "b", "c"}  # b also by implication, from c


def test_with_placement_a_read_in_the_history_alone_counts_too():
    steps, tracker = run_all_right(PacingSettings(), log_reads=False)
    # placement probes c; mastering it implies a and b, so only d's lesson is left to read
    assert steps[0] == ("placement", "c")
    assert [c for kind, c in steps if kind == "read"] == ["d"]
    assert steps[-1] == ("done", None) and tracker.state.read() == set()
    assert tracker.state.mastered() == {"a", "b", "c"}


def test_never_done_while_a_lesson_is_unread():
    # a and c mastered from the log, nothing read: the policy asks for the lessons, not "done"
    events = [_answer(i, e) for i, e in enumerate(EXERCISES * 4)]
    state = replay(events, GRAPH, reviews=False)
    assert {"a", "c"} <= state.mastered()  # c's mastery implied b's (its prerequisite)
    step = next_step(GRAPH, state, EXERCISES, settings=PacingSettings(final_check=0))
    assert (step.kind, step.concept_id) == ("read", "d")
    history = [HistoryItem("read", "d")]
    done = next_step(
        GRAPH, state, EXERCISES, history=history, settings=PacingSettings(final_check=0)
    )
    assert done.kind == "done" and done.reason == "every concept is mastered or its lesson read"


def test_a_lesson_read_is_not_evidence_of_knowing():
    state = replay([_read(1, "b")], GRAPH)
    b = state.concepts["b"]
    assert (b.read, b.mastered, b.attempts) == (True, False, 0)
    assert b.p_known == replay([], GRAPH).concepts["b"].p_known  # P(known) untouched
    assert state.concepts["a"].mastered is False  # no implication to prerequisites
    assert "b" not in state.cards  # no review card
    assert not isinstance(_answer(1, EXERCISES[0]), LessonRead)  # an answer is never a read


def test_a_concept_that_has_exercises_is_passed_by_mastery_not_by_a_read():
    # "a" was read once (in an earlier version it had no exercise): it must still be practised
    state = replay([_read(1, "a")], GRAPH)
    step = next_step(GRAPH, state, EXERCISES, settings=PacingSettings(placement=False))
    assert (step.kind, step.concept_id) == ("learn", "a")
