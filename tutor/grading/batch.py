"""Batch grading of JSONL lines (``teachback grade --jsonl``), one line at a time.

Each input line is a JSON object with ``question``, ``reference`` and ``student_answer``
(optional: ``kind``, ``rubric`` as a list of key points). Every other field passes through
unchanged. Output: the same object plus ``score`` (0..1), ``verdict`` and ``feedback``.

A bad line (not JSON, not an object, a required field missing or not text) is not graded: it is
written back with an ``error`` field (a line that is not JSON becomes
``{"line": N, "error": ..., "raw": "<the text>"}``), so output lines stay one-to-one with input
lines.

>>> line = '{"qid": "1", "question": "Q?", "reference": "R", "student_answer": ""}'
>>> out, err = grade_line(line, 1)
>>> (out["qid"], out["score"], out["verdict"], err)
('1', 0.0, 'incorrect', None)
"""

from __future__ import annotations

import json

from teachback.engine.protocol import GradeRequest
from teachback.tutor.grading import grade

REQUIRED = ("question", "reference", "student_answer")


def grade_row(row: dict) -> dict:
    rubric = row.get("rubric") if isinstance(row.get("rubric"), list) else []
    g = grade(
        GradeRequest(
            question=row["question"],
            reference=row["reference"],
            answer=row["student_answer"],
            kind=str(row.get("kind") or "short_answer"),
            rubric=[str(p) for p in rubric],
        )
    )
    return {**row, "score": round(g.score, 4), "verdict": g.verdict, "feedback": g.feedback}


def grade_line(line: str, number: int) -> tuple[dict, str | None]:
    """Grade one JSONL line: (output object, None) or (object with ``error``, the problem)."""
    try:
        row = json.loads(line)
    except ValueError as err:
        problem = f"not JSON ({err.msg} at column {err.colno})"
        return {"line": number, "error": problem, "raw": line.rstrip("\n")}, problem
    if not isinstance(row, dict):
        problem = f"expected a JSON object, got {type(row).__name__}"
        return {"line": number, "error": problem, "raw": line.rstrip("\n")}, problem
    lacking = [k for k in REQUIRED if k not in row]
    if lacking:
        problem = "missing " + ", ".join(f"`{k}`" for k in lacking)
        return {**row, "error": problem}, problem
    not_text = [k for k in REQUIRED if not isinstance(row[k], str)]
    if not_text:
        problem = ", ".join(f"`{k}`" for k in not_text) + " must be text"
        return {**row, "error": problem}, problem
    return grade_row(row), None
