"""The tutor graph, node by node and as a whole, with in-memory and SQLite checkpointers."""

from __future__ import annotations

import json
import sqlite3

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from teachback.tutor import answers, bkt, learner_model, published
from teachback.tutor.session import (
    TutorSessions,
    build_tutor_graph,
    sessions_path,
    sqlite_checkpointer,
    thread_id,
    tutor_nodes,
)
from teachback.tutor.session_lesson import TERM_HIDDEN
from teachback.tutor.session_nodes import CHECKS
from teachback.tutor.session_state import payload_of

PRIOR = bkt.DEFAULT_PARAMS.prior
START = {"learner_id": "ada", "curriculum_id": "water", "session_id": "s1"}
CONFIG = {"configurable": {"thread_id": thread_id("ada", "water")}}


def key(db, exercise_id):
    value = json.loads(db.execute("select answer from exercises where id = ?", [exercise_id])
                       .fetchone()[0])  # fmt: skip
    return answers.answer_text(value)


def wrong(db, exercise_id):
    return "definitely not " + key(db, exercise_id)


def attempts(db):
    return [dict(r) for r in db.query("select * from attempts order by id")]


def citation(db, concept):
    row = next(db.query("select * from evidence where concept_id = ? and role = 'definition'",
                        [concept]))  # fmt: skip
    return {"source": row["source_id"], "start": row["start"], "end": row["end"],
            "quote": row["quote"]}  # fmt: skip


# ------------------------------------------------------------------------------ node by node


def policy_step(db, learner="ada", history=()):
    """What the pacing policy itself says for this learner (the node must pass it on)."""
    cur = published.load_curriculum(db, "water")
    return learner_model.next_step(cur, learner_model.learner_state(db, learner, cur), history)


def test_pick_passes_on_the_policy_step_and_the_replayed_mastery(water):
    out = tutor_nodes(water)["pick"](dict(START))
    step = policy_step(water)
    unit = water.execute("select unit_id from concepts where id = ?", [step.concept_id])
    assert out == {
        "action": step.action,
        "reason": step.reason,
        "concept_id": step.concept_id,
        "unit_id": unit.fetchone()[0],
        "suggested_exercise": step.exercise_id,
        "mastery": dict.fromkeys(
            ["water/evaporation", "water/condensation", "water/precipitation", "water/runoff"],
            PRIOR,
        ),
        "threshold": 0.95,
        "step_kind": step.action,
        "history": [],
        "lessons_read": [],
        "concepts_total": 4,
    }
    assert step.exercise_id is not None and "water/" not in out["reason"]  # names, not ids


def test_pick_shows_a_reexplanation_together_with_the_next_exercise(water, monkeypatch):
    steps = iter([
        learner_model.Step("reexplain", "water/condensation", "three misses"),
        learner_model.Step("learn", "water/condensation", "practice", "ex-1"),
    ])  # fmt: skip
    monkeypatch.setattr(learner_model, "next_step", lambda cur, state, history, **kw: next(steps))
    out = tutor_nodes(water)["pick"](dict(START))
    assert (out["action"], out["concept_id"], out["suggested_exercise"]) == (
        "reexplain", "water/condensation", "ex-1"
    )  # fmt: skip
    assert out["history"] == [["reexplain", "water/condensation", None, None]]
    assert out["step_kind"] == "learn"


def test_explain_gives_the_whole_lesson_then_brief_when_doing_well_and_another_angle(water):
    explain = tutor_nodes(water)["explain"]
    state = {**START, "action": "learn", "concept_id": "water/evaporation", "mastery": {}}
    full = explain(state)["lesson"]
    lesson_text = water.execute(
        "select text from lessons where concept_id = 'water/evaporation'"
    ).fetchone()[0]
    assert full == {
        "concept_name": "Evaporation",
        "text": lesson_text,
        "citations": [citation(water, "water/evaporation")],
        "brief": False,
        "angle": "lesson",
    }
    # the first step on a concept teaches it whole, however well the learner is doing
    assert explain({**state, "streak": 3})["lesson"] == full
    met = [["learn", "water/evaporation", "e1", True]]
    brief = explain({**state, "streak": 3, "history": met})["lesson"]
    definition = water.execute(
        "select definition from concepts where id = 'water/evaporation'"
    ).fetchone()[0]
    assert brief["brief"] is True and brief["text"] == definition
    assert brief["whole"] == lesson_text  # for a learner who asks to see it again
    other = explain({**state, "action": "reexplain", "misses": 2})["lesson"]
    assert other["angle"] == "evidence"
    assert other["text"] != lesson_text
    assert other["citations"][0]["quote"] != full["citations"][0]["quote"]


