"""``teachback bench grading``: agreement of the free-text grader with human graders, and speed.

Reads JSONL rows with ``qid``, ``question``, ``reference``, ``student_answer`` and
``score_avg_0_5`` (the mean of two human grades on 0-5). Cross-validates BY QUESTION (GroupKFold
on ``qid``): the model scoring a question's answers never saw that question, which is the
honest estimate for new questions. Prints per-fold and pooled Pearson r of the shipped 0-1 score
(all rules applied), the raw model's r and RMSE on the 0-5 scale, simple baselines, and the
latency of one ``grade()`` call (p50/p95 with the exercise prepared, and with nothing cached).

Adversarial answers are built from every question (``tutor/grading/adversarial.py``): the
reference itself, its content words shuffled (keyword salad), all its words shuffled, the
reference negated, two of its terms swapped (reversed relation) and the question copied back;
plus the human paraphrases (answers both graders gave 5/5 that share little wording with the
reference). Each is graded by the model of the fold that held its question out, and the share
the learner would be told "correct" is reported per kind, with how often learners the humans
rated >= 4.5 are told "incorrect"/"partly" and those rated <= 2.5 are told "correct".

``--refit`` then fits on ALL rows and writes the shipped weights
(``tutor/grading/free_text_model.json``); the cross-validated figures describe that procedure,
the shipped model itself has seen every dev question.

Example:
    teachback bench grading --jsonl ../shared/data/grading/short_answers_dev.jsonl --folds 5
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import click
import numpy as np

from teachback.benchmarks.report import emit, machine
from teachback.config import PACKAGE_DIR

DEFAULT_JSONL = PACKAGE_DIR.parent / "shared" / "data" / "grading" / "short_answers_dev.jsonl"
ANCHORS = {"Mohler et al. 2011": 0.518, "Sultan et al. 2016": 0.592, "human vs human": 0.60}
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


def _pearson(a, b) -> float:
    from scipy.stats import pearsonr

    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(pearsonr(a, b)[0])


PARAPHRASE_MAX_OVERLAP = 0.4  # content-word F1 with the reference below which a 5/5 answer is
# counted as a paraphrase (it says the reference in other words)


def adversarial_cases(rows: list[dict]) -> list[dict]:
    """One row per (question, gaming kind) that can be built, with the question's ``qid``."""
    from teachback.tutor.grading.adversarial import build

    out, seen = [], set()
    for r in rows:
        if r["qid"] in seen:
            continue
        seen.add(r["qid"])
        for kind, answer in build(r["question"], r["reference"]).items():
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


class _Features:
    """Feature dicts by (question, reference, answer), computed once per benchmark run."""

    def __init__(self):
        self.memo: dict[tuple, dict] = {}

    def __call__(self, rows: list[dict], on_progress=None) -> list[dict]:
        from teachback.tutor.grading.features import extract

        out = []
        for r in rows:
            key = (r["question"], r["reference"], r["student_answer"])
            if key not in self.memo:
                self.memo[key] = extract(*key)
            out.append(self.memo[key])
            if on_progress:
                on_progress()
        return out


