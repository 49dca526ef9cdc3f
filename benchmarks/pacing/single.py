"""One seed: every policy's figures for all learners, each learner family and each level of
prior knowledge; where the exercises before "everything known" go; the JSON line."""

from __future__ import annotations

import time

import click
import numpy as np

from teachback.benchmarks.pacing.cohort import simulate, summarise
from teachback.benchmarks.pacing.run import BUDGET_PER_CONCEPT
from teachback.benchmarks.report import emit, machine

BREAKDOWN_POLICIES = ("linear, BKT>=0.95", "ours (adaptive)")


def single(learners, seed, families, params, start, *, difficulty_aware: bool) -> None:
    results = simulate(learners, seed, families, params=params, difficulty_aware=difficulty_aware)
    click.echo(
        f"{learners} simulated learners (families: {', '.join(families)}; every third on the "
        f"intro-python course, others on random DAGs of 15-40 concepts), seed {seed}, "
        f"budget {BUDGET_PER_CONCEPT} exercises per concept"
    )
    summary = _tables(results, families)
    _breakdown(results, families)
    ours = summary["ours (adaptive)"]
    base = summary["linear, BKT>=0.95"]
    reduction = 1.0 - ours["until_known"] / base["until_known"]
    seconds = time.perf_counter() - start
    click.echo(
        f"\nours vs linear+BKT: {reduction:.1%} fewer exercises until every concept is known; "
        f"{ours['false_mastery']:.2f} concepts falsely mastered per learner ({seconds:.0f}s)"
    )
    emit(
        {
            "reduction_vs_linear_bkt": round(reduction, 4),
            "false_mastery": round(ours["false_mastery"], 4),
            "reached": round(ours["reached"], 4),
            "until_known": round(ours["until_known"], 2),
            "wasted": round(ours["wasted"], 2),
            "baselines": {
                k: {kk: round(vv, 3) for kk, vv in v.items()}
                for k, v in summary.items()
                if k != "ours (adaptive)"
            },
            "learners": learners,
            "seed": seed,
            "bkt_params": params.as_dict(),
            "difficulty_evidence": difficulty_aware,
            "seconds": round(seconds, 1),
            "machine": machine(),
        }
    )


def _tables(results: dict[str, list[dict]], families) -> dict[str, dict]:
    """One table per group of learners; returns every policy's summary over all learners."""
    header = (
        f"{'policy':<26} {'ex. until all known':>19} {'reached':>8} {'ex. total':>9} "
        f"{'on known':>9} {'false mastery':>13}"
    )
    groups = (
        [("all learners", lambda r: True)]
        + [(f"family {f}", lambda r, f=f: r["family"] == f) for f in families]
        + [
            (
                f"knowing {lo:.0%}-{hi:.0%} of the course beforehand",
                lambda r, lo=lo, hi=hi: lo <= r["prior_share"] < hi,
            )
            for lo, hi in ((0.0, 0.15), (0.15, 0.4), (0.4, 1.01))
        ]
    )
    summary = {}
    for title, keep in groups:
        n_runs = sum(1 for r in next(iter(results.values())) if keep(r))
        if not n_runs:
            continue
        click.echo(f"\n{title} ({n_runs} learners)")
        click.echo(header)
        click.echo("-" * len(header))
        for name, runs in results.items():
            s = summarise([r for r in runs if keep(r)])
            if title == "all learners":
                summary[name] = s
            click.echo(
                f"{name:<26} {s['until_known']:>19.1f} {s['reached']:>8.0%} "
                f"{s['exercises']:>9.1f} {s['wasted']:>9.1f} {s['false_mastery']:>13.2f}"
            )
    return summary


def _breakdown(results: dict[str, list[dict]], families) -> None:
    """Where the exercises before "everything known" go, per learner, by step and truth."""
    for f in families:
        click.echo(f"\nexercises before everything is known, per learner (family {f})")
        names = [n for n in BREAKDOWN_POLICIES if n in results]
        runs = {n: [r for r in results[n] if r["family"] == f] for n in names}
        keys = sorted({k for n in names for r in runs[n] for k in r["spent"]})
        header = f"{'step: truth':<46}" + "".join(f" {n:>18}" for n in names)
        click.echo(header)
        click.echo("-" * len(header))
        for k in keys:
            vals = [np.mean([r["spent"].get(k, 0) for r in runs[n]]) for n in names]
            click.echo(f"{k:<46}" + "".join(f" {v:>18.1f}" for v in vals))
