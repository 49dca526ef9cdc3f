"""The live class view: pure functions over members, attempts and mastery, and one loader.

Every function but ``class_view`` is pure (plain lists and dicts in, plain rows out), so the
dashboard's arithmetic is tested directly. ``class_view`` reads the store through
``sessions.class_attempts`` (instructor only) and the tutor's own mastery replay.

Inputs, as the loader builds them:
* ``members``:  ``[{"learner_id", "display_name", "joined_at"}]``
* ``attempts``: ``[{"learner_id", "exercise_id", "concept_id", "correct", "answer", "at"}]``,
  in time order
* ``concepts``: ``[{"id", "name", "unit_id"}]`` in teaching order (``unit_id`` may be absent)
* ``units``:    ``[{"id", "title"}]`` in teaching order
* ``mastery``:  ``{learner_id: {concept_id: P(known)}}``

Not handled: teach-back explanations (they are not attempts, so they are not on the dashboard).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime

from teachback.curricula import catalogue
from teachback.tutor.classroom.misconceptions import misconceptions
from teachback.tutor.classroom.units import NO_UNIT, unit_heatmap, unit_titles, unit_trouble

ACTIVE_SECONDS = 300  # an answer within this many seconds: "active"
STUCK_MISSES = 3  # this many wrong answers in a row: "stuck"
IDLE_SECONDS = 300  # no answer for this long (after joining): "idle"


def _utc(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _by_learner(attempts: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for a in attempts:
        out[a["learner_id"]].append(a)
    return out


def last_activity(members: list[dict], attempts: list[dict]) -> dict[str, datetime | None]:
    """When each member last answered (else when they joined)."""
    last = {m["learner_id"]: _utc(m.get("joined_at")) for m in members}
    for a in attempts:
        if a["learner_id"] in last:
            t = _utc(a["at"])
            if t and (last[a["learner_id"]] is None or t > last[a["learner_id"]]):
                last[a["learner_id"]] = t
    return last


def active_learners(
    members: list[dict], attempts: list[dict], now: datetime, window: float = ACTIVE_SECONDS
) -> list[str]:
    """Members who answered (or joined) within ``window`` seconds of ``now``."""
    last = last_activity(members, attempts)
    return [
        m["learner_id"]
        for m in members
        if last[m["learner_id"]] and (now - last[m["learner_id"]]).total_seconds() <= window
    ]


def positions(members: list[dict], attempts: list[dict], concepts: list[dict]) -> dict[str, dict]:
    """Where each member is: the concept of their latest answer and its place in the order.

    >>> positions([{"learner_id": "a"}], [{"learner_id": "a", "concept_id": "c2", "at": "t"}],
    ...           [{"id": "c1", "name": "One"}, {"id": "c2", "name": "Two"}])["a"]["index"]
    1
    """
    index = {c["id"]: i for i, c in enumerate(concepts)}
    names = {c["id"]: c["name"] for c in concepts}
    out = {m["learner_id"]: {"concept_id": None, "concept": "", "index": -1} for m in members}
    for a in attempts:
        if a["learner_id"] in out:
            out[a["learner_id"]] = {
                "concept_id": a["concept_id"],
                "concept": names.get(a["concept_id"], a["concept_id"]),
                "index": index.get(a["concept_id"], -1),
            }
    return out


def heatmap(
    members: list[dict], concepts: list[dict], mastery: dict[str, dict[str, float]]
) -> list[dict]:
    """Learner x concept P(known), one row per cell (what a chart wants), teaching order kept.

    Concepts the tutor cannot assess (no exercises, hence absent from every learner's mastery)
    are left out.
    """
    assessed = {c for m in mastery.values() for c in m}
    rows = []
    for m in members:
        known = mastery.get(m["learner_id"], {})
        for order, c in enumerate(concepts):
            if c["id"] not in assessed:
                continue
            rows.append(
                {
                    "learner": m["display_name"],
                    "learner_id": m["learner_id"],
                    "concept": c["name"],
                    "concept_id": c["id"],
                    "order": order,
                    "mastery": round(float(known.get(c["id"], 0.0)), 3),
                }
            )
    return rows


def misses_in_a_row(learner_attempts: list[dict]) -> list[dict]:
    """The trailing run of wrong answers (latest last)."""
    run: list[dict] = []
    for a in reversed(learner_attempts):
        if a["correct"]:
            break
        run.append(a)
    return run[::-1]


def stuck(
    members: list[dict],
    attempts: list[dict],
    now: datetime,
    *,
    prompts: dict[str, str] | None = None,
    finished: set[str] = frozenset(),
    misses: int = STUCK_MISSES,
    idle: float = IDLE_SECONDS,
) -> list[dict]:
    """Members who need help: ``misses`` wrong answers in a row, or no answer for ``idle``
    seconds (members in ``finished`` are never idle-stuck). Each row says why and lists what
    they got wrong lately (prompt and their answer). Most misses first, then longest idle."""
    prompts = prompts or {}
    per = _by_learner(attempts)
    last = last_activity(members, attempts)
    out = []
    for m in members:
        lid = m["learner_id"]
        run = misses_in_a_row(per.get(lid, []))
        idle_for = (now - last[lid]).total_seconds() if last[lid] else 0.0
        why = []
        if len(run) >= misses:
            why.append(f"{len(run)} wrong answers in a row")
        if idle_for >= idle and lid not in finished:
            why.append(f"idle for {int(idle_for // 60)} min")
        if not why:
            continue
        wrong = [a for a in per.get(lid, []) if not a["correct"]][-misses:]
        out.append(
            {
                "learner": m["display_name"],
                "learner_id": lid,
                "why": "; ".join(why),
                "misses": len(run),
                "idle_seconds": int(idle_for),
                "wrong": [
                    {
                        "exercise_id": a["exercise_id"],
                        "prompt": prompts.get(a["exercise_id"], a["exercise_id"]),
                        "answer": a.get("answer") or "",
                        "at": a["at"],
                    }
                    for a in wrong
                ],
            }
        )
    return sorted(out, key=lambda r: (-r["misses"], -r["idle_seconds"], r["learner"]))


def most_missed(
    attempts: list[dict], prompts: dict[str, str] | None = None, top: int = 10
) -> list[dict]:
    """Exercises by number of wrong answers (then miss rate): the ones the class finds hard."""
    prompts = prompts or {}
    total: Counter = Counter()
    wrong: Counter = Counter()
    who: dict[str, set] = defaultdict(set)
    concept = {}
    for a in attempts:
        total[a["exercise_id"]] += 1
        concept[a["exercise_id"]] = a["concept_id"]
        if not a["correct"]:
            wrong[a["exercise_id"]] += 1
            who[a["exercise_id"]].add(a["learner_id"])
    rows = [
        {
            "exercise_id": ex,
            "prompt": prompts.get(ex, ex),
            "concept_id": concept[ex],
            "attempts": total[ex],
            "misses": n,
            "miss_rate": round(n / total[ex], 3),
            "learners": len(who[ex]),
        }
        for ex, n in wrong.items()
    ]
    rows.sort(key=lambda r: (-r["misses"], -r["miss_rate"], r["exercise_id"]))
    return rows[:top]


def pace_spread(
    members: list[dict], mastery: dict[str, dict[str, float]], threshold: float
) -> dict:
    """How far apart the class is: concepts mastered per learner (min, median, max, spread) and
    how many learners have mastered each count (a histogram)."""
    counts = {
        m["learner_id"]: sum(1 for p in mastery.get(m["learner_id"], {}).values() if p >= threshold)
        for m in members
    }
    values = sorted(counts.values())
    if not values:
        return {"learners": 0, "min": 0, "median": 0, "max": 0, "spread": 0, "histogram": [],
                "mastered": {}}  # fmt: skip
    hist = Counter(values)
    return {
        "learners": len(values),
        "min": values[0],
        "median": statistics.median(values),
        "max": values[-1],
        "spread": values[-1] - values[0],
        "histogram": [{"mastered": k, "learners": hist[k]} for k in sorted(hist)],
        "mastered": counts,
    }


# ------------------------------------------------- readable at 100+ concepts and 30+ learners


def learner_trouble(
    members: list[dict],
    attempts: list[dict],
    cells: list[dict],
    now: datetime,
    *,
    threshold: float,
    recent: int = 10,
) -> list[dict]:
    """One row per learner, the ones who need the teacher first: wrong answers in a row, then
    the share of their last ``recent`` answers that were wrong, then least mastered.

    Row: learner, answers, accuracy of the last ``recent`` (None before any answer), misses in
    a row, concepts mastered and assessed, mean P(known), seconds since their last answer (or
    joining), and ``trouble`` (0..1, the sort key shown as a bar)."""
    per = _by_learner(attempts)
    last = last_activity(members, attempts)
    known: dict[str, list[float]] = defaultdict(list)
    for cell in cells:
        known[cell["learner_id"]].append(cell["mastery"])
    rows = []
    for m in members:
        lid = m["learner_id"]
        mine = per.get(lid, [])
        latest = mine[-recent:]
        accuracy = sum(1 for a in latest if a["correct"]) / len(latest) if latest else None
        run = len(misses_in_a_row(mine))
        values = known.get(lid, [])
        mean = sum(values) / len(values) if values else 0.0
        # Misses in a row weigh most (someone stuck now), then recent accuracy, then how far
        # behind they are; each term is in 0..1 so the score reads as a share.
        trouble = (
            0.5 * min(run, STUCK_MISSES) / STUCK_MISSES
            + 0.3 * (1 - accuracy if accuracy is not None else 0.0)
            + 0.2 * (1 - mean)
        )
        rows.append(
            {
                "learner": m["display_name"],
                "learner_id": lid,
                "answers": len(mine),
                "accuracy": None if accuracy is None else round(accuracy, 3),
                "misses_in_a_row": run,
                "mastered": sum(1 for v in values if v >= threshold),
                "assessed": len(values),
                "mastery": round(mean, 3),
                "idle_seconds": int((now - last[lid]).total_seconds()) if last[lid] else None,
                "trouble": round(trouble, 3),
            }
        )
    return sorted(rows, key=lambda r: (-r["trouble"], r["learner"].casefold()))


def concept_trouble(
    cells: list[dict], attempts: list[dict], concepts: list[dict], units: list[dict],
    threshold: float,
) -> list[dict]:  # fmt: skip
    """One row per assessed concept, the hardest for the class first: most wrong answers, then
    the lowest class mastery. Row: concept, unit, answers, misses, miss rate, learners who
    mastered it, the class's mean P(known), its place in teaching order."""
    titles = unit_titles(units)
    info = {c["id"]: (n, c) for n, c in enumerate(concepts)}
    known: dict[str, list[float]] = defaultdict(list)
    for cell in cells:
        known[cell["concept_id"]].append(cell["mastery"])
    total: Counter = Counter(a["concept_id"] for a in attempts)
    wrong: Counter = Counter(a["concept_id"] for a in attempts if not a["correct"])
    rows = []
    for cid, values in known.items():
        order, c = info.get(cid, (len(info), {"id": cid, "name": cid}))
        unit = c.get("unit_id")
        rows.append(
            {
                "concept": c["name"],
                "concept_id": cid,
                "unit": titles.get(unit, NO_UNIT),
                "unit_id": unit if unit in titles else None,
                "order": order,
                "answers": total[cid],
                "misses": wrong[cid],
                "miss_rate": round(wrong[cid] / total[cid], 3) if total[cid] else None,
                "mastered_by": sum(1 for v in values if v >= threshold),
                "mastery": round(sum(values) / len(values), 3),
            }
        )
    return sorted(rows, key=lambda r: (-r["misses"], r["mastery"], r["order"]))


def learner_pace(trouble_rows: list[dict], positions_: dict[str, dict],
                 assessable: list[str]) -> list[dict]:  # fmt: skip
    """Per learner: concepts mastered and how far into the teaching order they have reached
    (the place of their latest answer among the assessable concepts, 1-based; 0 before any),
    in the order of ``trouble_rows``. What the pace chart draws: a bar and a mark per learner.
    """
    place = {cid: n for n, cid in enumerate(assessable, 1)}
    return [
        {
            "learner": r["learner"],
            "learner_id": r["learner_id"],
            "mastered": r["mastered"],
            "reached": place.get((positions_.get(r["learner_id"]) or {}).get("concept_id"), 0),
        }
        for r in trouble_rows
    ]


# ------------------------------------------------------------------------------- the loader


def class_view(db, session_id: str, caller, *, now: datetime | None = None) -> dict:
    """Everything the instructor's dashboard shows, read from the store (instructor only)."""
    from teachback.tutor import learner_model, progress, published
    from teachback.tutor.classroom import sessions

    session = sessions.require_instructor_of(db, session_id, caller)
    now = now or datetime.now(UTC)
    people = sessions.members(db, session_id, caller)
    attempts = sessions.class_attempts(db, session_id, caller)
    cur = published.load_curriculum(db, session.curriculum_id)
    concepts = [{"id": c["id"], "name": c["name"], "unit_id": c["unit_id"]} for c in cur.concepts]
    # Stored unit titles can be file names ("__init__", "hash_tables (3)"): show the readable
    # titles the learner's concept map uses.
    members_of = {uid: [cur.by_id[c] for c in cur.unit_concepts(uid)] for uid in cur.units}
    readable = progress.unit_titles(cur.units, members_of)
    units = [
        {"id": u["id"], "title": readable.get(u["id"]) or u.get("title")}
        for u in sorted(cur.units.values(), key=lambda u: (u.get("position") or 0, u["id"]))
    ]
    mastery = {m["learner_id"]: learner_model.mastery(db, m["learner_id"], cur) for m in people}
    prompts = catalogue.exercise_prompts(db, session.curriculum_id)
    spread = pace_spread(people, mastery, cur.threshold)
    total = len(cur.assessable)
    finished = {lid for lid, n in spread["mastered"].items() if total and n >= total}
    cells = heatmap(people, concepts, mastery)
    where = positions(people, attempts, concepts)
    learners = learner_trouble(people, attempts, cells, now, threshold=cur.threshold)
    by_concept = concept_trouble(cells, attempts, concepts, units, cur.threshold)
    title = catalogue.title(db, session.curriculum_id)
    return {
        "session": session,
        "title": title,
        "now": now,
        "members": people,
        "attempts": len(attempts),
        "active": active_learners(people, attempts, now),
        "positions": where,
        "heatmap": cells,
        "unit_heatmap": unit_heatmap(cells, concepts, units, cur.threshold),
        "learners": learners,
        "concept_trouble": by_concept,
        "unit_trouble": unit_trouble(by_concept, units),
        "learner_pace": learner_pace(
            learners, where, [c["id"] for c in concepts if c["id"] in cur.assessable]
        ),
        "stuck": stuck(people, attempts, now, prompts=prompts, finished=finished),
        "most_missed": most_missed(attempts, prompts),
        "misconceptions": misconceptions(attempts, prompts),
        "pace": spread,
        "concepts": concepts,
        "units": units,
        "threshold": cur.threshold,
        "assessable": total,
    }