def test_ask_snapshots_the_exercise_with_its_key_and_counts_the_step(water):
    nodes = tutor_nodes(water)
    state = {**START, "action": "learn", "concept_id": "water/evaporation", "step": 4}
    out = nodes["ask"](state)
    assert out["step"] == 5 and out["response"] is None
    stored = next(water.query("select * from exercises where id = ?", [out["exercise"]["id"]]))
    assert out["exercise"]["answer"] == json.loads(stored["answer"])
    assert out["exercise"]["concept_id"] == "water/evaporation"
    # Never the same exercise twice in a row.
    again = nodes["ask"]({**state, **out})
    assert again["exercise"]["id"] != out["exercise"]["id"]


def test_grade_uses_the_snapshot_not_a_later_edit_of_the_store(water):
    nodes = tutor_nodes(water)
    state = {**START, "action": "learn", "concept_id": "water/evaporation", "step": 0}
    state.update(nodes["ask"](state))
    right = key(water, state["exercise"]["id"])
    water.execute("update exercises set answer = ? where id = ?",
                  [json.dumps("something else"), state["exercise"]["id"]])  # fmt: skip
    graded = nodes["grade"]({**state, "response": {"answer": right}})["grade"]
    assert graded["verdict"] == "correct" and graded["score"] == 1.0


def test_record_is_idempotent_on_session_and_step(water):
    nodes = tutor_nodes(water)
    state = {**START, "action": "learn", "concept_id": "water/evaporation", "step": 0}
    state.update(nodes["ask"](state))
    state["response"] = {"answer": key(water, state["exercise"]["id"]), "time_taken": 4.5}
    state.update(nodes["grade"](state))
    nodes["record"](state)
    nodes["record"](state)  # a node re-run on resume
    rows = attempts(water)
    assert len(rows) == 1
    assert {k: rows[0][k] for k in ("event_id", "learner_id", "exercise_id", "correct")} == {
        "event_id": "s1:1",
        "learner_id": "ada",
        "exercise_id": state["exercise"]["id"],
        "correct": 1,
    }
    assert rows[0]["time_taken"] == 4.5


def test_pace_counts_misses_and_streaks(water):
    pace = tutor_nodes(water)["pace"]
    ex = {"id": "x", "kind": "cloze", "prompt": "p", "answer": "a", "concept_id": "c",
          "citations": [], "explanation": ""}  # fmt: skip
    base = {**START, "action": "learn", "concept_id": "c", "step": 3, "exercise": ex,
            "response": {"answer": "b"}}  # fmt: skip
    miss = {"verdict": "incorrect", "score": 0.0, "feedback": "no", "citations": []}
    out = pace({**base, "grade": miss, "misses": 1, "streak": 4,
                "feedback": {"concept_id": "c", "verdict": "incorrect"}})  # fmt: skip
    assert (out["misses"], out["streak"]) == (2, 0)
    assert out["feedback"]["verdict"] == "incorrect"
    assert out["feedback"]["correct_answer"] == "a"
    hit = {"verdict": "correct", "score": 1.0, "feedback": "yes", "citations": []}
    out = pace({**base, "grade": hit, "misses": 2, "streak": 1})
    assert (out["misses"], out["streak"]) == (0, 2)


# ------------------------------------------------------------------------------ whole graph


@pytest.fixture(params=["memory", "sqlite"])
def checkpointer(request, tmp_path):
    if request.param == "memory":
        yield InMemorySaver()
    else:
        conn = sqlite3.connect(tmp_path / "sessions.sqlite", check_same_thread=False)
        yield SqliteSaver(conn)
        conn.close()


