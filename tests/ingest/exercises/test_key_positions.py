"""Where a choice question's key sits among its options (ingest/exercises/positions.py)."""

from __future__ import annotations

from teachback.engine.protocol import ExerciseDraft


def _mc(i: int, n: int = 4) -> ExerciseDraft:
    key = f"key {i}"
    return ExerciseDraft(
        concept="osmosis",
        kind="multiple_choice",
        prompt=f"Which term is described here: clue number {i}?",
        answer=key,
        choices=[key] + [f"other {i}.{j}" for j in range(1, n)],
    )


def test_a_concepts_choice_keys_are_spread_over_the_positions():
    from teachback.ingest.exercises.positions import spread_keys

    exercises = [_mc(i) for i in range(8)] + [_mc(8, n=3)]
    tf = ExerciseDraft(concept="osmosis", kind="true_false", prompt="Water moves.", answer=True)
    spread_keys(exercises + [tf])
    at = [ex.choices.index(ex.answer) for ex in exercises[:8]]
    assert sorted(at) == [0, 0, 1, 1, 2, 2, 3, 3]  # each position twice, whatever came in
    assert exercises[8].choices.index(exercises[8].answer) in {0, 1, 2}
    # only the key moves: the other options keep their order
    for i, ex in enumerate(exercises[:8]):
        assert [c for c in ex.choices if c != ex.answer] == [f"other {i}.{j}" for j in (1, 2, 3)]
    assert tf.choices == [] and tf.answer is True
    # deterministic: the same exercises get the same places
    again = [_mc(i) for i in range(8)]
    spread_keys(again)
    assert [ex.choices for ex in again] == [ex.choices for ex in exercises[:8]]
