"""Write the code in the terminal tutor: multi-line input, graded in the real sandbox."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from teachback.cli import cli
from teachback.tests.sandbox_required import require_sandbox
from teachback.tests.signin import PASSWORD, make_user
from teachback.tests.write_code_curriculum import BODY_LINE, RIGHT, WRONG, build


@pytest.fixture
def coding(db):
    require_sandbox()
    build(db)
    make_user(db, "ada", name="Ada")
    return db


def _learn(db, keys: str):
    db_file = db.execute("pragma database_list").fetchone()[2]
    args = ["learn", "--db", db_file, "--curriculum", "water", "--learner", "ada"]
    return CliRunner().invoke(cli, args, input=f"{PASSWORD}\n{keys}")


def test_code_is_typed_over_several_lines_and_checked(coding):
    # a blank line ends the code; ? first shows the lesson again; then a wrong body ended by "."
    result = _learn(coding, "?\n" + RIGHT + "\n\n" + WRONG + "\n.\nq\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "def bucket_index(key: str, capacity: int) -> int:" in out
    assert "```" not in out  # fences dropped, the code kept as written
    assert "Correct: All 2 checks pass." in out
    assert (
        'Partly right (50%): 1 of 2 checks pass. First failing: bucket_index("apple", 8) \u2014 '
        "expected 7, got 3 (from the examples in the docstring of bucket_index)."
    ) in out
    rows = list(coding.query("select answer, correct from attempts order by rowid"))
    assert [r["answer"] for r in rows] == [RIGHT, WRONG]


def test_the_lesson_above_the_question_shows_the_signature_not_the_body(coding):
    # every stored lesson is the one ingest writes for bucket_index: its whole source
    stored = list(coding.query("select text from lessons where concept_id like 'water/%'"))
    assert stored and all(BODY_LINE in r["text"] for r in stored)
    out = _learn(coding, "return 0\n.\nq\n").output
    # The first step is a placement check: asked without the lesson (it would answer it).
    check = out.split("Write the body of", 1)[0]
    assert "placement check" in check and "def bucket_index" not in check
    # Missed, the course teaches from its start: the lesson above that step's question.
    taught = out.rsplit("Why this now:", 1)[1]
    lesson, question = taught.split("Write the body of", 1)
    assert "def bucket_index(key: str, capacity: int) -> int:" in lesson
    assert '>>> bucket_index("apple", 8)' in lesson
    assert '"""Reduce the hash of ``key``' in lesson  # code shown as written, no fence lines
    assert "\npython\n" not in lesson
    assert "...  # the body is left out: you write it in an exercise" in lesson
    assert BODY_LINE not in taught and "capacity must be positive" not in taught