def first_payload(db):
    step = policy_step(db)
    ex = next(db.query("select * from exercises where id = ?", [step.exercise_id]))
    name = db.execute("select name from concepts where id = ?", [step.concept_id]).fetchone()[0]
    lesson = db.execute("select text from lessons where concept_id = ?", [step.concept_id])
    text = lesson.fetchone()[0]
    # The fixture's choice and cloze questions are answered by the concept's name: asked under
    # "Name the term", with the lesson's "## Name" title line left out.
    heading, reason = name, step.reason
    if ex["kind"] in ("multiple_choice", "cloze"):
        heading, text = TERM_HIDDEN, text.removeprefix(f"## {name}\n").lstrip("\n")
        reason = reason.replace(name, "this concept")
    # A placement question checks what the learner knew before: asked without the lesson.
    lesson = {
        "concept_name": name,
        "text": text,
        "citations": [citation(db, step.concept_id)],
        "brief": False,
        "angle": "lesson",
    }
    return {
        "type": "exercise",
        "step": 1,
        "action": step.action,
        "reason": reason,
        "concept": {"id": step.concept_id, "name": name, "mastery": PRIOR, "heading": heading},
        "lesson": None if step.action in CHECKS else lesson,
        "feedback": None,
        "progress": {"mastered": 0, "read": 0, "total": 4, "answered": 0},
        "exercise": {
            "id": ex["id"],
            "kind": ex["kind"],
            "prompt": ex["prompt"],
            "choices": json.loads(ex["choices"]),
            **({"items": json.loads(ex["choices"])} if ex["kind"] == "ordering" else {}),
        },
    }


def test_graph_interrupts_with_the_exact_payload_and_resumes(water, checkpointer):
    graph = build_tutor_graph(water, checkpointer)
    result = graph.invoke(dict(START), CONFIG)
    assert [i.value for i in result["__interrupt__"]] == [first_payload(water)]

    exercise_id = result["__interrupt__"][0].value["exercise"]["id"]
    concept = result["__interrupt__"][0].value["concept"]["id"]
    result = graph.invoke(Command(resume={"answer": key(water, exercise_id)}), CONFIG)
    [nxt] = [i.value for i in result["__interrupt__"]]
    assert nxt["step"] == 2
    assert nxt["feedback"]["verdict"] == "correct"
    assert nxt["feedback"]["step"] == 1
    assert nxt["feedback"]["citations"] == [citation(water, concept)]
    assert nxt["exercise"]["id"] != exercise_id

    result = graph.invoke(Command(resume={"answer": wrong(water, nxt["exercise"]["id"])}), CONFIG)
    [third] = [i.value for i in result["__interrupt__"]]
    assert third["feedback"]["verdict"] == "incorrect"
    assert third["feedback"]["correct_answer"] == key(water, nxt["exercise"]["id"])
    assert [(a["event_id"], a["correct"]) for a in attempts(water)] == [("s1:1", 1), ("s1:2", 0)]


def test_a_new_graph_on_the_same_checkpoint_file_resumes_at_the_same_exercise(water, tmp_path):
    path = tmp_path / "sessions.sqlite"
    first = TutorSessions(water, sqlite_checkpointer(path))
    p1 = first.current("ada", "water")
    p2 = first.answer("ada", "water", key(water, p1["exercise"]["id"]), step=p1["step"])
    first.graph.checkpointer.conn.close()  # the server goes away

    second = TutorSessions(water, sqlite_checkpointer(path))  # a new process, same files
    assert second.current("ada", "water") == p2
    p3 = second.answer("ada", "water", key(water, p2["exercise"]["id"]), step=p2["step"])
    assert p3["step"] == 3
    assert [a["event_id"].split(":")[1] for a in attempts(water)] == ["1", "2"]


def test_a_stale_or_double_submit_is_ignored(water, tmp_path):
    tutor = TutorSessions(water, InMemorySaver())
    p1 = tutor.current("ada", "water")
    p2 = tutor.answer("ada", "water", key(water, p1["exercise"]["id"]), step=p1["step"])
    again = tutor.answer("ada", "water", key(water, p1["exercise"]["id"]), step=p1["step"])
    assert again == p2
    assert len(attempts(water)) == 1


