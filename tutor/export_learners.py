"""Learners' per-concept mastery, as CSV and as xAPI statements (JSON).

Mastery comes from ``concept_mastery`` — the one place to change when the learner model
changes: it asks the tutor's learner model (``teachback.tutor.learner_model.mastery``, BKT
replayed over the attempt log).

xAPI: one statement per learner and concept that has attempts: verb ``mastered`` when P(known)
reaches the curriculum's threshold, else ``progressed``; ``result.score.scaled`` is P(known);
the statement id is a UUID derived from learner, concept and last attempt, so re-exporting the
same history gives the same ids (an LRS then ignores the duplicates).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path

from teachback.curricula import attempt_log, ownership
from teachback.curricula import repository as repo
from teachback.curricula.db import Database
from teachback.neutralise import spreadsheet_cell
from teachback.tutor import learner_model, published

HOMEPAGE = "urn:teachback"
VERBS = {
    "mastered": "http://adlnet.gov/expapi/verbs/mastered",
    "progressed": "http://adlnet.gov/expapi/verbs/progressed",
}
_NS = uuid.UUID("6f1c1f7e-2c1e-4a8f-9d4e-7e2b0a6c9b11")
CSV_COLUMNS = [
    "learner_id",
    "learner_name",
    "concept_id",
    "concept",
    "attempts",
    "correct",
    "mastery",
    "mastered",
    "last_attempt",
]


def concept_mastery(db: Database, learner: str, curriculum: str) -> tuple[dict[str, float], float]:
    """P(known) per concept id for ``learner`` and the mastery threshold."""
    cur = published.load_curriculum(db, curriculum)
    return learner_model.mastery(db, learner, cur), cur.threshold


def mastery_rows(db: Database, curriculum: str, *, who: str | None = None) -> list[dict]:
    """One row per learner and concept with attempts (columns: ``CSV_COLUMNS``), by learner
    then teaching order. ``who``: the instructor asking (the web UI; ``NotOwner`` unless the
    curriculum is theirs or shared with them); None is the store's operator (the CLI)."""
    repo.get_curriculum(db, curriculum)  # NotFound for an unknown curriculum
    if who is not None:
        with db.conn:
            ownership.require(db, curriculum, who, "learners")
    concepts = repo.get_concepts(db, curriculum)  # in teaching order
    names = {c["id"]: c["name"] for c in concepts}
    order = {c["id"]: i for i, c in enumerate(concepts)}
    cache: dict[str, tuple[dict[str, float], float]] = {}
    rows = []
    for t in attempt_log.tallies(db, curriculum):  # answers only: lesson reads are apart
        learner, lname, concept = t["learner_id"], t["name"], t["concept_id"]
        n, correct, last = t["answers"], t["correct"], t["last_at"]
        if concept not in names:
            continue  # a concept deleted since: its attempts stay in the log
        if learner not in cache:
            cache[learner] = concept_mastery(db, learner, curriculum)
        p_known, threshold = cache[learner]
        p = float(p_known.get(concept, 0.0))
        rows.append(
            {
                "learner_id": learner,
                "learner_name": lname or learner,
                "concept_id": concept,
                "concept": names[concept],
                "attempts": n,
                "correct": int(correct or 0),
                "mastery": round(p, 4),
                "mastered": p >= threshold,
                "last_attempt": last,
            }
        )
    rows.sort(key=lambda r: (r["learner_id"], order[r["concept_id"]]))
    return rows


def mastery_csv(db: Database, curriculum: str, *, who: str | None = None) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in mastery_rows(db, curriculum, who=who):
        writer.writerow({k: spreadsheet_cell(v) for k, v in row.items()})
    return buf.getvalue()


def xapi_statements(db: Database, curriculum: str, *, who: str | None = None) -> list[dict]:
    out = []
    for r in mastery_rows(db, curriculum, who=who):
        verb = "mastered" if r["mastered"] else "progressed"
        out.append(
            {
                "id": str(
                    uuid.uuid5(_NS, f"{r['learner_id']}|{r['concept_id']}|{r['last_attempt']}")
                ),
                "actor": {
                    "objectType": "Agent",
                    "name": r["learner_name"],
                    "account": {"homePage": HOMEPAGE, "name": r["learner_id"]},
                },
                "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
                "object": {
                    "objectType": "Activity",
                    "id": f"{HOMEPAGE}:concept:{r['concept_id']}",
                    "definition": {
                        "name": {"en-US": r["concept"]},
                        "type": "http://adlnet.gov/expapi/activities/objective",
                    },
                },
                "result": {
                    "score": {
                        "scaled": r["mastery"],
                        "raw": r["correct"],
                        "min": 0,
                        "max": r["attempts"],
                    },
                    "success": r["mastered"],
                    "completion": r["mastered"],
                },
                "context": {
                    "contextActivities": {
                        "grouping": [
                            {"objectType": "Activity", "id": f"{HOMEPAGE}:curriculum:{curriculum}"}
                        ]
                    }
                },
                "timestamp": r["last_attempt"],
                "version": "1.0.3",
            }
        )
    return out


def export_learners(
    db: Database, curriculum: str, path: str | Path, fmt: str = "csv", *, who: str | None = None
) -> Path:
    """Write mastery as ``csv`` or ``xapi`` (JSON list of statements) to ``path``."""
    if fmt == "csv":
        text = mastery_csv(db, curriculum, who=who)
    elif fmt == "xapi":
        statements = xapi_statements(db, curriculum, who=who)
        text = json.dumps(statements, ensure_ascii=False, indent=2) + "\n"
    else:
        raise ValueError(f"unknown learner export format {fmt!r} (csv or xapi)")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
