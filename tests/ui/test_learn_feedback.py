"""The Learn page's feedback box says each thing once (ui/learn.feedback_note), checked on the
graders' real composed text (tutor/grading/feedback.compose)."""

from teachback.engine.protocol import Span
from teachback.tutor.grading.feedback import compose
from teachback.ui.learn import feedback_note

CITES = [
    Span(source="src-0123456789abcdef", start=0, end=20, quote="A hash maps keys. To buckets.")
]


def test_a_plain_correct_answer_adds_nothing_to_the_heading():
    text = compose("correct", citations=CITES)
    assert text.startswith("Correct.")  # what the grader writes...
    assert feedback_note({"verdict": "correct", "feedback": text}) == ""  # ...said once


def test_partly_keeps_what_was_covered_and_drops_what_is_shown_below():
    key = "Keys map to buckets; collisions share one."
    text = compose(
        "partly", right=["keys map. to buckets"], missing=["collisions"], citations=CITES,
        expected=key,
    )  # fmt: skip
    fb = {"verdict": "partly", "feedback": text, "missing": ["collisions"], "correct_answer": key}
    assert feedback_note(fb) == "You covered: keys map. to buckets."


def test_notes_stay_and_missing_stays_when_not_listed_below():
    text = compose("incorrect", missing=["collisions"], citations=CITES,
                   notes=["Answer in English, please."])  # fmt: skip
    fb = {"verdict": "incorrect", "feedback": text}
    assert feedback_note(fb) == "Missing: collisions. Answer in English, please."


def test_what_a_correct_answer_leaves_out_is_said_once():
    text = compose("correct", right=["keys map"], missing=["collisions"], citations=CITES)
    assert "A full answer also says: collisions." in text  # what the grader writes...
    fb = {"verdict": "correct", "feedback": text, "missing": ["collisions"]}
    assert feedback_note(fb) == "You covered: keys map."  # ...listed below instead