def test_a_crash_after_recording_does_not_count_the_answer_twice(water, tmp_path, monkeypatch):
    graph = build_tutor_graph(water, sqlite_checkpointer(tmp_path / "s.sqlite"))
    p1 = graph.invoke(dict(START), CONFIG)["__interrupt__"][0].value
    real = answers.record
    calls = []

    def record_then_crash(db, event):
        calls.append(event["event_id"])
        real(db, event)
        if len(calls) == 1:
            raise RuntimeError("power cut")

    monkeypatch.setattr(answers, "record", record_then_crash)
    with pytest.raises(RuntimeError):
        graph.invoke(Command(resume={"answer": key(water, p1["exercise"]["id"])}), CONFIG)
    assert len(attempts(water)) == 1
    resumed = graph.invoke(None, CONFIG)["__interrupt__"][0].value  # re-runs `record`
    assert calls == ["s1:1", "s1:1"]
    assert len(attempts(water)) == 1
    assert resumed["step"] == 2 and resumed["feedback"]["verdict"] == "correct"


def test_mastering_a_unit_asks_for_a_teach_back_then_goes_on(water):
    tutor = TutorSessions(water, InMemorySaver())
    payload = tutor.current("ada", "water")
    answered = 0
    for _ in range(40):
        if payload["type"] != "exercise":
            break
        payload = tutor.answer("ada", "water", key(water, payload["exercise"]["id"]))
        answered += 1
    assert payload["type"] == "teach_back"
    unit = water.execute("select unit_id from concepts where id = ?", [payload["concept"]["id"]])
    members = [r[0] for r in water.execute("select id from concepts where unit_id = ?",
                                           [unit.fetchone()[0]])]  # fmt: skip
    state = tutor.state("ada", "water")
    assert all(state["mastery"][c] >= 0.95 for c in members)
    assert "own words" in payload["prompt"] and "exercise" not in payload
    name = payload["concept"]["name"]
    definition = water.execute("select definition from concepts where name = ?", [name])
    after = tutor.answer("ada", "water", definition.fetchone()[0])
    assert after["feedback"]["kind"] == "teach_back"
    assert after["feedback"]["verdict"] in {"correct", "partly"}
    assert after["type"] in {"exercise", "done"}
    assert len(attempts(water)) == answered  # a teach-back is not an exercise attempt
    wrong_one = (
        tutor.answer("ada", "water", "I have no idea") if after["type"] == "teach_back" else after
    )
    assert wrong_one["type"] in {"exercise", "done"}


def test_everything_mastered_rests_and_the_session_stays_resumable(water):
    tutor = TutorSessions(water, InMemorySaver())
    payload = tutor.current("ada", "water")
    for _ in range(60):
        if payload["type"] == "done":
            break
        answer = (
            water.execute("select definition from concepts where id = ?",
                          [payload["concept"]["id"]]).fetchone()[0]
            if payload["type"] == "teach_back"
            else key(water, payload["exercise"]["id"])
        )  # fmt: skip
        payload = tutor.answer("ada", "water", answer)
    assert payload["type"] == "done"
    assert payload["progress"]["mastered"] == payload["progress"]["total"] == 4
    # Coming back asks the policy again (a review may be due by then): still resting here.
    again = tutor.current("ada", "water")
    assert again["type"] == "done" and not again["held"]
    assert (again["progress"], again["reason"]) == (payload["progress"], payload["reason"])


def test_sessions_live_beside_the_database():
    assert str(sessions_path("data/teachback.db")) == "data/teachback.db.sessions.sqlite"


def test_the_kept_learner_state_equals_a_full_replay(water):
    tutor = TutorSessions(water, InMemorySaver())
    payload = tutor.current("ada", "water")
    for i in range(8):
        if payload["type"] != "exercise":
            break
        answer = key(water, payload["exercise"]["id"]) if i % 3 else "wrong"
        payload = tutor.answer("ada", "water", answer)
    cur = published.load_curriculum(water, "water")
    kept = learner_model.learner_state(water, "ada", cur)
    fresh = learner_model.learner_state(water, "ada", cur, cached=False)
    assert {c: s.p_known for c, s in kept.concepts.items()} == {
        c: s.p_known for c, s in fresh.concepts.items()
    }
    assert kept.events == fresh.events == len(attempts(water))