def cross_validate(rows: list[dict], folds: int, on_fold=None) -> dict:
    """Fit on the other folds' questions, score this fold's answers through the full grader."""
    from sklearn.model_selection import GroupKFold
    from tqdm import tqdm

    from teachback.tutor.grading import model as model_mod
    from teachback.tutor.grading.features import FEATURES, vector
    from teachback.tutor.grading.freetext import score_free_text

    groups = np.array([r["qid"] for r in rows])
    folds = max(2, min(folds, len(set(groups))))
    y = np.array([float(r["score_avg_0_5"]) for r in rows])
    features = _Features()
    bar = tqdm(total=len(rows), desc="features", unit="answer", leave=False, disable=None)
    x = np.array([vector(f) for f in features(rows, on_progress=lambda: bar.update(1))])
    bar.close()
    cases = adversarial_cases(rows)
    case_qids = np.array([c["qid"] for c in cases])
    score, raw = np.zeros(len(rows)), np.zeros(len(rows))
    case_score = np.zeros(len(cases))
    per_fold = []
    for k, (train, test) in enumerate(GroupKFold(n_splits=folds).split(x, y, groups)):
        train_rows = model_mod.training_rows([rows[i] for i in train])
        fitted = model_mod.FreeTextModel(model_mod.fit_rows(train_rows, features(train_rows)))
        for i in test:
            r = rows[i]
            res = score_free_text(r["question"], r["reference"], r["student_answer"], None, fitted)
            score[i], raw[i] = res.score, res.raw
        held_out = set(groups[test])
        for j in np.flatnonzero(np.isin(case_qids, list(held_out))):
            c = cases[j]
            res = score_free_text(c["question"], c["reference"], c["student_answer"], None, fitted)
            case_score[j] = res.score
        fold = {
            "fold": k + 1,
            "questions": len(held_out),
            "answers": len(test),
            "pearson_r": _pearson(score[test], y[test]),
            "pearson_r_raw": _pearson(raw[test], y[test]),
        }
        per_fold.append(fold)
        if on_fold:
            on_fold(fold)
    col = {name: x[:, i] for i, name in enumerate(FEATURES)}
    return {
        "verdicts": verdict_agreement(score, y),
        "adversarial": adversarial_acceptance(cases, case_score, score[paraphrase_mask(rows)]),
        "score": score,
        "raw": raw,
        "folds": per_fold,
        "pearson_r": _pearson(score, y),
        "pearson_r_raw": _pearson(raw, y),
        "rmse": float(np.sqrt(np.mean((raw - y) ** 2))),
        "rmse_score_x5": float(np.sqrt(np.mean((score * 5 - y) ** 2))),
        "baseline_overlap_f1_r": _pearson(col["overlap_f1"], y),
        "baseline_cosine_r": _pearson(col["cos_ref"], y),
        "features": features,
        "x": x,
        "y": y,
    }


def adversarial_acceptance(cases: list[dict], scores: np.ndarray, paraphrases: np.ndarray) -> dict:
    """Per kind: how many were built, the share told "correct" (accepted), "partly", mean score."""
    from teachback.engine.protocol import verdict_for
    from teachback.tutor.grading.adversarial import KINDS

    by_kind: dict[str, list[float]] = {k: [] for k in (*KINDS, "paraphrase")}
    for c, s in zip(cases, scores, strict=True):
        by_kind[c["case"]].append(float(s))
    by_kind["paraphrase"] = [float(s) for s in paraphrases]
    out = {}
    for kind, values in by_kind.items():
        verdicts = [verdict_for(v) for v in values]
        n = len(values)
        out[kind] = {
            "n": n,
            "accepted": verdicts.count("correct") / n if n else 0.0,
            "partly": verdicts.count("partly") / n if n else 0.0,
            "mean_score": float(np.mean(values)) if n else 0.0,
        }
    return out


def human_verdict(mean_0_5: float) -> str:
    """The human mean as a verdict: >= 4 correct, >= 2.5 partly, else incorrect."""
    return "correct" if mean_0_5 >= 4.0 else "partly" if mean_0_5 >= 2.5 else "incorrect"


def verdict_agreement(score: np.ndarray, human: np.ndarray) -> dict:
    """3-way agreement of our verdicts with the human mean in fixed bands (``human_verdict``)."""
    from teachback.engine.protocol import verdict_for

    ours = [verdict_for(float(v)) for v in score]
    theirs = [human_verdict(float(h)) for h in human]
    labels = ["correct", "partly", "incorrect"]
    table = {a: {b: 0 for b in labels} for a in labels}
    for a, b in zip(theirs, ours, strict=True):
        table[a][b] += 1
    majority = max(labels, key=theirs.count)
    high = [o for o, h in zip(ours, human, strict=True) if h >= 4.5]
    low = [o for o, h in zip(ours, human, strict=True) if h <= 2.5]
    return {
        "high_n": len(high),
        "high_told_incorrect": high.count("incorrect") / len(high) if high else 0.0,
        "high_told_partly": high.count("partly") / len(high) if high else 0.0,
        "low_n": len(low),
        "low_told_correct": low.count("correct") / len(low) if low else 0.0,
        "accuracy": float(np.mean([a == b for a, b in zip(ours, theirs, strict=True)])),
        "majority_baseline": theirs.count(majority) / len(theirs),
        "table": table,  # human verdict -> our verdict -> count
    }


