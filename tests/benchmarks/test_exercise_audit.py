"""The rubric audit's curriculum checks: a passage asked by two concepts' exercises, the most
asked concept, and a name blanked out of a description."""

from __future__ import annotations

from teachback.benchmarks.exercise_audit import audit_exercise, curriculum_figures
from teachback.engine.protocol import ExerciseDraft, Span


def _ex(concept: str, kind: str, prompt: str, start: int, **kw) -> ExerciseDraft:
    cite = Span(source="notes.md", start=start, end=start + 40, quote="x" * 40)
    return ExerciseDraft(concept=concept, kind=kind, prompt=prompt, citations=[cite], **kw)


def test_a_passage_asked_for_two_concepts_is_counted_for_each():
    kept = [
        _ex("hash function", "short_answer", "In your own words, what is a hash function?", 0,
            answer="A hash function is a function that takes a key."),
        _ex("key", "cloze", "Fill in the blank: A hash function takes a _____.", 0, answer="key"),
        _ex("key", "true_false", "True or false: A key must never change.", 100, answer=True),
        _ex("bucket", "matching", "Match each term to its description.", 0, answer=["a => b"]),
    ]  # fmt: skip
    figures = curriculum_figures(kept)
    # the short answer and the cloze share a passage; the matching pairs definitions by design
    assert figures["shared_passages"] == 2
    assert figures["most_asked"] == {"concept": "key", "kept": 2}


def test_a_name_blanked_out_of_a_description_is_flagged():
    masked = _ex(
        "train",
        "which_function",
        "Which module covers this: \u201cThis ___ script can be run on a single gpu\u201d?",
        0,
        answer="train",
        choices=["train", "bench", "model"],
    )
    assert "a name blanked out of a description: the hole points to the key" in audit_exercise(
        masked, ["train"]
    )
    hidden_code = _ex(
        "MLP",
        "which_function",
        "Which class is this? Its name is hidden as `___`.\n\n```python\nclass ___:\n    pass\n```",
        0,
        answer="MLP",
        choices=["MLP", "Block", "GPT"],
    )
    assert audit_exercise(hidden_code, ["MLP"]) == []
