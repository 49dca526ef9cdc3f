"""From the store to the pure learner-model functions, for the tutor and the UI.

``load_graph`` and ``load_exercises`` read a curriculum through ``teachback.curricula.repository``;
``learner_state`` replays one learner's attempts; ``plan_next`` puts them together and returns the
pacing policy's next ``Step``. Exercise difficulty is stored as 0 (easy) .. 1 (hard); the pacing
policy works on a logit scale (0 = average), and the authored estimate is blended with what all
learners' attempts say (``estimate_difficulties``, smoothed towards the authored value).

Settings: the curriculum's ``settings`` JSON may hold ``mastery_threshold`` (default 0.95) and
``cap_concept`` (an instructor's "no one past concept X"; the legacy key ``cap`` is read too),
parsed by ``teachback.tutor.published.read_settings``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from teachback.curricula.db import Database
from teachback.tutor.attempts import AttemptEvent, attempts_for, learner_log
from teachback.tutor.mastery import ConceptGraph, ConceptNode, LearnerState, PersonalModel, replay
from teachback.tutor.pacing import Exercise, HistoryItem, PacingSettings, Step, next_step
from teachback.tutor.pacing.basics import questions_of
from teachback.tutor.reviews import due_reviews

SMOOTHING = 10.0  # attempts' worth of weight on the authored difficulty


def stored_to_logit(difficulty: float | None) -> float:
    """0..1 stored difficulty -> logit units: 0.5 -> 0, 0 -> -2, 1 -> +2."""
    if difficulty is None:
        return 0.0
    return 4.0 * (min(max(float(difficulty), 0.0), 1.0) - 0.5)


def _logit(p: float) -> float:
    p = min(max(p, 1e-3), 1 - 1e-3)
    return math.log(p / (1 - p))


def estimate_difficulties(
    events: Iterable[AttemptEvent], authored: dict[str, float]
) -> dict[str, float]:
    """Difficulty (logit) per exercise from all learners' attempts, smoothed to the authored one.

    With mu the overall success rate, an exercise of authored difficulty d is expected to be
    answered right with p0 = sigmoid(logit(mu) - d); after n attempts with c right the estimate
    is ``logit(mu) - logit((c + k p0) / (n + k))`` (k = 10): no data gives back d exactly.
    """
    n: dict[str, int] = defaultdict(int)
    c: dict[str, int] = defaultdict(int)
    for e in events:
        n[e.exercise_id] += 1
        c[e.exercise_id] += int(e.correct)
    total = sum(n.values())
    if not total:
        return dict(authored)
    mu = min(max(sum(c.values()) / total, 0.05), 0.95)
    out = {}
    for ex, d in authored.items():
        p0 = 1.0 / (1.0 + math.exp(-(_logit(mu) - d)))
        p = (c[ex] + SMOOTHING * p0) / (n[ex] + SMOOTHING)
        out[ex] = _logit(mu) - _logit(p)
    return out


def load_graph(db: Database, curriculum: str) -> ConceptGraph:
    """Concepts in teaching order with their active prerequisite edges and units."""
    from teachback.curricula import repository

    concepts = repository.get_concepts(db, curriculum)
    prereqs: dict[str, list[str]] = defaultdict(list)
    ids = {c["id"] for c in concepts}
    for e in repository.get_edges(db, curriculum, kind="prerequisite"):
        if e["prerequisite"] in ids and e["concept"] in ids:
            prereqs[e["concept"]].append(e["prerequisite"])
    return ConceptGraph(
        ConceptNode(
            c["id"],
            tuple(prereqs.get(c["id"], ())),
            unit=str(c["unit_id"]) if c.get("unit_id") is not None else None,
            name=c.get("name") or "",
        )
        for c in concepts
    )


def load_exercises(
    db: Database, curriculum: str, events: Sequence[AttemptEvent] | None = None
) -> list[Exercise]:
    """Usable exercises (kept/approved), difficulty on the logit scale, updated from attempts."""
    from teachback.curricula import repository
    from teachback.tutor.published import exercise_passage

    rows = repository.get_exercises(db, curriculum)
    authored = {r["id"]: stored_to_logit(r.get("difficulty")) for r in rows}
    if events is None:
        events = attempts_for(db, curriculum_id=curriculum)
    estimated = estimate_difficulties(events, authored)
    return [
        Exercise(r["id"], r["concept_id"], round(estimated[r["id"]], 4), **exercise_passage(r))
        for r in rows
    ]


def curriculum_settings(db: Database, curriculum: str) -> PacingSettings:
    from teachback.curricula import catalogue
    from teachback.tutor.published import read_settings  # the one parser (legacy aliases)

    raw = read_settings(catalogue.settings_text(db, curriculum))
    return PacingSettings(threshold=raw["mastery_threshold"], cap_concept=raw["cap_concept"])


def learner_state(
    db: Database,
    learner: str,
    curriculum: str,
    graph: ConceptGraph | None = None,
    *,
    threshold: float | None = None,
    difficulty: dict[str, float] | None = None,
    questions: dict[str, list[str]] | None = None,
) -> LearnerState:
    """Replay the learner's attempts and lesson reads in this curriculum (the log is the
    truth)."""
    graph = graph or load_graph(db, curriculum)
    if threshold is None:
        threshold = curriculum_settings(db, curriculum).threshold
    return replay(
        learner_log(db, learner, curriculum),
        graph,
        threshold=threshold,
        difficulty=difficulty,
        personal=PersonalModel(),  # the same learner model as the tutor's (learner_model)
        questions=questions,
    )


def plan_next(
    db: Database,
    learner: str,
    curriculum: str,
    history: Sequence[HistoryItem] = (),
    *,
    now: datetime | None = None,
    settings: PacingSettings | None = None,
) -> Step:
    """The pacing policy's next step for ``learner``, from what is stored."""
    settings = settings or curriculum_settings(db, curriculum)
    graph = load_graph(db, curriculum)
    exercises = load_exercises(db, curriculum)
    state = learner_state(
        db,
        learner,
        curriculum,
        graph,
        threshold=settings.threshold,
        difficulty={e.id: e.difficulty for e in exercises},
        questions=questions_of(exercises),
    )
    return next_step(
        graph,
        state,
        exercises,
        due=due_reviews(state, now),
        history=history,
        settings=settings,
    )
