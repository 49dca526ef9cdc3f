"""Teach first, then ask (tutor/pacing): a concept's first step comes with its whole lesson, so
its first question is one that lesson does not answer; a concept whose every question the
lesson answers is read first and asked after other steps; a concept with nothing to practise
whose lesson is part of another's is taught with it, not read as a copy of it."""

from datetime import UTC, datetime, timedelta

from teachback.tutor.attempts import AttemptEvent
from teachback.tutor.mastery import ConceptGraph, ConceptNode, MasteryTracker
from teachback.tutor.pacing import Exercise, HistoryItem, PacingSettings, next_step

PLAIN = PacingSettings(placement=False, test_out=False, final_check=0)
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _ev(i: int, concept: str, ok: bool, exercise: str) -> AttemptEvent:
    return AttemptEvent(
        event_id=str(i),
        learner_id="l",
        curriculum_id="c",
        exercise_id=exercise,
        concept_id=concept,
        correct=ok,
        at=(T0 + timedelta(minutes=i)).isoformat(),
    )


def _step(graph, exercises, history=(), tracker=None, **kw):
    tracker = tracker or MasteryTracker(graph)
    return next_step(graph, tracker.state, exercises, history=list(history), settings=PLAIN, **kw)


def test_the_first_question_of_a_concept_is_one_its_lesson_does_not_answer():
    graph = ConceptGraph([ConceptNode("a", (), "u1")])
    # the matching is the easiest (nearest the target at first), but the lesson prints its
    # descriptions: it comes second, when the lesson is no longer shown whole above it
    exercises = [
        Exercise("a#match", "a", -1.0, gives_away=True),
        Exercise("a#short", "a", 1.0),
    ]
    first = _step(graph, exercises)
    assert (first.kind, first.exercise_id) == ("learn", "a#short")
    second = _step(graph, exercises, [HistoryItem("learn", "a", "a#short", True)])
    assert (second.kind, second.exercise_id) == ("learn", "a#match")


def test_a_concept_whose_lesson_answers_every_question_is_read_first_and_asked_later():
    graph = ConceptGraph([ConceptNode("a", (), "u1"), ConceptNode("b", (), "u1")])
    exercises = [Exercise("a#which", "a", 0.0, gives_away=True), Exercise("b#1", "b", 0.0)]
    tracker = MasteryTracker(graph, questions={"b": ["b#1"]})
    first = _step(graph, exercises, tracker=tracker)
    assert (first.kind, first.concept_id, first.exercise_id) == ("read", "a", None)
    assert "read its lesson first" in first.reason
    # right after the lesson its question would test reading: another concept comes between
    history = [HistoryItem("read", "a")]
    second = _step(graph, exercises, history, tracker)
    assert (second.kind, second.exercise_id) == ("learn", "b#1")
    tracker.apply(_ev(1, "b", True, "b#1"))
    history.append(HistoryItem("learn", "b", "b#1", True))
    third = _step(graph, exercises, history, tracker)
    assert (third.kind, third.exercise_id) == ("learn", "a#which")


def test_a_lesson_that_is_part_of_another_concepts_is_taught_with_it_not_read_again():
    # v has nothing to practise and its lesson is k's: it is not a step of its own
    graph = ConceptGraph([ConceptNode("v", (), "u1"), ConceptNode("k", (), "u2")])
    exercises = [Exercise("k#1", "k", 0.0)]
    carried = {"v": frozenset({"k"})}
    first = _step(graph, exercises, taught_with=carried)
    assert (first.kind, first.concept_id) == ("learn", "k")
    # without the carrier it would have opened the course
    assert (_step(graph, exercises).kind, _step(graph, exercises).concept_id) == ("read", "v")
    # k mastered: v is taught, and the course is done without a read step for it
    tracker = MasteryTracker(graph, questions={"k": ["k#1"]})
    tracker.apply(_ev(1, "k", True, "k#1"))
    done = _step(graph, exercises, [HistoryItem("learn", "k", "k#1", True)], tracker,
                 taught_with=carried)  # fmt: skip
    assert done.kind == "done", done
