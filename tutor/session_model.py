"""The tutor's doorway to the learner model, the pacing policy and the grader.

The tutor graph (``session.py``) never decides mastery, pace or grades itself: it calls the
functions here, which call the modules that own those jobs:

* ``teachback.tutor.grading``  (``grade``, ``grade_teach_back``)
* ``teachback.tutor.attempts`` (``record_attempt``, idempotent on ``event_id``)
* ``teachback.tutor.bkt`` (mastery) / ``teachback.tutor.pacing`` / ``teachback.tutor.reviews``

Those modules are written in parallel by other helpers. Until one lands, the function below
that needs it uses a deliberately simple stand-in whose name starts with ``_interim_``; each is
replaced by the real call once the module exists (``git log``), and none is a second
implementation meant to stay.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from teachback.curricula import repository
from teachback.engine.protocol import Grade, GradeRequest, Span

DEFAULT_THRESHOLD = 0.95
TARGET_SUCCESS = 0.75


def _optional(module: str):
    """The module if it exists yet, else None (a missing *dependency* inside it still raises)."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name and module.startswith(err.name) or err.name == module:
            return None
        raise


# ---------------------------------------------------------------- the curriculum, read once a step


@dataclass
class Curriculum:
    """What the tutor needs of a curriculum, in teaching order (read from the store)."""

    id: str
    concepts: list[dict]  # rows, ordered by unit position then concept position
    prerequisites: dict[str, list[str]]  # concept id -> prerequisite concept ids (active edges)
    units: dict[int, dict]  # unit id -> row
    threshold: float = DEFAULT_THRESHOLD
    cap: str | None = None  # instructor cap: nobody past this concept
    # Concepts with at least one exercise a learner can be asked: only these can be practised
    # and mastered; the others are neither offered nor block what depends on them.
    assessable: set[str] = field(default_factory=set)
    by_id: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self):
        self.by_id = {c["id"]: c for c in self.concepts}

    def unit_concepts(self, unit_id) -> list[str]:
        return [c["id"] for c in self.concepts if c["unit_id"] == unit_id]


def load_curriculum(db: Database, curriculum: str) -> Curriculum:
    """The concepts, prerequisite edges and units of ``curriculum`` (NotFound if missing)."""
    from teachback.errors import NotFound

    row = db.execute("select settings from curricula where id = ?", [curriculum]).fetchone()
    if row is None:
        raise NotFound(f"curriculum {curriculum!r} does not exist")
    settings = json.loads(row[0] or "{}") if row[0] else {}
    concepts = [
        dict(r)
        for r in db.query(
            """select c.id, c.name, c.slug, c.definition, c.importance, c.unit_id, c.position,
                      coalesce(u.position, 0) as unit_position
               from concepts c left join units u on u.id = c.unit_id
               where c.curriculum_id = ? order by unit_position, c.position, c.id""",
            [curriculum],
        )
    ]
    prerequisites: dict[str, list[str]] = {c["id"]: [] for c in concepts}
    for e in db.query(
        """select prerequisite, concept from edges where curriculum_id = ?
           and kind = 'prerequisite' and coalesce(status, 'active') = 'active'""",
        [curriculum],
    ):
        if e["concept"] in prerequisites:
            prerequisites[e["concept"]].append(e["prerequisite"])
    units = {
        u["id"]: dict(u)
        for u in db.query("select * from units where curriculum_id = ?", [curriculum])
    }
    assessable = {
        r[0]
        for r in db.execute(
            """select distinct concept_id from exercises where curriculum_id = ?
               and status in ('kept', 'approved')""",
            [curriculum],
        ).fetchall()
    }
    return Curriculum(
        id=curriculum,
        assessable=assessable,
        concepts=concepts,
        prerequisites=prerequisites,
        units=units,
        threshold=float(settings.get("mastery_threshold", DEFAULT_THRESHOLD)),
        cap=settings.get("cap"),
    )


def exercises_for(db: Database, curriculum: str, concept_id: str) -> list[dict]:
    """The learner-facing exercises of a concept (kept or approved), easiest first."""
    rows = repository.get_exercises(db, curriculum, concept_id)
    return sorted(rows, key=lambda r: (r.get("difficulty") or 0.5, r["id"]))


def attempts_of(db: Database, learner: str, curriculum: str) -> list[dict]:
    return [
        dict(r)
        for r in db.query(
            """select * from attempts where learner_id = ? and curriculum_id = ?
               order by at, id""",
            [learner, curriculum],
        )
    ]


# ---------------------------------------------------------------- grading


