from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from teachback.tutor.attempts import AttemptEvent
from teachback.tutor.mastery import ConceptGraph, ConceptNode, MasteryTracker, replay
from teachback.tutor.pacing import (
    Exercise,
    HistoryItem,
    PacingSettings,
    allowed_concepts,
    frontier,
    next_step,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
# a -> b -> c -> e, a -> d, units: u1 = a b c, u2 = d e
GRAPH = ConceptGraph(
    [
        ConceptNode("a", (), "u1"),
        ConceptNode("b", ("a",), "u1"),
        ConceptNode("c", ("b",), "u1"),
        ConceptNode("d", ("a",), "u2"),
        ConceptNode("e", ("c", "d"), "u2"),
    ]
)
EXERCISES = [Exercise(f"{c}#{k}", c, d) for c in "abcde" for k, d in enumerate((-1.0, 0.0, 1.0))]
NO_EXTRAS = PacingSettings(placement=False, test_out=False, final_check=0)


def _ev(i, concept, ok, exercise=None):
    return AttemptEvent(
        event_id=str(i),
        learner_id="l",
        curriculum_id="c",
        exercise_id=exercise or f"{concept}#1",
        concept_id=concept,
        correct=ok,
        at=(T0 + timedelta(minutes=i)).isoformat(),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcde"), st.booleans()), max_size=30))
def test_frontier_never_offers_a_concept_with_unmastered_prerequisites(answers):
    state = replay([_ev(i, c, ok) for i, (c, ok) in enumerate(answers)], GRAPH)
    for c in frontier(GRAPH, state):
        assert not state.concepts[c].mastered
        assert all(state.concepts[p].mastered for p in GRAPH.prerequisites(c))
    step = next_step(GRAPH, state, EXERCISES, settings=NO_EXTRAS)
    if step.kind == "learn":
        assert all(state.concepts[p].mastered for p in GRAPH.prerequisites(step.concept_id))
        assert step.exercise_id.startswith(step.concept_id + "#")


def test_why_this_now_claims_mastered_prerequisites_only_for_a_concept_that_has_some():
    first = next_step(GRAPH, replay([], GRAPH), EXERCISES, settings=NO_EXTRAS)
    assert first.kind == "learn" and first.concept_id == "a"
    assert first.reason.startswith("a is next in the course (your estimated mastery")
    a_mastered = replay([_ev(i, "a", True, f"a#{i % 3}") for i in range(8)], GRAPH)
    step = next_step(GRAPH, a_mastered, EXERCISES, settings=NO_EXTRAS)
    assert step.concept_id in ("b", "d")
    assert step.reason.startswith(f"{step.concept_id} is next: its prerequisites are mastered")


def test_fresh_learner_starts_with_placement_probing_deep_in_the_graph():
    state = replay([], GRAPH)
    step = next_step(GRAPH, state, EXERCISES)
    assert step.kind == "placement"
    # the probe must have prerequisites to skip (not the root a, not a leaf with nothing below)
    assert GRAPH.ancestors(step.concept_id)
    assert "skip" in step.reason


def test_placement_success_marks_prerequisites_known_at_once():
    tracker = MasteryTracker(GRAPH)
    history = []
    for i in range(8):
        step = next_step(GRAPH, tracker.state, EXERCISES, history=history)
        if step.kind != "placement":
            break
        tracker.apply(_ev(i, step.concept_id, True, step.exercise_id))
        history.append(HistoryItem(step.kind, step.concept_id, step.exercise_id, True))
    mastered = tracker.state.mastered()
    assert {"a", "b", "c"} <= mastered  # several concepts known from a few answers
    assert len(history) < 8


def test_placement_failure_leaves_concepts_to_learn():
    tracker = MasteryTracker(GRAPH)
    history = []
    for i in range(12):
        step = next_step(GRAPH, tracker.state, EXERCISES, history=history)
        if step.kind != "placement":
            break
        tracker.apply(_ev(i, step.concept_id, False, step.exercise_id))
        history.append(HistoryItem(step.kind, step.concept_id, step.exercise_id, False))
    assert step.kind == "learn" and step.concept_id == "a"
    assert tracker.state.mastered() == set()


def test_exercise_nearest_the_target_success_is_chosen():
    state = replay([], GRAPH)
    easy_target = next_step(GRAPH, state, EXERCISES, settings=NO_EXTRAS)
    assert easy_target.kind == "learn" and easy_target.concept_id == "a"
    # P(known)=0.2 predicts ~0.34 on an average exercise: the easiest one is nearest 0.75
    assert easy_target.exercise_id == "a#0"
    low = PacingSettings(placement=False, test_out=False, final_check=0, target_success=0.2)
    assert next_step(GRAPH, state, EXERCISES, settings=low).exercise_id == "a#2"


def test_instructor_cap_is_respected():
    events = [_ev(i, "c", True) for i in range(6)]  # masters a, b, c
    state = replay(events, GRAPH)
    capped = PacingSettings(placement=False, test_out=False, final_check=0, cap_concept="c")
    assert allowed_concepts(GRAPH, "c") == {"a", "b", "c"}
    step = next_step(GRAPH, state, EXERCISES, settings=capped)
    assert step.kind == "capped" and "c" in step.reason
    assert next_step(GRAPH, state, EXERCISES, settings=NO_EXTRAS).concept_id == "d"


def test_repeated_misses_reexplain_then_probe_prerequisites_and_go_back():
    # six questions on b: the misses never need a repeat (see the test after this one)
    exercises = EXERCISES + [Exercise(f"b#{k}", "b", d) for k, d in ((3, -0.5), (4, 0.5))]
    tracker = MasteryTracker(GRAPH)
    for i in range(5):
        tracker.apply(_ev(i, "a", True))
    assert tracker.state.concepts["a"].mastered
    history = [HistoryItem("learn", "a", "a#1", True)] * 5
    kinds = []
    i = 10
    for _ in range(12):
        step = next_step(GRAPH, tracker.state, exercises, history=history, settings=NO_EXTRAS)
        kinds.append((step.kind, step.concept_id))
        if step.exercise_id is None:
            history.append(HistoryItem(step.kind, step.concept_id))
            continue
        ok = False  # the learner misses everything: b is not learned because a is not known
        tracker.apply(_ev(i, step.concept_id, ok, step.exercise_id))
        history.append(HistoryItem(step.kind, step.concept_id, step.exercise_id, ok))
        i += 1
        if step.kind == "probe_prerequisite" and not tracker.state.concepts["a"].mastered:
            break
    assert kinds[:3] == [("learn", "b")] * 3
    assert kinds[3] == ("reexplain", "b")
    assert kinds[4:6] == [("learn", "b")] * 2
    # a was well established: it is asked again after a miss, until the misses drop it
    assert set(kinds[6:]) == {("probe_prerequisite", "a")} and 1 <= len(kinds[6:]) <= 4
    assert not tracker.state.concepts["a"].mastered
    after = next_step(GRAPH, tracker.state, exercises, history=history, settings=NO_EXTRAS)
    assert (after.kind, after.concept_id) == ("learn", "a")


def test_no_question_comes_back_until_the_others_are_used_and_time_has_passed():
    """Drilling one concept: each question once; then another ready concept rather than a
    repeat; a question comes back only after ``repeat_gap`` steps."""
    graph = ConceptGraph([ConceptNode("a", (), "u1"), ConceptNode("b", (), "u1")])
    exercises = [Exercise(f"{c}#{k}", c, 0.0) for c in "ab" for k in range(3)]
    settings = PacingSettings(placement=False, test_out=False, final_check=0, repeat_gap=6)
    tracker = MasteryTracker(graph)
    history, asked = [], []
    for i in range(14):
        step = next_step(graph, tracker.state, exercises, history=history, settings=settings)
        if step.exercise_id is None:  # a re-explanation after misses
            history.append(HistoryItem(step.kind, step.concept_id))
            continue
        asked.append(step.exercise_id)
        tracker.apply(_ev(i, step.concept_id, False, step.exercise_id))
        history.append(HistoryItem(step.kind, step.concept_id, step.exercise_id, False))
    assert len(set(asked[:6])) == 6  # every question once before any comes back
    assert len(asked) > 6  # and then some do come back...
    steps = [h.exercise_id for h in history]  # ...but only after the gap, in steps
    for k, ex in enumerate(steps):
        if ex is None:
            continue
        earlier = [j for j in range(k) if steps[j] == ex]
        assert not earlier or k - earlier[-1] >= 6, (ex, k, earlier)


def test_test_out_of_a_unit_after_a_run_of_right_answers():
    on = PacingSettings(placement=False, test_out=True)  # test-outs are opt-in
    assert not PacingSettings().test_out
    tracker = MasteryTracker(GRAPH)
    history = []
    for i in range(3):
        tracker.apply(_ev(i, "a", True))
        history.append(HistoryItem("learn", "a", "a#1", True))
    # a is mastered; b and c remain in unit u1 -- fewer than 3 unmastered, so no test-out
    assert (
        not next_step(
            GRAPH,
            tracker.state,
            EXERCISES,
            history=history,
            settings=on,
        ).kind
        == "test_out"
    )
    big = ConceptGraph(
        [
            ConceptNode(x, (p,) if p else (), "u")
            for x, p in [("p", None), ("q", "p"), ("r", "q"), ("s", "r")]
        ]
    )
    ex = [Exercise(f"{c}#0", c) for c in "pqrs"]
    t2 = MasteryTracker(big)
    h2 = [HistoryItem("review", "zz", "zz#0", True)] * 3  # a run of right answers elsewhere
    step = next_step(big, t2.state, ex, history=h2, settings=on)
    assert step.kind == "test_out" and step.concept_id == "s"
    for i in range(6):
        step = next_step(big, t2.state, ex, history=h2, settings=on)
        if step.kind != "test_out":
            break
        t2.apply(_ev(i, step.concept_id, True, step.exercise_id))
        h2.append(HistoryItem(step.kind, step.concept_id, step.exercise_id, True))
    assert t2.state.mastered() == {"p", "q", "r", "s"}


def test_final_check_asks_once_more_before_done():
    events = [_ev(i, "e", True) for i in range(6)]
    state = replay(events, GRAPH)
    assert state.mastered() == set("abcde")
    s = PacingSettings(placement=False, test_out=False, final_check=1, check_alpha=None)
    step = next_step(GRAPH, state, EXERCISES, settings=s)
    assert step.kind == "review" and step.concept_id == "a" and step.meta["final_check"]
    history = [HistoryItem("review", c, f"{c}#1", True) for c in "abcde"]
    assert next_step(GRAPH, state, EXERCISES, history=history, settings=s).kind == "done"


def test_a_prerequisite_taken_on_trust_is_checked_first_when_the_learner_struggles():
    # Mastering c by evidence implies a and b ("implied"); d's prerequisite a is implied.
    tracker = MasteryTracker(GRAPH)
    for i in range(6):
        tracker.apply(_ev(i, "c", True))
    assert tracker.state.concepts["a"].source == "implied"
    history = [HistoryItem("learn", "c", "c#1", True)]
    for i in range(2):
        tracker.apply(_ev(10 + i, "d", False))
        history.append(HistoryItem("learn", "d", "d#1", False))
    step = next_step(GRAPH, tracker.state, EXERCISES, history=history, settings=NO_EXTRAS)
    assert (step.kind, step.concept_id) == ("probe_prerequisite", "a")
    assert "trust" in step.reason


# a -> b -> c is the course; x -> y -> z -> w is a side branch (say, helper functions of a later
# unit) that builds on nothing taught first, and is deeper.
SIDE = ConceptGraph(
    [
        ConceptNode("a", (), "u1"),
        ConceptNode("b", ("a",), "u1"),
        ConceptNode("c", ("b",), "u1"),
        ConceptNode("x", (), "u3"),
        ConceptNode("y", ("x",), "u3"),
        ConceptNode("z", ("y",), "u3"),
        ConceptNode("w", ("z",), "u3"),
    ]
)


def test_placement_probes_what_builds_on_the_start_of_the_course_not_a_side_branch():
    exercises = [Exercise(f"{c}#{k}", c) for c in "abcxyzw" for k in range(3)]
    step = next_step(SIDE, replay([], SIDE), exercises)
    assert (step.kind, step.concept_id) == ("placement", "b")


def test_placement_skips_a_concept_with_too_few_questions_to_pass_and_never_repeats_one():
    # b has two questions: two right answers cannot reach the threshold (three are needed)
    exercises = [Exercise(f"{c}#{k}", c) for c in "ac" for k in range(3)]
    exercises += [Exercise(f"b#{k}", "b") for k in range(2)]
    tracker = MasteryTracker(GRAPH)
    history = []
    for i in range(8):
        step = next_step(GRAPH, tracker.state, exercises, history=history)
        if step.kind != "placement":
            break
        assert step.concept_id != "b"
        tracker.apply(_ev(i, step.concept_id, True, step.exercise_id))
        history.append(HistoryItem(step.kind, step.concept_id, step.exercise_id, True))
    asked = [h.exercise_id for h in history]
    assert asked == ["c#0", "c#1", "c#2"]  # c passed: a and b are known with it
    assert tracker.state.mastered() >= {"a", "b", "c"}


def test_a_sentence_shown_whole_is_not_asked_next_with_another_word_blanked():
    # key#0 and value#0 blank two words of one sentence (passage s:1); value#1 is another one
    exercises = [
        Exercise("key#0", "key", passage="s:1", from_passage=True),
        Exercise("value#0", "value", -1.0, passage="s:1", from_passage=True),
        Exercise("value#1", "value", 1.0, passage="s:9", from_passage=True),
    ]
    graph = ConceptGraph([ConceptNode("key"), ConceptNode("value")])
    history = [HistoryItem("learn", "key", "key#0", True)]
    state = replay([_ev(0, "key", True, "key#0")], graph)
    settings = PacingSettings(placement=False, final_check=0)
    step = next_step(graph, state, exercises, history=history, settings=settings)
    # value#0 is the easier one (nearer the target success) but its sentence was just shown
    assert (step.concept_id, step.exercise_id) == ("value", "value#1")


def test_a_question_never_asked_comes_before_a_repeat_when_none_has_rested():
    """Two questions on one sentence: one asked, the other only seen (its sentence shown in the
    first one's feedback, then in another concept's). Neither has rested ``repeat_gap`` steps;
    the one never asked comes before asking the first one again."""
    from teachback.tutor.pacing.basics import Exercise, HistoryItem, PacingSettings, choose_exercise

    exercises = [Exercise("asked", "c", passage="s:1"), Exercise("seen", "c", passage="s:1",
                 from_passage=True), Exercise("other", "d", passage="s:1")]  # fmt: skip
    history = [HistoryItem("learn", "c", "asked", True), HistoryItem("learn", "d", "other", True)]
    ex, _ = choose_exercise("c", exercises, 0.5, PacingSettings(), history)
    assert ex.id == "seen"
