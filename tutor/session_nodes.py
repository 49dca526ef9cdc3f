"""The tutor graph's nodes: one small function each, of the session's state and the store.

``session.py`` wires them into the graph (``pick → explain → ask → wait → grade → record →
update → pace``, or ``rest``) and binds the store. Each node returns only the state keys it
changes. Every node before an ``interrupt()`` is a pure function of the state and the store, so
re-running it on resume gives the same payload.

The nodes reach the learner model, pacing and grading through their modules
(``learner_model.next_step``, ``answers.grade_answer``, ...), never by copying a function in:
a test replaces one there and every node sees it.
"""

from __future__ import annotations

from collections.abc import Callable

from langgraph.types import interrupt

from teachback.curricula.db import Database, now
from teachback.tutor import answers, learner_model, published
from teachback.tutor.classroom.controls import classroom_constraints
from teachback.tutor.grading.kinds.write_code import offerable
from teachback.tutor.pacing.basics import TEACHING_KINDS
from teachback.tutor.session_lesson import brief_lesson, gives_away, lesson_for, recall_lesson
from teachback.tutor.session_state import TutorState, compact_history, event_id, payload_of

# ----------------------------------------------------------------------------------- nodes


def pick(state: TutorState, db: Database) -> dict:
    """What comes next: nothing while the class is paused, the teach-back of a unit whose
    concepts were all just mastered, else the pacing policy's step."""
    cur = published.load_curriculum(db, state["curriculum_id"])
    learner = learner_model.learner_state(db, state["learner_id"], cur)
    p_known = learner_model.mastery_from(learner, cur)
    seen = {
        **_finish_counts(cur, learner),
        "mastery": {**p_known, **_known_without_practice(cur, learner)},
        "threshold": cur.threshold,
    }
    klass = classroom(db, state["learner_id"], state["curriculum_id"])
    if klass is not None and klass.hold:
        return {**seen, "action": "hold", "reason": klass.hold, **_NO_CONCEPT}
    unit = _unit_ready_for_teach_back(cur, p_known, state)
    if unit is not None:
        title = cur.units[unit]["title"]
        return {
            **seen,
            "action": "teach_back",
            "reason": f"you have mastered every concept of \u201c{title}\u201d",
            "concept_id": _teach_back_concept(cur, unit),
            "unit_id": unit,
            "suggested_exercise": None,
        }
    return {**seen, **_policy_step(cur, learner, state, klass)}


_NO_CONCEPT = {"concept_id": None, "unit_id": None, "suggested_exercise": None}


def _policy_step(cur, learner, state: TutorState, klass) -> dict:
    """The pacing policy's step (a classroom's push first, under the class's cap or the
    curriculum's); a re-explanation is shown together with the exercise that follows it."""
    history = list(state.get("history", []))
    cap = (klass.cap if klass is not None and klass.cap else None) or cur.cap
    if klass is not None and klass.push and klass.push in cur.assessable:
        step = learner_model.Step("review", klass.push, klass.push_reason)
    else:
        step = learner_model.next_step(cur, learner, history, cap=cap)
    reexplained = False
    for _ in range(2):
        if step.action != "reexplain":
            break
        reexplained = True
        history.append(["reexplain", step.concept_id, None, None])
        step = learner_model.next_step(cur, learner, history, cap=cap)
    concept = cur.by_id.get(step.concept_id) if step.concept_id else None
    if concept is None or (concept["id"] not in cur.assessable and step.action != "read"):
        step = learner_model.Step("done", None, step.reason)
    return {
        "action": "reexplain" if reexplained and step.action != "done" else step.action,
        "reason": step.reason,
        "concept_id": step.concept_id if concept else None,
        "unit_id": concept["unit_id"] if concept else None,
        "suggested_exercise": step.exercise_id,
        "step_kind": step.action,
        "history": compact_history(history),
    }


# Steps that check what the learner knows rather than teach it: asked without the lesson above
# them (it would answer them); the feedback then shows the passage to reread.
CHECKS = ("review", "probe_prerequisite", "test_out", "placement")


