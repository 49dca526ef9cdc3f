import json
from datetime import UTC, datetime, timedelta

from teachback.curricula.repository import ensure_curriculum
from teachback.tutor.attempts import AttemptEvent, record_attempt
from teachback.tutor.learner_store import (
    estimate_difficulties,
    learner_state,
    load_exercises,
    load_graph,
    plan_next,
    stored_to_logit,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _seed(db, settings=None):
    ensure_curriculum(db, "cur")
    if settings:
        db["curricula"].update("cur", {"settings": json.dumps(settings)})
    for pos, slug in enumerate(["a", "b", "c"]):
        db["concepts"].insert(
            {
                "id": f"cur/{slug}",
                "curriculum_id": "cur",
                "slug": slug,
                "name": slug.upper(),
                "definition": "",
                "position": pos,
            }
        )
        for k, diff in enumerate((0.2, 0.5, 0.8)):
            db["exercises"].insert(
                {
                    "id": f"{slug}{k}",
                    "curriculum_id": "cur",
                    "concept_id": f"cur/{slug}",
                    "kind": "cloze",
                    "prompt": "?",
                    "difficulty": diff,
                    "status": "kept",
                }
            )
    for pre, con in [("a", "b"), ("b", "c")]:
        db["edges"].insert(
            {
                "curriculum_id": "cur",
                "prerequisite": f"cur/{pre}",
                "concept": f"cur/{con}",
                "kind": "prerequisite",
                "status": "active",
            }
        )


def _answer(db, i, exercise, concept, ok):
    record_attempt(
        db,
        AttemptEvent(
            event_id=f"e{i}",
            learner_id="ann",
            curriculum_id="cur",
            exercise_id=exercise,
            concept_id=f"cur/{concept}",
            correct=ok,
            at=(T0 + timedelta(minutes=i)).isoformat(),
        ),
    )


def test_graph_and_exercises_come_from_the_store(db):
    _seed(db)
    graph = load_graph(db, "cur")
    assert graph.order == ["cur/a", "cur/b", "cur/c"]
    assert graph.prerequisites("cur/c") == ("cur/b",)
    ex = load_exercises(db, "cur")
    assert [(e.id, e.difficulty) for e in ex[:3]] == [("a0", -1.2), ("a1", 0.0), ("a2", 1.2)]
    assert stored_to_logit(None) == 0.0


def test_difficulty_moves_with_attempts_but_starts_at_the_authored_value(db):
    authored = {"x": 0.0, "y": 0.0}
    events = [
        AttemptEvent(
            event_id=str(i),
            learner_id=f"l{i}",
            curriculum_id="cur",
            exercise_id=ex,
            concept_id="cur/a",
            correct=ok,
        )
        for i, (ex, ok) in enumerate([("x", False)] * 15 + [("y", True)] * 15)
    ]
    est = estimate_difficulties(events, authored)
    assert est["x"] > 0 > est["y"]
    assert estimate_difficulties([], authored) == authored


def test_plan_next_replays_the_log_and_respects_the_stored_cap(db):
    _seed(db, {"cap_concept": "cur/b", "mastery_threshold": 0.9})
    first = plan_next(db, "ann", "cur")
    assert first.kind == "placement"
    for i in range(8):
        _answer(db, i, "b1", "b", True)
    state = learner_state(db, "ann", "cur")
    assert state.concepts["cur/a"].mastered and state.concepts["cur/b"].mastered
    from teachback.tutor.pacing import HistoryItem

    history = [HistoryItem("learn", "cur/b", "b1", True)] * 8
    step = plan_next(db, "ann", "cur", history, now=T0 + timedelta(hours=1))
    assert step.kind == "review" and step.meta["final_check"] and step.concept_id == "cur/a"
    history += [HistoryItem("review", c, f"{c[-1]}1", True) for c in ["cur/a", "cur/b"] * 2]
    step = plan_next(db, "ann", "cur", history, now=T0 + timedelta(hours=1))
    assert step.kind == "capped" and "cur/b" in step.reason
