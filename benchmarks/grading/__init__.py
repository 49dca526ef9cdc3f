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

The files: ``data`` (the rows, the gaming answers, the paraphrases), ``crossval`` (the folds by
question), ``verdicts`` (verdict agreement and gaming answers accepted), ``latency``; this module
is the command and its report.
"""

from __future__ import annotations

from pathlib import Path

import click

from teachback.benchmarks.grading.crossval import cross_validate
from teachback.benchmarks.grading.data import DEFAULT_JSONL, load_rows
from teachback.benchmarks.grading.latency import latency
from teachback.benchmarks.report import emit, machine

ANCHORS = {"Mohler et al. 2011": 0.518, "Sultan et al. 2016": 0.592, "human vs human": 0.60}


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
    _report_agreement(result)
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
    _report_latency(lat)
    figures = _figures(rows, result, lat)
    if written:
        click.echo(f"Refitted on all {len(rows)} answers; weights written to {written}")
        figures["refit"] = str(written)
    emit(figures)


def _figures(rows: list[dict], result: dict, lat: dict) -> dict:
    """The JSON line's figures: agreement, verdicts, gaming answers, baselines, latency."""
    v = result["verdicts"]
    return {
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


def _report_agreement(result: dict) -> None:
    """Pearson r, RMSE, verdict agreement, gaming answers accepted, baselines and anchors."""
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


def _report_latency(lat: dict) -> None:
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
