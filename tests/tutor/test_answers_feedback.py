"""The grader's feedback as any caller of ``answers.grade_answer`` gets it (not only the
terminal and the page, which add the source's title): no raw store ids (review 17)."""

from __future__ import annotations

from teachback.tutor import answers


def test_feedback_cites_the_passage_without_the_stores_source_id():
    exercise = {
        "id": "e1",
        "concept_id": "c/key-value-pair",
        "kind": "short_answer",
        "prompt": "In your own words, what is a key-value pair?",
        "answer": "A key-value pair is a key that names an item and the value stored under it.",
        "data": {"rubric": ["key that names an item", "value stored under it"]},
        "citations": [
            {
                "source": "src-ad683622aa7fd1d9",
                "start": 0,
                "end": 60,
                "quote": "A key-value pair is a key that names an item and its value.",
            }
        ],
    }
    result = answers.grade_answer(exercise, "something about arrays")
    assert result.feedback.endswith(
        "Reread: “A key-value pair is a key that names an item and its value.”"
    )
    assert "src-" not in result.feedback
    # the citation itself keeps the id: the tutor looks the source's title up by it
    assert result.citations[0].source == "src-ad683622aa7fd1d9"