def test_a_step_that_failed_is_retried_on_the_next_visit_without_losing_the_answer(
    water, monkeypatch
):
    tutor = TutorSessions(water, InMemorySaver())
    p1 = tutor.current("ada", "water")
    real = answers.grade_answer

    def broken(exercise, answer):
        raise RuntimeError("grader crashed")

    monkeypatch.setattr(answers, "grade_answer", broken)
    with pytest.raises(RuntimeError):
        tutor.answer("ada", "water", key(water, p1["exercise"]["id"]), step=p1["step"])
    assert attempts(water) == []
    monkeypatch.setattr(answers, "grade_answer", real)
    p2 = tutor.current("ada", "water")  # the learner comes back
    assert p2["step"] == 2 and p2["feedback"]["verdict"] == "correct"
    assert [a["event_id"] for a in attempts(water)] == [
        f"{tutor.state('ada', 'water')['session_id']}:1"
    ]


def test_a_check_is_asked_without_the_lesson_that_would_answer_it(water):
    """A review (spaced, or the final check), a prerequisite probe or a test-out checks what
    the learner knows: the lesson or its one-line reminder above it would give the answer
    away."""
    nodes = tutor_nodes(water)
    state = {**START, "concept_id": "water/evaporation", "streak": 3, "mastery": {}}
    for action in ("review", "probe_prerequisite", "test_out"):
        assert nodes["explain"]({**state, "action": action}) == {
            "lesson": None,
            "concept_name": "Evaporation",
        }
    met = [["learn", "water/evaporation", "e1", True]]
    assert nodes["explain"]({**state, "action": "learn", "history": met})["lesson"]["brief"]
    shown = {**state, "action": "review", "lesson": None, "concept_name": "Evaporation"}
    shown.update(nodes["ask"](shown))
    payload = payload_of(shown)
    assert payload["lesson"] is None and payload["concept"]["name"] == "Evaporation"


def test_the_first_miss_shows_the_best_other_passage(water):
    """Two other passages about Evaporation: the one naming it first comes with the first miss,
    the other with the second."""
    from teachback.curricula.publish import publish

    text = water.execute("select text from sources").fetchone()[0]
    source = water.execute("select id from sources").fetchone()[0]
    quote = "Precipitation is water that falls from clouds"  # names Evaporation nowhere
    start = text.index(quote)
    water["evidence"].insert(
        {"concept_id": "water/evaporation", "source_id": source, "passage_id": None,
         "start": start, "end": start + len(quote), "quote": quote, "role": "mention"}
    )  # fmt: skip
    publish(water, "water", "fixture")
    explain = tutor_nodes(water)["explain"]
    missed = {"concept_id": "water/evaporation", "verdict": "incorrect"}
    state = {**START, "action": "learn", "concept_id": "water/evaporation", "feedback": missed}
    first = explain({**state, "misses": 1})["lesson"]
    second = explain({**state, "misses": 2})["lesson"]
    assert first["angle"] == second["angle"] == "evidence"
    assert first["text"].startswith("The cycle runs in order: evaporation")
    assert second["text"].startswith("Precipitation is water that falls")


def test_a_question_asked_again_is_answered_from_memory_with_the_lesson_at_hand(water):
    """Review 17: a concept with one question got it again word for word with its whole
    lesson reprinted above it; asked again, it is a recall."""
    explain = tutor_nodes(water)["explain"]
    lesson_text = water.execute(
        "select text from lessons where concept_id = 'water/evaporation'"
    ).fetchone()[0]
    asked = [["learn", "water/evaporation", "e1", False], ["learn", "water/runoff", "e9", True]]
    state = {
        **START,
        "action": "learn",
        "concept_id": "water/evaporation",
        "mastery": {},
        "history": asked,
        "suggested_exercise": "e1",
    }
    lesson = explain(state)["lesson"]
    assert (lesson["text"], lesson["recall"], lesson["whole"]) == ("", True, lesson_text)
    # another question of the concept, not met before: the lesson whole (not doing well)
    assert explain({**state, "suggested_exercise": "e2"})["lesson"]["text"] == lesson_text
