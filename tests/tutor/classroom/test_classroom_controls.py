"""Controls become constraints for each member; the tutor honours them (cap, push, pause)."""

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from teachback.errors import NotFound
from teachback.tutor.attempts import AttemptEvent, record_attempt
from teachback.tutor.classroom import controls, sessions
from teachback.tutor.classroom.controls import classroom_constraints
from teachback.tutor.classroom.sessions import Caller

GRACE = Caller.instructor("grace")


def _right(db, learner, concept, n, **kw):
    record_attempt(db, AttemptEvent(event_id=f"{learner}:{concept}:{n}", learner_id=learner,
                                    curriculum_id="water", exercise_id="x", concept_id=concept,
                                    correct=True, **kw))  # fmt: skip


def test_constraints_follow_the_controls(klass):
    db, s = klass
    ada = sessions.join(db, s.code, "Ada")
    assert classroom_constraints(db, "learner-somebody-else", "water") is None
    assert classroom_constraints(db, ada.learner_id, "water") == controls.Constraints(s.id)
    assert classroom_constraints(db, ada.learner_id, "other-curriculum") is None

    controls.set_cap(db, s.id, GRACE, "water/condensation")
    assert classroom_constraints(db, ada.learner_id, "water").cap == "water/condensation"
    controls.pause(db, s.id, GRACE)
    held = classroom_constraints(db, ada.learner_id, "water")
    assert held.hold and "paused" in held.hold and held.cap == "water/condensation"
    controls.resume(db, s.id, GRACE)
    assert classroom_constraints(db, ada.learner_id, "water").hold is None
    controls.set_cap(db, s.id, GRACE, None)
    assert classroom_constraints(db, ada.learner_id, "water").cap is None

    controls.end(db, s.id, GRACE)
    assert classroom_constraints(db, ada.learner_id, "water") is None  # on their own again
    assert [e["op"] for e in controls.events(db, s.id, GRACE)] == [
        "start", "join", "cap", "pause", "resume", "release_cap", "end"]  # fmt: skip


def test_a_push_lasts_until_the_learner_answers_it_right_enough(klass):
    db, s = klass
    ada = sessions.join(db, s.code, "Ada")
    bob = sessions.join(db, s.code, "Bob")
    _right(db, ada.learner_id, "water/runoff", 0, at="2026-01-01T00:00:00+00:00")  # before
    controls.push(db, s.id, GRACE, "water/runoff")
    c = classroom_constraints(db, ada.learner_id, "water")
    assert c.push == "water/runoff" and "Runoff" in c.push_reason
    for n in range(1, controls.PUSH_GOAL + 1):
        assert classroom_constraints(db, ada.learner_id, "water").push == "water/runoff"
        _right(db, ada.learner_id, "water/runoff", n)
    assert classroom_constraints(db, ada.learner_id, "water").push is None
    assert classroom_constraints(db, bob.learner_id, "water").push == "water/runoff"
    controls.push(db, s.id, GRACE, None)
    assert classroom_constraints(db, bob.learner_id, "water").push is None


def test_controls_name_concepts_of_the_class_curriculum_only(klass):
    db, s = klass
    with pytest.raises(NotFound, match="not in curriculum"):
        controls.set_cap(db, s.id, GRACE, "other/thing")
    with pytest.raises(NotFound):
        controls.push(db, s.id, GRACE, "water/nope")


# ---------------------------------------------------------------- honoured by the tutor


def _key(db, payload):
    from teachback.curricula import repository
    from teachback.tutor.answers import answer_text

    ex = repository.get_exercise(db, payload["exercise"]["id"])
    return ex["answer"] if ex["kind"] in ("ordering", "matching") else answer_text(ex["answer"])


def _run(tutor, db, member, limit=60):
    """Answer right until the tutor has nothing more to ask; the concepts asked, in order."""
    from teachback.curricula import repository

    asked = []
    payload = tutor.current(member.learner_id, "water", member.display_name)
    for _ in range(limit):
        if payload["type"] == "done":
            break
        asked.append(payload["concept"]["id"])
        if payload["type"] == "teach_back":
            answer = repository.get_concept(db, payload["concept"]["id"])["definition"]
        else:
            answer = _key(db, payload)
        payload = tutor.answer(member.learner_id, "water", answer, step=payload["step"])
    return asked, payload


def test_nobody_moves_past_the_cap_until_it_is_released(klass):
    from teachback.tutor.session import TutorSessions

    db, s = klass
    ada = sessions.join(db, s.code, "Ada")
    controls.set_cap(db, s.id, GRACE, "water/condensation")
    tutor = TutorSessions(db, InMemorySaver())
    asked, payload = _run(tutor, db, ada)
    assert asked and set(asked) <= {"water/evaporation", "water/condensation"}
    assert payload["type"] == "done" and "paused the class" in payload["reason"]
    controls.set_cap(db, s.id, GRACE, None)
    later, _ = _run(tutor, db, ada, limit=8)  # the learner comes back: the class moves on
    assert {"water/precipitation", "water/runoff"} & set(later)


def test_pause_holds_and_push_brings_everyone_to_the_concept(klass):
    from teachback.tutor.session import TutorSessions

    db, s = klass
    ada = sessions.join(db, s.code, "Ada")
    tutor = TutorSessions(db, InMemorySaver())
    first = tutor.current(ada.learner_id, "water", "Ada")
    assert first["type"] == "exercise"
    controls.pause(db, s.id, GRACE)
    paused = tutor.answer(ada.learner_id, "water", _key(db, first), step=first["step"])
    assert paused["type"] == "done" and "paused" in paused["reason"]
    assert paused["feedback"]["verdict"] == "correct"
    again = tutor.current(ada.learner_id, "water")  # the page asks again: still held ...
    assert again["type"] == "done" and again["held"]
    assert again["feedback"] == paused["feedback"]  # ... and the feedback is still there
    controls.resume(db, s.id, GRACE)
    controls.push(db, s.id, GRACE, "water/runoff")
    pushed = tutor.current(ada.learner_id, "water")
    assert pushed["type"] == "exercise" and pushed["concept"]["id"] == "water/runoff"
    assert "group review" in pushed["reason"]