def explain(state: TutorState, db: Database) -> dict:
    cur = published.load_curriculum(db, state["curriculum_id"])
    cid = state["concept_id"]
    if state["action"] in CHECKS:
        return {"lesson": None, "concept_name": cur.by_id[cid]["name"]}
    last = state.get("feedback") or {}
    missed = last.get("concept_id") == cid and last.get("verdict") != "correct"
    angle = "evidence" if state["action"] == "reexplain" or missed else "lesson"
    # the first miss shows the best other passage; each further miss the next one
    lesson = lesson_for(cur, cid, angle=angle, attempt=max(0, state.get("misses", 0) - 1))
    if angle == "lesson":
        shown = _how_much(cur, state, cid)
        if shown == "reminder":
            lesson = brief_lesson(cur, cid, lesson)
        elif shown == "recall":
            lesson = recall_lesson(lesson)
    later = state["action"] == "read" and cid in cur.assessable
    return {"lesson": lesson, "questions_later": later}


def _how_much(cur, state: TutorState, cid: str) -> str:
    """How much of the concept's lesson the step shows: ``"whole"``, its one-line
    ``"reminder"``, or none (``"recall"``, the lesson one request away).

    Its first step teaches the lesson whole, however well the learner is doing (only its
    reminder when every passage of it was shown with concepts met before). After that, a
    question asked again is answered from memory: a recall, not the lesson again; a learner
    doing well gets the reminder. A lesson step is the lesson itself; a teach-back, told from
    what the learner has learnt, has the reminder."""
    if state["action"] == "read":
        return "whole"
    if state["action"] == "teach_back":
        return "reminder"
    history = state.get("history", [])
    met = {h[1] for h in history if h[1] and h[0] in TEACHING_KINDS}  # lessons shown
    if cid not in met:
        return "reminder" if learner_model.taught_already(cur, cid, met) else "whole"
    wanted = state.get("suggested_exercise")
    if wanted is not None and any(h[2] == wanted for h in history):
        return "recall"
    doing_well = state.get("streak", 0) >= 2 or state.get("mastery", {}).get(cid, 0) >= 0.6
    return "reminder" if doing_well else "whole"


def ask(state: TutorState, db: Database, on_shown: Callable | None = None) -> dict:
    step = state.get("step", 0) + 1
    cur = published.load_curriculum(db, state["curriculum_id"])
    if state["action"] == "read":
        return {"step": step, "exercise": None, "response": None}
    if state["action"] == "teach_back":
        if on_shown is not None:
            on_shown(None, cur.by_id[state["concept_id"]])
        return {"step": step, "exercise": None, "response": None}
    exercise = _choose_exercise(db, cur, state)
    if on_shown is not None:
        on_shown(exercise, None)
    out = {"step": step, "exercise": exercise, "response": None}
    if gives_away(exercise, state.get("lesson")):  # asked without the lesson that answers it
        out["lesson"] = None
        out["concept_name"] = cur.by_id[state["concept_id"]]["name"]
    return out


def wait(state: TutorState) -> dict:
    response = interrupt(payload_of(state))
    if not isinstance(response, dict):
        response = {"answer": response}
    return {"response": response}


def grade(state: TutorState, db: Database) -> dict:
    response = state.get("response") or {}
    if state["action"] == "read":  # nothing to grade: the learner marked the lesson read
        return {"grade": {"verdict": "read", "score": 1.0, "feedback": ""}}
    stored = None if state["action"] == "teach_back" else answers.recorded(db, event_id(state))
    if stored is not None:
        # This step's answer is already in the log: a process died after recording it, or
        # another process served it. The log wins over the answer this run holds.
        response = {k: stored[k] for k in ("answer", "time_taken", "hints")}
        result = answers.grade_answer(state["exercise"], response["answer"]).model_dump()
        return {"grade": answers.follow_record(result, stored), "response": response}
    answer = response.get("answer")
    if state["action"] == "teach_back":
        cur = published.load_curriculum(db, state["curriculum_id"])
        concept = cur.by_id[state["concept_id"]]
        citations = (state.get("lesson") or {}).get("citations") or []
        result = answers.grade_teach_back(str(answer or ""), concept, citations)
    else:
        result = answers.grade_answer(state["exercise"], answer)
    return {"grade": result.model_dump()}


