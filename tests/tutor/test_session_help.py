"""Help for a pending step (``tutor.session_help.step_help``): "Explain it another way" must
not say the name a "Name the term" question or a cloze asks for."""

from teachback.tutor.published import Curriculum
from teachback.tutor.session_help import HIDDEN_NAME, step_help

LESSON = "A bucket is one slot of the table's array."
OTHER = "Each Bucket holds the entries whose hash lands there; buckets fill as keys arrive."


def _curriculum() -> Curriculum:
    evidence = {"quote": OTHER, "passage": OTHER, "start": 100, "end": 100 + len(OTHER),
                "source_id": "s1", "path": "notes.md", "role": "mention"}  # fmt: skip
    return Curriculum(
        id="c",
        concepts=[{"id": "c/bucket", "name": "bucket", "definition": LESSON, "unit_id": 1}],
        prerequisites={"c/bucket": []},
        units={1: {"id": 1, "title": "Tables", "position": 1}},
        lessons={"c/bucket": {"text": LESSON, "citations": []}},
        evidence={"c/bucket": [evidence]},
    )


def _help(kind: str, answer: str):
    exercise = {"id": "e1", "concept_id": "c/bucket", "kind": kind, "answer": answer,
                "prompt": "Which term is this: one slot of the table's array?"}  # fmt: skip
    lesson = {"concept_name": "bucket", "text": LESSON, "citations": [
        {"source": "s1", "start": 0, "end": len(LESSON), "quote": LESSON}]}  # fmt: skip
    values = {"lesson": lesson, "exercise": exercise, "concept_id": "c/bucket"}
    payload = {"type": "exercise", "concept": {"id": "c/bucket", "name": "bucket"}}
    return step_help(None, _curriculum(), values, payload)


def test_a_question_asking_for_the_name_gets_help_that_does_not_say_it():
    help_ = _help("short_answer", "bucket")
    assert help_.concept == HIDDEN_NAME
    assert [p.quote for p in help_.passages] == ["A _____ is one slot of the table's array."]
    assert [p.quote for p in help_.other_passages] == [
        "Each _____ holds the entries whose hash lands there; _____ fill as keys arrive."
    ]


def test_other_questions_get_help_that_names_the_concept():
    help_ = _help("true_false", "True")
    assert help_.concept == "bucket"
    assert [p.quote for p in help_.passages] == [LESSON]
    assert [p.quote for p in help_.other_passages] == [OTHER]
