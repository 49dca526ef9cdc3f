"""The benchmark's answers: the human-graded rows read from JSONL, the gaming answers built from
each question, and the human paraphrases among the rows."""

from __future__ import annotations

import json
from pathlib import Path

import click
import numpy as np

from teachback.config import PACKAGE_DIR

DEFAULT_JSONL = PACKAGE_DIR.parent / "shared" / "data" / "grading" / "short_answers_dev.jsonl"
REQUIRED = ("qid", "question", "reference", "student_answer", "score_avg_0_5")


def load_rows(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as err:
                click.echo(f"{path}:{n}: not JSON ({err.msg}); skipped", err=True)
                continue
            lacking = [k for k in REQUIRED if k not in row]
            if lacking:
                click.echo(f"{path}:{n}: missing {', '.join(lacking)}; skipped", err=True)
                continue
            rows.append(row)
    return rows


PARAPHRASE_MAX_OVERLAP = 0.4  # content-word F1 with the reference below which a 5/5 answer is
# counted as a paraphrase (it says the reference in other words)


def adversarial_cases(rows: list[dict]) -> list[dict]:
    """One row per (question, gaming kind) that can be built, with the question's ``qid``."""
    from teachback.tutor.grading.adversarial import build, nouns_of

    out, seen = [], set()
    references = sorted({r["reference"] for r in rows})
    for r in rows:
        if r["qid"] in seen:
            continue
        seen.add(r["qid"])
        pool = nouns_of([t for t in references if t != r["reference"]])
        for kind, answer in build(r["question"], r["reference"], pool).items():
            out.append(
                {
                    "qid": r["qid"],
                    "question": r["question"],
                    "reference": r["reference"],
                    "student_answer": answer,
                    "case": kind,
                }
            )
    return out


def paraphrase_mask(rows: list[dict]) -> np.ndarray:
    """Human answers graded 5/5 by both graders that share little wording with the reference."""
    from teachback.tutor.grading.features import _prf
    from teachback.tutor.grading.text import content_stems

    out = []
    for r in rows:
        f1 = _prf(set(content_stems(r["student_answer"])), set(content_stems(r["reference"])))[2]
        out.append(float(r["score_avg_0_5"]) >= 5.0 and f1 < PARAPHRASE_MAX_OVERLAP)
    return np.array(out, dtype=bool)