def record(state: TutorState, db: Database) -> dict:
    if state["action"] == "teach_back":
        return {}  # a teach-back is not an exercise attempt: it stays in the session
    if state["action"] == "read":
        answers.record_read(db, _read_event(state))
        return {}
    ex, result, response = state["exercise"], state["grade"], state.get("response") or {}
    mine = answers.record(
        db,
        {
            "event_id": event_id(state),
            "learner_id": state["learner_id"],
            "curriculum_id": state["curriculum_id"],
            "exercise_id": ex["id"],
            "concept_id": ex["concept_id"],
            "correct": result["verdict"] == "correct",
            "score": float(result["score"]),
            "answer": answers.answer_text(response.get("answer")),
            "time_taken": float(response.get("time_taken") or 0.0),
            "hints": int(response.get("hints") or 0),
            "at": now(),
            "session_id": state["session_id"],
        },
    )
    if mine:
        return {}
    # Someone stored this step's answer after ``grade`` looked (another process without
    # the step lock): the log is the truth, so the feedback is about the stored answer.
    stored = answers.recorded(db, event_id(state))
    response = {k: stored[k] for k in ("answer", "time_taken", "hints")}
    regraded = answers.grade_answer(ex, response["answer"]).model_dump()
    return {"grade": answers.follow_record(regraded, stored), "response": response}


def update(state: TutorState) -> dict:
    # The answer just recorded moves P(known) of its concept by one BKT step; ``pick`` replays
    # the whole log again before deciding, so this is only what the learner sees meanwhile.
    if state["action"] == "teach_back" or not state.get("exercise"):
        return {}
    cid = state["exercise"]["concept_id"]
    p_known = dict(state.get("mastery", {}))
    right = state["grade"]["verdict"] == "correct"
    p_known[cid] = learner_model.mastery_after(p_known.get(cid), right)
    return {"mastery": p_known}


def pace(state: TutorState) -> dict:
    if state["action"] == "read":
        history = [*state.get("history", []), ["read", state["concept_id"], None, None]]
        read = [*state.get("lessons_read", []), state["concept_id"]]
        return {
            "feedback": None,
            "misses": 0,
            "history": compact_history(history),
            "lessons_read": sorted(set(read)),
        }
    result = state["grade"]
    right = result["verdict"] == "correct"
    same = (state.get("feedback") or {}).get("concept_id") == state["concept_id"]
    misses = 0 if right else (state.get("misses", 0) if same else 0) + 1
    feedback = _feedback(state)
    history = list(state.get("history", []))
    if state["action"] != "teach_back":  # the policy's own steps, with their outcomes
        kind = state.get("step_kind") or state["action"]
        history.append([kind, state["concept_id"], state["exercise"]["id"], right])
    out = {
        "answered": state.get("answered", 0) + (state["action"] != "teach_back"),
        "misses": misses,
        "streak": state.get("streak", 0) + 1 if right else 0,
        "feedback": feedback,
        "history": compact_history(history),
    }
    if state["action"] == "teach_back":
        out["taught_back"] = [*state.get("taught_back", []), state["unit_id"]]
        out["misses"] = 0
    return out


def rest(state: TutorState) -> dict:
    # Nothing to learn right now (all mastered, or capped). Wait for the learner to come
    # back; resuming asks the policy again (a review may be due, the cap may be lifted).
    interrupt(payload_of(state))
    # A paused class keeps the feedback to the answer given just before the pause: the
    # learner's page asks again on every visit, and the pause must not hide it.
    return {"feedback": state.get("feedback") if state["action"] == "hold" else None}


# ----------------------------------------------------------------------------------- helpers


def _finish_counts(cur, learner) -> dict:
    """What finishing means for the progress shown: every concept, and which lessons of
    concepts without exercises the log says were read."""
    read = sorted(learner_model.lessons_taught(cur, learner))
    return {"lessons_read": read, "concepts_total": len(cur.concepts)}


def _known_without_practice(cur, learner) -> dict[str, float]:
    """Concepts with nothing to practise that the learner is credited with knowing (a concept
    built on them was mastered, e.g. in the placement check): finished without their lesson
    being read, so they count as mastered in the progress shown."""
    taught = learner_model.lessons_taught(cur, learner)
    return {
        c["id"]: learner.concepts[c["id"]].p_known
        for c in cur.concepts
        if c["id"] not in cur.assessable
        and c["id"] in learner.concepts
        and learner.concepts[c["id"]].mastered
        and c["id"] not in taught
    }


