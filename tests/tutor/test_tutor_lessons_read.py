"""A concept with no exercise is taught by its lesson: the tutor (graph, terminal) shows the
lesson, the learner marks it read, the log keeps that once, and it counts toward finishing."""

import pytest
from click.testing import CliRunner

from teachback.cli import cli
from teachback.curricula.publish import publish
from teachback.tests.signin import PASSWORD, make_user
from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer


@pytest.fixture
def water_unpractised(water):
    """The water curriculum with nothing to practise for Evaporation (its exercises rejected),
    published: Evaporation is taught by its lesson alone."""
    water.execute("update exercises set status = 'rejected' where concept_id = 'water/evaporation'")
    publish(water, "water", "instructor")
    return water


def db_file(db) -> str:
    return db.execute("pragma database_list").fetchone()[2]


def tutor_for(db) -> TutorSessions:
    return TutorSessions(db, sqlite_checkpointer(sessions_path(db_file(db))), prepare=False)


def to_the_lesson(tutor: TutorSessions, learner: str) -> dict:
    """Start, and miss the placement question: a novice starts at Evaporation's lesson."""
    first = tutor.current(learner, "water")
    assert (first["type"], first["action"]) == ("exercise", "placement")
    return tutor.answer(learner, "water", "no idea at all", step=first["step"])


def test_the_lesson_is_shown_marked_read_once_and_counted(water_unpractised):
    db = water_unpractised
    tutor = tutor_for(db)
    lesson = to_the_lesson(tutor, "ada")
    assert lesson["type"] == "lesson" and lesson["action"] == "read"
    assert lesson["concept"]["name"] == "Evaporation"
    stored = db.execute(
        "select text from lessons where concept_id = 'water/evaporation'"
    ).fetchone()[0]
    assert lesson["lesson"]["text"] == stored and lesson["lesson"]["brief"] is False
    assert "exercise" not in lesson
    assert lesson["progress"] == {"mastered": 0, "read": 0, "total": 4, "answered": 1}

    after = tutor.answer("ada", "water", "read", step=lesson["step"])
    assert after["type"] == "exercise" and after["concept"]["name"] == "Condensation"
    assert after["progress"] == {"mastered": 0, "read": 1, "total": 4, "answered": 1}
    assert after["feedback"] is None  # nothing was graded
    # A second click on "Got it" (another tab) changes nothing.
    assert tutor.answer("ada", "water", "read", step=lesson["step"])["step"] == after["step"]
    rows = [
        dict(r)
        for r in db.query(
            "select learner_id, concept_id, session_id != '' as in_a_session from lesson_reads"
        )
    ]
    assert rows == [{"learner_id": "ada", "concept_id": "water/evaporation", "in_a_session": 1}]
    # a read is not an answer: the attempt log has none for the lesson's concept
    assert (
        db.execute(
            "select count(*) from attempts where concept_id = 'water/evaporation'"
        ).fetchone()[0]
        == 0
    )


def test_an_all_right_learner_finishes_with_every_concept_mastered_or_read(water_unpractised):
    db = water_unpractised
    tutor = tutor_for(db)
    payload = to_the_lesson(tutor, "ada")
    kinds = []
    for _ in range(200):
        kinds.append(payload["type"])
        if payload["type"] == "done":
            break
        if payload["type"] == "lesson":
            answer = "read"
        elif payload["type"] == "teach_back":
            answer = "Water turns to vapour, cools into droplets, falls and flows to the sea."
        else:
            answer = tutor.state("ada", "water")["exercise"]["answer"]
        payload = tutor.answer("ada", "water", answer, step=payload["step"])
    assert payload["type"] == "done", kinds[-5:]
    assert kinds.count("lesson") == 1
    assert payload["progress"]["mastered"] + payload["progress"]["read"] == 4
    assert payload["progress"]["read"] == 1
    assert payload["reason"] == "every concept is mastered or its lesson read"


def test_the_terminal_shows_the_lesson_and_enter_marks_it_read(water_unpractised):
    db = water_unpractised
    bo = make_user(db, "bo", name="Bo")
    to_the_lesson(tutor_for(db), bo.id)  # begun elsewhere (the web page): resumed here
    args = ["learn", "--db", db_file(db), "--curriculum", "water", "--learner", "bo"]
    result = CliRunner().invoke(cli, args, input=f"{PASSWORD}\n\nq\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "== Evaporation ==" in out
    assert "Evaporation is the process by which liquid water turns into vapour" in out
    assert "No questions on this one: read the lesson above." in out
    assert "[1/4 concepts done (0 mastered, 1 read)]" in out  # after Enter
    # the next concept's question: under its name, or "Name the term" when it asks for it
    after = out.split("1 read)]")[1]
    assert "== Condensation ==" in after or "== Name the term ==" in after
    assert "\nCondensation\n" not in after  # nor the lesson's title line
    assert (
        db.execute(
            "select count(*) from lesson_reads where learner_id = ? and concept_id = ?",
            [bo.id, "water/evaporation"],
        ).fetchone()[0]
        == 1
    )


def test_the_terminal_can_stop_at_a_lesson_without_marking_it_read(water_unpractised):
    db = water_unpractised
    bo = make_user(db, "bo", name="Bo")
    to_the_lesson(tutor_for(db), bo.id)
    args = ["learn", "--db", db_file(db), "--curriculum", "water", "--learner", "bo"]
    result = CliRunner().invoke(cli, args, input=f"{PASSWORD}\nq\n")
    assert result.exit_code == 0, result.output
    assert "Stopped. Run `teachback learn --db " in result.output
    assert db.execute("select count(*) from lesson_reads").fetchone()[0] == 0


def test_a_lesson_read_is_no_answer_in_the_learner_export(water_unpractised):
    from teachback.tutor.export_learners import mastery_rows

    db = water_unpractised
    tutor = tutor_for(db)
    lesson = to_the_lesson(tutor, "ada")
    tutor.answer("ada", "water", "read", step=lesson["step"])
    rows = [(r["concept"], r["attempts"], r["correct"]) for r in mastery_rows(db, "water")]
    assert rows == [("Precipitation", 1, 0)]  # the missed placement question only


def test_a_lesson_skipped_by_the_placement_check_counts_in_the_progress(water_unpractised):
    """Passing the placement question credits Evaporation (a concept built on it was shown
    known): its lesson is never asked for, and finishing shows every concept done."""
    db = water_unpractised
    tutor = tutor_for(db)
    payload = tutor.current("ada", "water")
    assert payload["action"] == "placement"
    for _ in range(100):
        if payload["type"] == "done":
            break
        assert payload["type"] != "lesson"  # no lesson to read: Evaporation was credited
        if payload["type"] == "teach_back":
            answer = "Water turns to vapour, cools into droplets, falls and flows to the sea."
        else:
            answer = tutor.state("ada", "water")["exercise"]["answer"]
        payload = tutor.answer("ada", "water", answer, step=payload["step"])
    assert payload["reason"] == "every concept is mastered or its lesson read"
    assert payload["progress"] == {"mastered": 4, "read": 0, "total": 4, "answered": 12}