def latency(rows: list[dict], n: int = 200) -> dict:
    """Milliseconds per ``grade()`` call over ``n`` answers spread over the file.

    warm: the exercise's question, reference and key points were encoded when it was shown
    (``prepare``), the answer is new -- the tutor's case, and a batch's after a question's first
    answer. cold: nothing cached at all (a fresh process grading its first answer to a question).
    """
    from teachback.engine.protocol import GradeRequest
    from teachback.tutor.grading import embed, grade, prepare

    embed.warm_up()
    step = max(1, len(rows) // n)
    sample = rows[::step][:n]
    warm, cold, cpu = [], [], []
    embed.encode.cache_clear()
    for r in sample:
        req = GradeRequest(
            question=r["question"], reference=r["reference"], answer=r["student_answer"]
        )
        prepare(req.question, req.reference)
        t, c = time.perf_counter(), time.thread_time()
        grade(req)
        warm.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
    for r in sample[: max(20, n // 4)]:
        embed.encode.cache_clear()
        req = GradeRequest(
            question=r["question"], reference=r["reference"], answer=r["student_answer"]
        )
        t = time.perf_counter()
        grade(req)
        cold.append((time.perf_counter() - t) * 1000)
    return {
        "p50_ms": float(np.percentile(warm, 50)),
        "p95_ms": float(np.percentile(warm, 95)),
        "p50_ms_cold": float(np.percentile(cold, 50)),
        "p95_ms_cold": float(np.percentile(cold, 95)),
        # CPU time of the grading thread (onnxruntime runs in it: one intra-op thread): what one
        # grade costs on an idle core, whatever else the machine is doing.
        "p50_ms_cpu": float(np.percentile(cpu, 50)),
        "p95_ms_cpu": float(np.percentile(cpu, 95)),
        "timed": len(warm),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


@click.command()
@click.option(
    "--jsonl",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_JSONL if DEFAULT_JSONL.exists() else None,
    required=not DEFAULT_JSONL.exists(),
    help="Human-graded answers (default: ../shared/data/grading/short_answers_dev.jsonl).",
)
@click.option("--folds", default=5, show_default=True, help="Folds, split by question (qid).")
@click.option(
    "--refit", is_flag=True, help="Also fit on all rows and write the shipped model weights."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With --refit: where to write the weights (default: the packaged file).",
)
@click.option("--latency-n", default=200, show_default=True, help="Answers timed for latency.")
def command(path: Path, folds: int, refit: bool, out: Path | None, latency_n: int):
    """Pearson r with human grades (cross-validated by question), RMSE, baselines, latency.

    \b
    Example:
        teachback bench grading --folds 5
        teachback bench grading --refit      # then commit tutor/grading/free_text_model.json
    """
    from teachback.tutor.grading import model as model_mod

    rows = load_rows(path)
    if len(rows) < 10 or len({r["qid"] for r in rows}) < 2:
        raise click.ClickException(f"{path}: need at least 10 graded answers over 2+ questions")
    click.echo(
        f"Grading agreement on {path.name}: {len(rows)} answers, "
        f"{len({r['qid'] for r in rows})} questions, {folds}-fold CV by question"
    )
    result = cross_validate(
        rows,
        folds,
        on_fold=lambda f: click.echo(
            f"  fold {f['fold']}: {f['questions']:>2} questions {f['answers']:>4} answers  "
            f"r={f['pearson_r']:.3f} (raw model r={f['pearson_r_raw']:.3f})"
        ),
    )
    click.echo(
        f"Pooled Pearson r, shipped 0-1 score (held-out questions): {result['pearson_r']:.3f}"
    )
    click.echo(
        f"Pooled Pearson r, raw model 0-5 prediction:               {result['pearson_r_raw']:.3f}"
    )
    click.echo(f"RMSE of the raw prediction on the 0-5 scale:              {result['rmse']:.3f}")
    v = result["verdicts"]
    click.echo(
        f"Verdict agreement (3-way; human mean >= 4 correct, >= 2.5 partly): {v['accuracy']:.3f} "
        f"(always the majority verdict: {v['majority_baseline']:.3f})"
    )
    click.echo("  human \\ ours    correct  partly  incorrect")
    for label, row in v["table"].items():
        click.echo(f"  {label:<14}{row['correct']:>8}{row['partly']:>8}{row['incorrect']:>11}")
    click.echo(
        f"Learners the humans rated >= 4.5 ({v['high_n']}): told incorrect "
        f"{v['high_told_incorrect']:.1%}, partly {v['high_told_partly']:.1%}; rated <= 2.5 "
        f"({v['low_n']}): told correct {v['low_told_correct']:.1%}"
    )
    click.echo("Gaming answers built from each held-out question (accepted = told correct):")
    click.echo("  case                  n  accepted  partly  mean score")
    for kind, a in result["adversarial"].items():
        click.echo(
            f"  {kind:<18}{a['n']:>5}{a['accepted']:>9.1%}{a['partly']:>8.1%}"
            f"{a['mean_score']:>12.2f}"
        )
    click.echo("Baselines (one feature as the score):")
    click.echo(
        f"  token-overlap F1 (stemmed content words): r={result['baseline_overlap_f1_r']:.3f}"
    )
    click.echo(f"  MiniLM sentence cosine:                   r={result['baseline_cosine_r']:.3f}")
    for name, r in ANCHORS.items():
        click.echo(f"  anchor {name}: r={r:.3f}")
    written = None
    if refit:
        # Before the latency run: that grades with the shipped weights, which must match the
        # features of this code.
        train_rows = model_mod.training_rows(rows)
        weights = model_mod.fit_rows(
            train_rows, result["features"](train_rows), source=f"{path.name} ({len(rows)} rows)"
        )
        written = model_mod.save(weights, out)
    lat = latency(rows, latency_n)
    click.echo(
        f"Latency of one grade() call, exercise prepared ({lat['timed']} answers): "
        f"p50 {lat['p50_ms']:.1f} ms, p95 {lat['p95_ms']:.1f} ms"
    )
    click.echo(
        f"Latency with nothing cached (question and reference encoded too): "
        f"p50 {lat['p50_ms_cold']:.1f} ms, p95 {lat['p95_ms_cold']:.1f} ms"
    )
    click.echo(
        f"CPU time of the grading thread, exercise prepared: p50 {lat['p50_ms_cpu']:.1f} ms, "
        f"p95 {lat['p95_ms_cpu']:.1f} ms"
    )
    click.echo(f"(machine load average over the last minute: {lat['load_avg_1m']})")
    figures = {
        "pearson_r": round(result["pearson_r"], 4),
        "pearson_r_raw": round(result["pearson_r_raw"], 4),
        "rmse": round(result["rmse"], 4),
        "rmse_score_x5": round(result["rmse_score_x5"], 4),
        "fold_r": [round(f["pearson_r"], 4) for f in result["folds"]],
        "verdict_accuracy": round(v["accuracy"], 4),
        "verdict_majority_baseline": round(v["majority_baseline"], 4),
        "human_high_told_incorrect": round(v["high_told_incorrect"], 4),
        "human_high_told_partly": round(v["high_told_partly"], 4),
        "human_low_told_correct": round(v["low_told_correct"], 4),
        "accepted": {k: round(a["accepted"], 4) for k, a in result["adversarial"].items()},
        "cases": {k: a["n"] for k, a in result["adversarial"].items()},
        "baseline_overlap_f1_r": round(result["baseline_overlap_f1_r"], 4),
        "baseline_cosine_r": round(result["baseline_cosine_r"], 4),
        **{k: round(v, 2) for k, v in lat.items() if k.endswith("_ms") or "_ms_" in k},
        "load_avg_1m": lat["load_avg_1m"],
        "answers": len(rows),
        "questions": len({r["qid"] for r in rows}),
        "folds": len(result["folds"]),
        "cv": "GroupKFold by qid",
        "machine": machine(),
    }
    if written:
        click.echo(f"Refitted on all {len(rows)} answers; weights written to {written}")
        figures["refit"] = str(written)
    emit(figures)