def grade_answer(exercise: dict, answer: Any) -> Grade:
    """Grade ``answer`` against the stored key of ``exercise`` (a decoded exercises row)."""
    from teachback.tutor.grading import grade

    citations = [Span(**{k: c[k] for k in _SPAN}) for c in exercise.get("citations") or []
                 if isinstance(c, dict) and set(_SPAN) <= set(c)]  # fmt: skip
    request = GradeRequest(
        question=exercise["prompt"],
        reference=answer_text(exercise["answer"]),
        answer=answer_text(answer),
        kind=exercise["kind"],
        rubric=list((exercise.get("data") or {}).get("rubric") or []),
        citations=citations,
        exercise=repository.exercise_draft(exercise),
    )
    return grade(request)


def grade_teach_back(explanation: str, concept: dict, citations: list[dict]) -> Grade:
    """Score a learner's explanation of ``concept`` (a concepts row) by the key points of its
    definition that it covers."""
    from teachback.tutor.grading import grade_teach_back as score

    spans = [Span(**{k: c[k] for k in _SPAN}) for c in citations or []
             if isinstance(c, dict) and set(_SPAN) <= set(c)]  # fmt: skip
    return score(explanation, concept["definition"] or concept["name"], None, spans,
                 concept["name"])  # fmt: skip


_SPAN = ("source", "start", "end", "quote")


def answer_text(value: Any) -> str:
    """How an answer or key reads as text: lists one item a line, booleans as True/False."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


# ---------------------------------------------------------------- the attempt log


def record(db: Database, event: dict) -> bool:
    """Append one attempt; False when ``event_id`` was already recorded (a resumed node)."""
    from teachback.tutor.attempts import AttemptEvent, record_attempt

    return bool(record_attempt(db, AttemptEvent(**event)))


# ---------------------------------------------------------------- mastery and what comes next


def mastery(db: Database, learner: str, cur: Curriculum) -> dict[str, float]:
    """P(known) per concept id for ``learner``: BKT (``teachback.tutor.bkt``, default rates)
    replayed over the learner's attempt log in time order."""
    from teachback.tutor import bkt

    p_known = {c["id"]: bkt.DEFAULT_PARAMS.prior for c in cur.concepts if c["id"] in cur.assessable}
    for attempt in attempts_of(db, learner, cur.id):
        concept = attempt["concept_id"]
        if concept in p_known:
            p_known[concept] = bkt.step(p_known[concept], bool(attempt["correct"]))
    return p_known


def mastery_after(p_known: float | None, correct: bool) -> float:
    """P(known) after one more answer (BKT with default rates)."""
    from teachback.tutor import bkt

    prior = bkt.DEFAULT_PARAMS.prior if p_known is None else p_known
    return bkt.step(prior, correct)


@dataclass
class Step:
    """What the tutor does next: ``action`` on ``concept_id`` (None when all is mastered)."""

    action: str  # "learn" | "review" | "reexplain" | "probe" | "done"
    concept_id: str | None
    reason: str = ""
    exercise_id: str | None = None


def next_step(
    db: Database, learner: str, cur: Curriculum, p_known: dict[str, float], recent: dict
) -> Step:
    """The pacing decision. ``recent``: {"concept_id", "misses", "streak"} of the session."""
    return _interim_frontier_rule(cur, p_known, recent)


def _interim_frontier_rule(cur: Curriculum, p_known: dict[str, float], recent: dict) -> Step:
    """INTERIM until ``teachback.tutor.pacing.next_step`` lands: first unmastered concept in
    teaching order whose prerequisites are all mastered; re-explain after two misses."""
    mastered = {cid for cid, p in p_known.items() if p >= cur.threshold}
    mastered |= {c["id"] for c in cur.concepts if c["id"] not in cur.assessable}
    for concept in cur.concepts:
        cid = concept["id"]
        if cid not in cur.assessable:
            continue
        if cid in mastered:
            if cur.cap and cid == cur.cap:
                break
            continue
        if all(pre in mastered for pre in cur.prerequisites.get(cid, [])):
            if recent.get("concept_id") == cid and recent.get("misses", 0) >= 2:
                return Step("reexplain", cid, "two misses in a row: explained another way")
            return Step("learn", cid, "next concept whose prerequisites you know")
        if cur.cap and cid == cur.cap:
            break
    return Step("done", None, "every concept you can reach is mastered")


def due_reviews(db: Database, learner: str, cur: Curriculum) -> list[dict]:
    """Concepts due for review: [{"concept_id", "name", "due"}], most overdue first."""
    reviews = _optional("teachback.tutor.reviews")
    if reviews is None:
        return []  # INTERIM: no schedule until ``teachback.tutor.reviews`` lands
    return []
