"""Any text a learner types, for any kind, grades without error and within [0, 1]."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teachback.engine.protocol import ExerciseDraft, GradeRequest
from teachback.tutor.grading import grade

EXERCISES = [
    ExerciseDraft(concept="c", kind="multiple_choice", prompt="p", answer="x", choices=["x", "y"]),
    ExerciseDraft(concept="c", kind="cloze", prompt="p", answer="bucket", data={"accepted": []}),
    ExerciseDraft(concept="c", kind="true_false", prompt="p", answer=False,
                  data={"corrected": "x"}),
    ExerciseDraft(concept="c", kind="short_answer", prompt="What is a bucket?",
                  answer="A slot that holds entries.", data={"rubric": ["holds entries"]}),
    ExerciseDraft(concept="c", kind="ordering", prompt="p", answer=["a", "b", "c"]),
    ExerciseDraft(concept="c", kind="matching", prompt="p", answer=["a => 1", "b => 2"]),
    ExerciseDraft(concept="c", kind="predict_output", prompt="p", answer="[1, 2]"),
    ExerciseDraft(concept="c", kind="function_purpose", prompt="p", answer="Sort a list."),
    ExerciseDraft(concept="c", kind="which_function", prompt="p", answer="pkg.sort"),
]  # fmt: skip

TEXT = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["", " ", "\n\n", "[", "{", "=>", "1e999", "()" * 50, "'" * 9, "\x00", "💥"]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=TEXT, index=st.integers(0, len(EXERCISES) - 1))
def test_any_answer_any_kind(answer, index):
    ex = EXERCISES[index]
    g = grade(GradeRequest(question=ex.prompt, reference="", answer=answer, exercise=ex))
    assert 0.0 <= g.score <= 1.0
    assert g.verdict in {"correct", "partly", "incorrect"}
    assert g.feedback
