from hypothesis import given, settings
from hypothesis import strategies as st

from teachback.tutor import bkt
from teachback.tutor.attempts import AttemptEvent, attempts_for, record_attempt
from teachback.tutor.mastery import ConceptGraph, ConceptNode, replay


def _event(i, concept="a", correct=True, learner="ann", at=None):
    return AttemptEvent(
        event_id=f"e{i}",
        learner_id=learner,
        curriculum_id="cur",
        exercise_id=f"{concept}#1",
        concept_id=concept,
        correct=correct,
        at=at or f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}+00:00",
    )


def test_record_attempt_is_idempotent(db):
    e = _event(1)
    assert record_attempt(db, e) is True
    assert record_attempt(db, e) is False
    assert record_attempt(db, e.model_copy(update={"correct": False})) is False
    rows = list(db["attempts"].rows)
    assert len(rows) == 1 and rows[0]["correct"] == 1
    assert db["learners"].get("ann")["id"] == "ann"


def test_attempts_for_returns_events_in_time_order(db):
    record_attempt(db, _event(2, correct=False))
    record_attempt(db, _event(1))
    record_attempt(db, _event(3, learner="bob"))
    got = attempts_for(db, "ann", "cur")
    assert [e.event_id for e in got] == ["e1", "e2"]
    assert got[1] == _event(2, correct=False)
    assert [e.event_id for e in attempts_for(db, curriculum_id="cur")] == ["e1", "e2", "e3"]


def test_bad_time_stamp_is_rejected_with_a_clear_message():
    try:
        _event(1, at="yesterday")
    except ValueError as err:
        assert "ISO-8601" in str(err)
    else:
        raise AssertionError("expected a validation error")


GRAPH = ConceptGraph(
    [ConceptNode("a"), ConceptNode("b", ("a",)), ConceptNode("c", ("b",)), ConceptNode("d", ("a",))]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcd"), st.booleans()), max_size=40))
def test_replaying_a_log_twice_gives_the_same_state(answers):
    events = [_event(i, c, ok) for i, (c, ok) in enumerate(answers)]
    first = replay(events, GRAPH)
    second = replay(events, GRAPH)
    assert first.concepts == second.concepts
    assert first.flagged == second.flagged
    assert {c: card.to_dict() for c, card in first.cards.items()} == {
        c: card.to_dict() for c, card in second.cards.items()
    }


def test_replay_from_the_database_matches_replay_of_the_events(db):
    events = [_event(i, c, ok) for i, (c, ok) in enumerate([("a", 1), ("a", 1), ("b", 0)])]
    for e in events:
        record_attempt(db, e)
    assert replay(attempts_for(db, "ann", "cur"), GRAPH).concepts == replay(events, GRAPH).concepts


@given(st.floats(0.0, 1.0), st.floats(0.01, 0.3), st.floats(0.01, 0.3), st.floats(0.0, 1.0))
def test_plain_bkt_mastery_never_decreases_on_a_correct_answer(p, guess, slip, learn):
    params = bkt.BKTParams(prior=0.2, learn=learn, forget=0.0, guess=guess, slip=slip)
    assert bkt.step(p, True, params) >= p - 1e-12


def test_bkt_worked_example_from_the_docstring():
    assert round(bkt.step(0.2, True), 3) == 0.6
    assert [round(x, 3) for x in bkt.trace([1, 1])] == [0.2, 0.6]


def test_mastery_of_a_concept_implies_its_prerequisites():
    events = [_event(i, "c", True) for i in range(6)]
    state = replay(events, GRAPH)
    assert state.concepts["c"].mastered and state.concepts["c"].source == "evidence"
    assert state.concepts["b"].mastered and state.concepts["b"].source == "implied"
    assert state.concepts["a"].mastered
    assert not state.concepts["d"].mastered  # not a prerequisite of c


def test_easy_exercises_are_weaker_evidence():
    easy = bkt.for_difficulty(bkt.DEFAULT_PARAMS, -1.5)
    hard = bkt.for_difficulty(bkt.DEFAULT_PARAMS, 1.5)
    assert bkt.posterior(0.2, True, easy) < bkt.posterior(0.2, True, hard)
    assert bkt.posterior(0.8, False, hard) > bkt.posterior(0.8, False, easy)
