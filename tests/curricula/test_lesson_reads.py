"""Lessons marked read live in their own table: m0012 moves the old ``lesson-read:`` attempts
there, and reads and answers are stored and read apart."""

import json

from teachback.curricula import attempt_log, lesson_reads
from teachback.curricula.db import open_db
from teachback.curricula.migrations import migrations

T = "2026-01-01T00:00:0{}+00:00"


def _old_attempt(i: int, exercise_id: str, concept_id: str, correct: int = 1) -> dict:
    """An attempt row as the code before m0012 stored it (a read was an attempt)."""
    return {
        "event_id": f"e{i}",
        "learner_id": "ada",
        "curriculum_id": "water",
        "exercise_id": exercise_id,
        "concept_id": concept_id,
        "correct": correct,
        "score": -1.0,
        "answer": "read" if exercise_id.startswith("lesson-read:") else "42",
        "time_taken": float(i),
        "hints": 0,
        "at": T.format(i),
        "session_id": "s1",
    }


def test_m0012_moves_the_old_lesson_reads_out_of_the_attempt_log(tmp_path):
    path = tmp_path / "old.db"
    old = open_db(path, migrate=False)
    migrations.apply(old, stop_before="m0012_lesson_reads")
    old["learners"].insert({"id": "ada", "name": "Ada", "created_at": T.format(0)})
    old["attempts"].insert_all(
        [
            _old_attempt(1, "x1", "water/condensation", correct=0),
            _old_attempt(2, "lesson-read:water/evaporation", "water/evaporation"),
            _old_attempt(3, "x1", "water/condensation"),
            _old_attempt(4, "lesson-read:water/runoff", "water/runoff"),
        ]
    )
    old.close()

    upgraded = open_db(path)
    assert [m.name for m in migrations.pending(upgraded)] == []
    answers = attempt_log.rows(upgraded, "ada", "water")
    assert [(a["event_id"], a["exercise_id"], a["correct"]) for a in answers] == [
        ("e1", "x1", 0),
        ("e3", "x1", 1),
    ]
    assert lesson_reads.rows(upgraded, "ada", "water") == [
        {
            "id": 1,
            "event_id": "e2",
            "learner_id": "ada",
            "curriculum_id": "water",
            "concept_id": "water/evaporation",
            "time_taken": 2.0,
            "at": T.format(2),
            "session_id": "s1",
        },
        {
            "id": 2,
            "event_id": "e4",
            "learner_id": "ada",
            "curriculum_id": "water",
            "concept_id": "water/runoff",
            "time_taken": 4.0,
            "at": T.format(4),
            "session_id": "s1",
        },
    ]


def test_a_read_is_stored_once_per_event_and_never_as_an_answer(db):
    row = {
        "event_id": "thread-1:7",
        "learner_id": "bo",
        "curriculum_id": "water",
        "concept_id": "water/evaporation",
        "time_taken": 12.5,
        "at": T.format(5),
        "session_id": "thread-1",
    }
    assert lesson_reads.record(db, row) is True
    assert lesson_reads.record(db, row) is False  # a second "Got it" (another tab)
    assert [(r["event_id"], r["concept_id"]) for r in lesson_reads.rows(db, "bo")] == [
        ("thread-1:7", "water/evaporation")
    ]
    assert attempt_log.rows(db, "bo") == []
    assert db["learners"].get("bo")["name"] == "bo"  # the foreign key holds


def test_m0012_keeps_an_old_merge_of_a_read_undoable(tmp_path):
    # Before m0012 a merge re-pointed a read like any attempt and recorded it in its undo
    # record as an ``attempts`` row; after the move that row is a ``lesson_reads`` row.
    from teachback.curricula import edits

    path = tmp_path / "old.db"
    old = open_db(path, migrate=False)
    migrations.apply(old, stop_before="m0012_lesson_reads")
    old["curricula"].insert({"id": "water", "title": "Water", "created_at": T.format(0)})
    old["concepts"].insert({"id": "water/runoff", "curriculum_id": "water", "name": "Runoff"})
    old["learners"].insert({"id": "ada", "name": "Ada", "created_at": T.format(0)})
    read = _old_attempt(1, "lesson-read:water/flow", "water/runoff")  # re-pointed by the merge
    read_id = old["attempts"].insert(read).last_pk
    before = {"id": read_id, **read, "concept_id": "water/flow"}
    after = {"id": read_id, **read}
    inverse = {
        "rows": [{"table": "attempts", "key": [read_id], "before": before, "after": after}],
        "targets": [f"attempts:[{read_id}]"],
    }
    old["edits"].insert(
        {
            "curriculum_id": "water",
            "at": T.format(2),
            "who": "grace",
            "op": "merge",
            "payload": "{}",
            "inverse": json.dumps(inverse),
            "undone": 0,
        }
    )
    old.close()

    upgraded = open_db(path)
    (edit,) = edits.history(upgraded, "water")
    assert edits.last_change(upgraded, "water", "lesson_reads", (1,))["id"] == edit["id"]
    edits.undo(upgraded, edit["id"], who="grace")
    assert [(r["event_id"], r["concept_id"]) for r in lesson_reads.rows(upgraded, "ada")] == [
        ("e1", "water/flow")
    ]
    assert attempt_log.rows(upgraded, "ada") == []
