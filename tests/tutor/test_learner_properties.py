"""Property tests asked for by the pacing issue, on the configuration the tutor runs.

- Under plain BKT (the population's rates, no difficulty weighting, no personal refit) a right
  answer never lowers P(known) of any concept and never takes a mastery away.
- The policy with its default settings (placement, leaves set aside, final check, the learner's
  own rates) never offers a concept to *learn* whose prerequisites are not mastered.
- Replaying the same log twice gives the same state, with the learner's own rates and
  difficulty weighting on (the tutor's tracker), reviews included.
"""

import copy
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from teachback.tutor.attempts import AttemptEvent
from teachback.tutor.mastery import (
    ConceptGraph,
    ConceptNode,
    MasteryTracker,
    PersonalModel,
    replay,
)
from teachback.tutor.pacing import Exercise, HistoryItem, PacingSettings, frontier, next_step

T0 = datetime(2026, 1, 1, tzinfo=UTC)
# a -> b -> c -> e, a -> d -> e, f alone; units u1 = a b c, u2 = d e f
GRAPH = ConceptGraph(
    [
        ConceptNode("a", (), "u1"),
        ConceptNode("b", ("a",), "u1"),
        ConceptNode("c", ("b",), "u1"),
        ConceptNode("d", ("a",), "u2"),
        ConceptNode("e", ("c", "d"), "u2"),
        ConceptNode("f", (), "u2"),
    ]
)
DIFFICULTIES = (-1.0, 0.0, 1.2)
EXERCISES = [Exercise(f"{c}#{k}", c, d) for c in "abcdef" for k, d in enumerate(DIFFICULTIES)]
DIFFICULTY = {e.id: e.difficulty for e in EXERCISES}

answers = st.lists(
    st.tuples(st.sampled_from("abcdef"), st.integers(0, 2), st.booleans()), max_size=40
)


def _ev(i, concept, k, ok):
    return AttemptEvent(
        event_id=str(i),
        learner_id="l",
        curriculum_id="c",
        exercise_id=f"{concept}#{k}",
        concept_id=concept,
        correct=ok,
        at=(T0 + timedelta(minutes=i)).isoformat(),
    )


@settings(max_examples=80, deadline=None)
@given(answers, st.sampled_from("abcdef"), st.integers(0, 2))
def test_a_right_answer_never_lowers_mastery_under_plain_bkt(log, concept, k):
    tracker = MasteryTracker(GRAPH, reviews=False)
    for i, (c, kk, ok) in enumerate(log):
        tracker.apply(_ev(i, c, kk, ok))
    before = copy.deepcopy(tracker.state.concepts)
    tracker.apply(_ev(len(log), concept, k, True))
    after = tracker.state.concepts
    for c in GRAPH.order:
        assert after[c].p_known >= before[c].p_known - 1e-12, c
        assert after[c].mastered or not before[c].mastered, c


@settings(max_examples=60, deadline=None)
@given(answers)
def test_the_default_policy_never_teaches_a_concept_with_unmastered_prerequisites(log):
    tracker = MasteryTracker(GRAPH, difficulty=DIFFICULTY, personal=PersonalModel())
    history = []
    for i, (c, k, ok) in enumerate(log):
        tracker.apply(_ev(i, c, k, ok))
        history.append(HistoryItem("learn", c, f"{c}#{k}", ok))
    state = tracker.state
    defaults = PacingSettings()
    for c in frontier(GRAPH, state, defer_leaves_at=defaults.defer_leaves_at):
        assert not state.concepts[c].mastered
        assert all(state.concepts[p].mastered for p in GRAPH.prerequisites(c))
    step = next_step(GRAPH, state, EXERCISES, history=history, settings=defaults)
    if step.kind == "learn":
        assert all(state.concepts[p].mastered for p in GRAPH.prerequisites(step.concept_id))
        assert not state.concepts[step.concept_id].mastered
    if step.kind == "done":
        assert state.mastered() == set(GRAPH.order)


@settings(max_examples=40, deadline=None)
@given(answers)
def test_replaying_a_log_twice_gives_the_same_state_with_own_rates(log):
    events = [_ev(i, c, k, ok) for i, (c, k, ok) in enumerate(log)]
    first = replay(events, GRAPH, difficulty=DIFFICULTY, personal=PersonalModel())
    second = replay(events, GRAPH, difficulty=DIFFICULTY, personal=PersonalModel())
    assert first.concepts == second.concepts
    assert first.personal == second.personal
    assert first.flagged == second.flagged
    assert {c: card.to_dict() for c, card in first.cards.items()} == {
        c: card.to_dict() for c, card in second.cards.items()
    }
    # Rates are refitted on the answers before the current one, so the first fit comes with
    # answer refit_every + 1.
    if len(events) > PersonalModel().refit_every:
        assert first.personal is not None  # the learner's own rates were fitted
