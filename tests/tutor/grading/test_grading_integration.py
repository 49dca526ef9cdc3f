"""The exercises the ingest agent keeps for the bundled samples: their own keys grade as correct,
a wrong answer as incorrect (the graders read the exercise kinds' real data layout)."""

import pytest

from teachback.config import SAMPLES_DIR
from teachback.engine.protocol import GradeRequest
from teachback.tutor.grading import grade


def key_as_text(answer) -> str:
    if isinstance(answer, bool):
        return "true" if answer else "false"
    if isinstance(answer, list):
        return "\n".join(answer)  # ordering steps / matching pairs, one per line
    return str(answer)


@pytest.fixture(scope="module")
def kept_exercises():
    readers = pytest.importorskip("teachback.ingest.readers")
    concepts_mod = pytest.importorskip("teachback.ingest.concepts")
    exercises_mod = pytest.importorskip("teachback.ingest.exercises")
    docs = readers.load_sources([SAMPLES_DIR]).documents
    concepts = concepts_mod.extract_concepts(docs)
    kept = []
    for concept in concepts[:12]:
        kept += exercises_mod.generate_checked(concept, concepts, docs)[0]
    if not kept:
        pytest.skip("no exercises generated from the samples")
    return kept


def test_each_kept_exercise_accepts_its_key_and_rejects_a_wrong_answer(kept_exercises):
    wrong_verdicts, right_verdicts = [], []
    for ex in kept_exercises:
        text = key_as_text(ex.answer)
        right = grade(GradeRequest(question=ex.prompt, reference="", answer=text, exercise=ex))
        wrong = grade(GradeRequest(question=ex.prompt, reference="", answer="banana", exercise=ex))
        right_verdicts.append((ex.kind, right.verdict))
        wrong_verdicts.append((ex.kind, wrong.verdict))
        assert ex.citations == [] or right.citations == ex.citations
    assert {v for _, v in right_verdicts} == {"correct"}, right_verdicts
    assert {v for _, v in wrong_verdicts} == {"incorrect"}, wrong_verdicts
    assert len({k for k, _ in right_verdicts}) >= 3  # several kinds were exercised
