"""``--seeds``: the baseline and ours over several seeds, one line per seed, then the spread."""

from __future__ import annotations

import time

import click
import numpy as np

from teachback.benchmarks.pacing.cohort import simulate, summarise
from teachback.benchmarks.report import emit, machine

SPREAD_POLICIES = ("linear, BKT>=0.95", "ours (adaptive)", "ours without placement")


def seed_list(text: str) -> list[int]:
    """``"1-6,10"`` -> ``[1, 2, 3, 4, 5, 6, 10]``."""
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        try:
            out.extend(range(int(lo), int(hi) + 1) if hi else [int(lo)])
        except ValueError:
            raise click.BadParameter(f"not a seed list: {text!r} (use e.g. 1-6,10)") from None
    if not out:
        raise click.BadParameter(f"no seeds in {text!r}")
    return out


def spread(learners, seeds, families, params, start, *, difficulty_aware: bool = True):
    """Several seeds, the baseline and ours only: one line per seed, then mean, min and max."""
    click.echo(
        f"{learners} simulated learners per seed, seeds {seeds}; reduction = fewer exercises "
        "until every concept is known than linear + BKT >= 0.95"
    )
    header = (
        f"{'seed':>5} {'linear+BKT':>10} {'ours':>7} {'reduction':>9} {'false m.':>8} "
        f"{'w/o placement: red.':>19} {'false m.':>8}"
        + "".join(f" {f + ': red.':>15} {'false m.':>8}" for f in families)
    )
    click.echo(header)
    click.echo("-" * len(header))
    rows = [
        _seed_row(learners, seed, families, params, difficulty_aware=difficulty_aware)
        for seed in seeds
    ]
    figures = _spread_figures(rows, families)
    seconds = time.perf_counter() - start
    emit(
        {
            "reduction_vs_linear_bkt": round(figures["reduction"][0], 4),
            "false_mastery": round(figures["false_mastery"][0], 4),
            "reduction_min": figures["reduction"][1],
            "reduction_max": figures["reduction"][2],
            "false_mastery_max": figures["false_mastery"][2],
            "per_family": {
                f: {
                    "reduction": round(figures[f"{f}_reduction"][0], 4),
                    "reduction_min": figures[f"{f}_reduction"][1],
                    "reduction_max": figures[f"{f}_reduction"][2],
                    "false_mastery": round(figures[f"{f}_false_mastery"][0], 4),
                    "false_mastery_max": figures[f"{f}_false_mastery"][2],
                }
                for f in families
            },
            "per_seed": rows,
            "learners": learners,
            "seeds": seeds,
            "bkt_params": params.as_dict(),
            "seconds": round(seconds, 1),
            "machine": machine(),
        }
    )


def _seed_row(learners, seed, families, params, *, difficulty_aware: bool) -> dict:
    """One seed's figures, printed as one line of the table."""
    res = simulate(
        learners,
        seed,
        families,
        params=params,
        only=SPREAD_POLICIES,
        difficulty_aware=difficulty_aware,
    )
    s = {k: summarise(v) for k, v in res.items()}
    base = s["linear, BKT>=0.95"]["until_known"]
    ours, nop = s["ours (adaptive)"], s["ours without placement"]
    row = {
        "seed": seed,
        "linear_bkt": round(base, 2),
        "ours": round(ours["until_known"], 2),
        "reduction": round(1 - ours["until_known"] / base, 4),
        "false_mastery": round(ours["false_mastery"], 4),
        "reduction_no_placement": round(1 - nop["until_known"] / base, 4),
        "false_mastery_no_placement": round(nop["false_mastery"], 4),
        "exercises_total": round(ours["exercises"], 2),
        "linear_bkt_total": round(s["linear, BKT>=0.95"]["exercises"], 2),
    }
    for f in families:  # each learner family on its own (same seed, half the learners)
        if not any(r["family"] == f for r in res["ours (adaptive)"]):
            row[f"{f}_reduction"] = row[f"{f}_false_mastery"] = float("nan")
            continue
        fs = {k: summarise([r for r in v if r["family"] == f]) for k, v in res.items()}
        f_base = fs["linear, BKT>=0.95"]["until_known"]
        row[f"{f}_reduction"] = round(1 - fs["ours (adaptive)"]["until_known"] / f_base, 4)
        row[f"{f}_false_mastery"] = round(fs["ours (adaptive)"]["false_mastery"], 4)
    click.echo(
        f"{seed:>5} {base:>10.1f} {ours['until_known']:>7.1f} {row['reduction']:>9.1%} "
        f"{row['false_mastery']:>8.2f} {row['reduction_no_placement']:>19.1%} "
        f"{row['false_mastery_no_placement']:>8.2f}"
        + "".join(
            f" {row[f + '_reduction']:>15.1%} {row[f + '_false_mastery']:>8.2f}" for f in families
        )
    )
    return row


def _spread_figures(rows: list[dict], families) -> dict[str, tuple[float, float, float]]:
    """Mean, min and max of each figure over the seeds, printed one per line."""
    figures = {}
    for key in (
        "reduction",
        "false_mastery",
        "reduction_no_placement",
        "false_mastery_no_placement",
        *(f"{f}_{k}" for f in families for k in ("reduction", "false_mastery")),
    ):
        vals = [r[key] for r in rows]
        figures[key] = (float(np.mean(vals)), min(vals), max(vals))
        click.echo(
            f"{key:<27} mean {figures[key][0]:.3f}  min {min(vals):.3f}  max {max(vals):.3f}"
        )
    return figures