def _read_event(state: TutorState) -> dict:
    """The lesson-read row that marks the pending lesson read (idempotent on its event id)."""
    response = state.get("response") or {}
    return {
        "event_id": event_id(state),
        "learner_id": state["learner_id"],
        "curriculum_id": state["curriculum_id"],
        "concept_id": state["concept_id"],
        "time_taken": float(response.get("time_taken") or 0.0),
        "at": now(),
        "session_id": state["session_id"],
    }


def _feedback(state: TutorState) -> dict:
    ex, result = state.get("exercise"), state["grade"]
    response = state.get("response") or {}
    feedback = {
        "step": state["step"],
        "concept_id": state["concept_id"],
        "kind": ex["kind"] if ex else "teach_back",
        "prompt": ex["prompt"] if ex else "",
        "your_answer": answers.answer_text(response.get("answer")),
        "verdict": result["verdict"],
        "score": round(float(result["score"]), 3),
        "feedback": result["feedback"],
        "missing": result.get("missing", []),
        "citations": result.get("citations") or (ex.get("citations") if ex else []) or [],
    }
    if ex:
        feedback["correct_answer"] = answers.answer_text(ex["answer"])
        feedback["explanation"] = ex.get("explanation") or ""
        if not feedback["citations"]:
            feedback["citations"] = ex.get("citations") or []
    return feedback


def _unit_ready_for_teach_back(cur, p_known, state) -> int | None:
    """A unit whose concepts are all mastered and whose teach-back is still to do."""
    done = set(state.get("taught_back", []))
    last = state.get("feedback") or {}
    if state.get("action") == "teach_back" or last.get("kind") == "teach_back":
        return None  # never two teach-backs in a row
    concept = cur.by_id.get(state.get("concept_id") or "")
    if concept is None or concept["unit_id"] in done or concept["unit_id"] not in cur.units:
        return None
    members = [c for c in cur.unit_concepts(concept["unit_id"]) if c in cur.assessable]
    if members and all(p_known.get(c, 0) >= cur.threshold for c in members):
        return concept["unit_id"]
    return None


def _teach_back_concept(cur, unit_id) -> str:
    members = [cur.by_id[c] for c in cur.unit_concepts(unit_id) if c in cur.assessable]
    return max(members, key=lambda c: (c["importance"] or 0, -(c["position"] or 0)))["id"]


def _choose_exercise(db: Database, cur, state: TutorState) -> dict:
    """The policy's exercise if it named one, else the least-practised one near the target."""
    exercises = offerable(cur.exercises_of(state["concept_id"]))
    if not exercises:
        raise model_error(state["concept_id"])
    wanted = state.get("suggested_exercise")
    for ex in exercises:
        if ex["id"] == wanted:
            return ex
    from teachback.curricula import attempt_log

    seen = attempt_log.counts_by_exercise(db, state["learner_id"], state["concept_id"])
    last_id = (state.get("exercise") or {}).get("id")
    p = state.get("mastery", {}).get(state["concept_id"], 0.3)
    return least_practised(exercises, seen, last_id, p, state.get("lesson"))


def least_practised(
    exercises: list[dict], seen: dict[str, int], last_id: str | None, p: float, lesson: dict | None
) -> dict:
    """Never the one just asked; the least practised; among those, one the lesson shown above
    it does not answer (a question that gives the lesson away is asked without it, so asked
    first it would hide the concept's lesson from a learner who has not read it yet); then a
    harder one as P(known) grows (difficulty ~ mastery)."""
    return min(
        exercises,
        key=lambda ex: (
            ex["id"] == last_id,
            seen.get(ex["id"], 0),
            gives_away(ex, lesson),
            abs(ex["difficulty"] - p),
        ),
    )


def classroom(db: Database, learner_id: str, curriculum_id: str):
    """The learner's classroom constraints (cap, push, hold), or None when learning alone."""
    return classroom_constraints(db, learner_id, curriculum_id)


def model_error(concept_id: str):
    from teachback.errors import NotFound

    return NotFound(f"concept {concept_id!r} has no exercises a learner can be asked")
