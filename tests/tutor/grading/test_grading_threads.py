"""One model, shared by threads: concurrent grading gives the same grades as sequential."""

from concurrent.futures import ThreadPoolExecutor

from teachback.engine.protocol import GradeRequest
from teachback.tutor.grading import grade, grade_teach_back

REF = "A variable that contains the address in memory of another variable."
ANSWERS = [
    "It stores the address of a different variable.",
    "A loop over an array.",
    "A variable that points to memory where another variable is.",
    "I don't know",
    "An integer.",
    "Memory address holder for other variables.",
]


def test_concurrent_grades_equal_sequential():
    reqs = [GradeRequest(question="What is a pointer?", reference=REF, answer=a) for a in ANSWERS]
    sequential = [grade(r).model_dump() for r in reqs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(lambda r: grade(r).model_dump(), reqs * 3))
    assert concurrent == sequential * 3


def test_teach_back_accepts_the_interface_keywords():
    g = grade_teach_back(
        explanation="A pointer stores the memory address of another variable.",
        concept_definition=REF,
        key_points=["stores a memory address", "of another variable"],
    )
    assert g.covered == ["stores a memory address", "of another variable"]
