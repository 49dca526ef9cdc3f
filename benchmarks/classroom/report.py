"""The readable report of a class run, then the JSON line."""

from __future__ import annotations

import os
import statistics

import click

from teachback.benchmarks.report import emit, machine


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def print_report(run: dict, *, learners, steps, think, arrive, servers, seed) -> None:
    """The readable report, then the JSON line."""
    stats, dash_times, wall = run["stats"], run["dash_times"], run["wall"]
    load_before, load_after = run["load_before"], run["load_after"]
    stored, same_event = run["stored"], run["same_event"]
    step_ms = [x for s in stats for x in s["steps"]]
    start_ms = [x for s in stats for x in s["starts"]]
    server_ms = [x for s in stats for x in s["server"]]
    errors = sum(s["errors"] for s in stats) + (learners - len(stats))
    ids = [s["learner"] for s in stats if s["learner"]]
    acked = {s["learner"]: s["acked"] for s in stats if s["learner"]}
    lost = sum(max(0, acked[lid] - stored.get(lid, 0)) for lid in ids)
    duplicated = sum(max(0, stored.get(lid, 0) - acked[lid]) for lid in ids)
    retries = sum(s["retries"] for s in stats)
    first_errors = [s["error"] for s in stats if s.get("error")][:3]

    click.echo("")
    click.echo(f"learners joined: {len(ids)}/{learners}   steps timed: {len(step_ms)}   "
               f"wall {wall:.1f}s   throughput {len(step_ms) / wall:.1f} steps/s")  # fmt: skip
    click.echo(f"step latency (answer -> next question, HTTP included): p50 "
               f"{_percentile(step_ms, 0.5):.1f} ms   p95 {_percentile(step_ms, 0.95):.1f} ms   "
               f"max {max(step_ms, default=0):.1f} ms")  # fmt: skip
    click.echo(f"  of which in the tutor (server side, once its turn came): p50 "
               f"{_percentile(server_ms, 0.5):.1f} ms   p95 "
               f"{_percentile(server_ms, 0.95):.1f} ms")  # fmt: skip
    click.echo(f"join + first question: p50 {_percentile(start_ms, 0.5):.1f} ms   p95 "
               f"{_percentile(start_ms, 0.95):.1f} ms")  # fmt: skip
    if dash_times:
        med, top = statistics.median(dash_times), max(dash_times)
        click.echo(f"instructor dashboard refresh ({len(dash_times)} polls): p50 {med:.0f} ms"
                   f"   max {top:.0f} ms")  # fmt: skip
    click.echo(f"errors {errors}   retried answers {retries}   attempts acknowledged "
               f"{sum(acked.values())}   stored {sum(stored.values())}   lost {lost}   "
               f"duplicated {duplicated}")  # fmt: skip
    click.echo(f"load average {load_before:.1f} -> {load_after:.1f} on {os.cpu_count()} cores")
    for e in first_errors:
        click.echo(f"  error: {e}")
    emit(
        {
            "benchmark": "classroom",
            "learners": learners,
            "joined": len(ids),
            "steps": len(step_ms),
            "steps_per_learner": steps,
            "think_s": think,
            "arrive_s": arrive,
            "servers": servers,
            "p50_ms": round(_percentile(step_ms, 0.5), 2),
            "p95_ms": round(_percentile(step_ms, 0.95), 2),
            "server_p50_ms": round(_percentile(server_ms, 0.5), 2),
            "server_p95_ms": round(_percentile(server_ms, 0.95), 2),
            "join_p95_ms": round(_percentile(start_ms, 0.95), 2),
            "dashboard_p50_ms": round(statistics.median(dash_times), 1) if dash_times else None,
            "throughput_steps_s": round(len(step_ms) / wall, 1) if wall else 0.0,
            "errors": errors,
            "retries": retries,
            "acknowledged": sum(acked.values()),
            "stored": sum(stored.values()),
            "lost": lost,
            "duplicated": duplicated + max(0, same_event),
            "load_average": round(load_after, 2),
            "seed": seed,
            "machine": machine(),
        }
    )
