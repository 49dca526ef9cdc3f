from datetime import UTC, datetime, timedelta

from teachback.tutor.attempts import AttemptEvent
from teachback.tutor.mastery import ConceptGraph, ConceptNode, replay
from teachback.tutor.pacing import Exercise, PacingSettings, next_step
from teachback.tutor.reviews import due_reviews

T0 = datetime(2026, 1, 1, tzinfo=UTC)
GRAPH = ConceptGraph([ConceptNode("base"), ConceptNode("top", ("base",)), ConceptNode("other")])
EXERCISES = [Exercise(f"{c}#0", c) for c in ("base", "top", "other")]


def _ev(i, concept, ok, when):
    return AttemptEvent(
        event_id=str(i),
        learner_id="l",
        curriculum_id="c",
        exercise_id=f"{concept}#0",
        concept_id=concept,
        correct=ok,
        at=when.isoformat(),
    )


def _mastered_both():
    # base then top mastered on day 0 (3 right answers each)
    return [_ev(i, "base", True, T0 + timedelta(minutes=i)) for i in range(3)] + [
        _ev(10 + i, "top", True, T0 + timedelta(minutes=10 + i)) for i in range(3)
    ]


def test_a_mastered_concept_gets_a_card_and_falls_due_later():
    state = replay(_mastered_both(), GRAPH)
    assert set(state.cards) == {"base", "top"}
    assert due_reviews(state, T0 + timedelta(hours=1)) == []
    later = due_reviews(state, T0 + timedelta(days=30))
    assert [d.concept_id for d in later] == ["base", "top"]
    assert later[0].overdue_days > 0 and 0 < later[0].retrievability < 1
    step = next_step(GRAPH, state, EXERCISES, due=later, settings=PacingSettings(placement=False))
    assert step.kind == "review" and step.concept_id == "base" and "due" in step.reason


def test_successful_review_of_a_concept_pushes_its_prerequisite_due_date():
    base_events = _mastered_both()
    before = replay(base_events, GRAPH)
    base_due = before.cards["base"].due
    # A right answer on "top" once base is past half its interval: an implicit review of base.
    when = before.cards["base"].last_review + (base_due - before.cards["base"].last_review) * 0.8
    after = replay(base_events + [_ev(50, "top", True, when)], GRAPH)
    assert after.cards["base"].due > base_due
    assert after.cards["base"].difficulty == before.cards["base"].difficulty
    # weaker than a direct right answer on base itself at the same moment
    direct = replay(base_events + [_ev(50, "base", True, when)], GRAPH)
    assert direct.cards["base"].due > after.cards["base"].due
    # and an unrelated concept's review does not touch base
    other = replay(
        base_events
        + [_ev(40 + i, "other", True, T0 + timedelta(minutes=40 + i)) for i in range(3)]
        + [_ev(50, "other", True, when)],
        GRAPH,
    )
    assert other.cards["base"].due == base_due


def test_implicit_review_is_not_counted_right_after_the_prerequisite_was_seen():
    events = _mastered_both()
    before = replay(events, GRAPH)
    soon = before.cards["base"].last_review + timedelta(minutes=5)
    after = replay(events + [_ev(50, "top", True, soon)], GRAPH)
    assert after.cards["base"].due == before.cards["base"].due


def test_failed_review_flags_prerequisites_and_the_policy_checks_them():
    events = _mastered_both()
    when = T0 + timedelta(days=5)
    state = replay(events + [_ev(60, "top", False, when)], GRAPH)
    assert "base" in state.flagged and "top" in state.flagged["base"]
    step = next_step(GRAPH, state, EXERCISES, settings=PacingSettings(placement=False))
    assert step.kind == "probe_prerequisite" and step.concept_id == "base"
    # answering the flagged prerequisite clears the flag
    cleared = replay(events + [_ev(60, "top", False, when), _ev(61, "base", True, when)], GRAPH)
    assert "base" not in cleared.flagged
