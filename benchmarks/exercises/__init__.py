"""``teachback bench exercises [PATH...]``: exercise quality (self-check) and generation speed.

For each PATH (default: the bundled samples, and each ``*.txt`` in ``../shared/sources``) the
benchmark reads the sources, extracts concepts, links prerequisites and writes lessons (the
rest of ingest, timed), then generates and self-checks exercises for every concept (timed).

Printed: the self-check pass rate per kind and the rules behind rejections, kept exercises per
concept (and the concepts with a definition that got fewer than 3 kept or fewer than 2 kinds),
the same coverage goal where the material allows it (concepts with a defining passage, code of
their own, stated facts or an essay's labelled point, each one that misses it listed with the
rules its candidates broke; ``material.py``), and the CPU time of exercise generation
against extraction (read + extract) and against the rest of ingest (read + extract +
prerequisites + lessons). Goal: exercises add <= 50 % to ingest time.
With ``--pipeline`` (default) it also runs the real ingest pipeline into a temporary database and
reports the exercise stages' share of its CPU time.

20 random kept exercises per source (seed 7) are written to ``docs/exercise-samples-<source>.md``
so a reader can judge them. The last line is a JSON object of figures.

Example:
    teachback bench exercises
    teachback bench exercises data/samples --samples-dir /tmp/samples

The files: ``measure`` (the timed steps on one source, and the real pipeline), ``tally`` (the
counts), ``samples`` (the audited random sample and its file); this module is the command and
its report.
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import click

from teachback.benchmarks.exercises.material import ALLOWS
from teachback.benchmarks.exercises.measure import default_paths, measure, pipeline_share, slug
from teachback.benchmarks.exercises.samples import rubric_audit, write_samples
from teachback.benchmarks.exercises.tally import Tally, rate, tally
from teachback.benchmarks.report import emit, machine
from teachback.config import PACKAGE_DIR

TIMES = ("t_read", "t_extract", "t_rest", "t_exercises")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--samples-dir",
    type=click.Path(file_okay=False),
    default=str(PACKAGE_DIR / "docs"),
    show_default=True,
    help="Where to write exercise-samples-<source>.md.",
)
@click.option("--pipeline/--no-pipeline", default=True, help="Also time the real ingest pipeline.")
@click.option(
    "--audit/--no-audit",
    "do_audit",
    default=True,
    help="Print the rubric audit: a fixed sample per curriculum with automatic checks.",
)
def command(paths, samples_dir, pipeline, do_audit):
    """Self-check pass rates per kind, kept exercises per concept, and generation time."""
    _warm_imports()
    paths = list(paths) or default_paths()
    out_dir = Path(samples_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    total, times, per_source = Tally(), Counter(), {}
    for path in paths:
        name = slug(path)
        click.echo(f"\n== {name} ({path})")
        m = measure(path)
        for err in m["errors"]:
            click.echo(f"  skipped: {err}")
        counts = tally(m["results"], m["materials"])
        _report_source(m, counts)
        kept = [ex for _, k, _ in m["results"] for ex in k]
        audit = _audit_or_samples(name, path, kept, m["concepts"], out_dir, do_audit)
        per_source[name] = _source_figures(m, counts, audit)
        total.add(counts)
        times.update({key: m[key] for key in TIMES})

    figures = _report_all(total, times)
    figures["per_source"] = per_source
    figures["machine"] = machine()
    if pipeline:
        _report_pipeline(paths, figures)
    emit(figures)


def _warm_imports() -> None:
    """Load the ingest's modules first, so neither side of the timing pays for loading them."""
    import teachback.ingest.concepts  # noqa: F401
    import teachback.ingest.lessons  # noqa: F401
    import teachback.ingest.prerequisites  # noqa: F401
    import teachback.ingest.readers  # noqa: F401
    from teachback.ingest.exercises.registry import plugins

    plugins()


def _report_source(m: dict, counts: Tally) -> None:
    """One source: exercises kept per kind, kept per defined concept, coverage, timings."""
    per_concept = counts.per_concept
    click.echo(
        f"  {m['documents']} documents, {len(m['concepts'])} concepts "
        f"({len(per_concept)} with a definition); {sum(counts.kept.values())} kept, "
        f"{sum(counts.rejected.values())} rejected"
    )
    for kind in counts.kinds:
        kept, rejected = counts.kept[kind], counts.rejected[kind]
        click.echo(f"  {kind:<17} {kept:>4} / {kept + rejected:<4} pass {rate(kept, rejected):.0%}")
    if per_concept:
        click.echo(
            f"  kept per defined concept: min {min(per_concept)}, median "
            f"{statistics.median(per_concept):g}, max {max(per_concept)}"
        )
        click.echo(
            f"  coverage: {counts.ok}/{len(per_concept)} concepts with a definition have >= 3 "
            f"kept of >= 2 kinds; {counts.any}/{len(per_concept)} have >= 1 kept"
        )
    if counts.short:
        click.echo(
            f"  below 3 kept / 2 kinds ({len(counts.short)}): " + "; ".join(counts.short[:15])
        )
    _report_material(counts, "  ")
    extraction = m["t_read"] + m["t_extract"]
    ingest = extraction + m["t_rest"]
    click.echo(
        f"  time: read {m['t_read']:.2f}s, extract {m['t_extract']:.2f}s, prerequisites + "
        f"lessons {m['t_rest']:.2f}s, exercises {m['t_exercises']:.2f}s "
        f"(+{m['t_exercises'] / extraction:.0%} of extraction, "
        f"+{m['t_exercises'] / ingest:.0%} of ingest without exercises)"
    )


def _report_material(counts: Tally, indent: str, every: bool = True) -> None:
    """Coverage where the material allows it: of the concepts with a defining passage, code,
    stated facts or an essay's labelled point, how many have >= 3 kept of >= 2 kinds (the
    others are only named by the sources, counted apart); then each concept the goal misses,
    with its candidates' rejection rules."""
    if not counts.material:
        return
    apart = ", ".join(f"{n} {m}" for m, n in sorted(counts.material.items()) if m not in ALLOWS)
    click.echo(
        f"{indent}where the material allows: {counts.allowed_ok}/{counts.allowed} concepts "
        f"with a defining passage, code, stated facts or a labelled point have >= 3 kept of "
        f">= 2 kinds (of "
        f"{sum(counts.material.values())} concepts; without either: {apart or 'none'})"
    )
    if every and counts.allowed_short:
        click.echo(f"{indent}below the goal though the material allows:")
        for line in counts.allowed_short:
            click.echo(f"{indent}  {line}")


def _audit_or_samples(name, path, kept, concepts, out_dir, do_audit) -> dict:
    """The rubric audit of the sample (which writes the samples file), or only the file."""
    if kept and do_audit:
        return rubric_audit(name, path, kept, concepts, out_dir)
    if kept:
        target = write_samples(name, path, kept, out_dir)
        click.echo(f"  samples: {target}")
    return {}


def _source_figures(m: dict, counts: Tally, audit: dict) -> dict:
    defined = len(counts.per_concept)
    return {
        "concepts": len(m["concepts"]),
        "kept": sum(counts.kept.values()),
        "rejected": sum(counts.rejected.values()),
        "pass_rate": counts.pass_rate,
        "min_kept_per_concept": min(counts.per_concept) if defined else None,
        "concepts_with_definition": defined,
        "concepts_ok": counts.ok,
        "concepts_any": counts.any,
        "share_concepts_ok": round(counts.ok / defined, 3) if defined else None,
        "concepts_material_allows": counts.allowed,
        "concepts_material_ok": counts.allowed_ok,
        "overhead_vs_extraction": round(m["t_exercises"] / (m["t_read"] + m["t_extract"]), 3),
        "audit": audit,
    }


def _report_all(total: Tally, times: Counter) -> dict:
    """All sources together: pass rate per kind and why the rest were rejected, time, coverage."""
    click.echo("\n== all sources")
    click.echo("pass rate per kind (kept / checked) and why the rest were rejected:")
    pass_rates = {}
    for kind in total.kinds:
        kept, rejected = total.kept[kind], total.rejected[kind]
        pass_rates[kind] = rate(kept, rejected)
        why = ", ".join(f"{r} {n}" for r, n in total.rules[kind].most_common())
        click.echo(
            f"  {kind:<17} {kept:>4} / {kept + rejected:<4} "
            f"{pass_rates[kind]:.0%}" + (f"   ({why})" if why else "")
        )
    extraction = times["t_read"] + times["t_extract"]
    ingest = extraction + times["t_rest"]
    defined = len(total.per_concept)
    figures = {
        "pass_rate": pass_rates,
        "pass_rate_overall": total.pass_rate,
        "kept": sum(total.kept.values()),
        "rejected": sum(total.rejected.values()),
        "min_kept_per_concept": min(total.per_concept) if total.per_concept else None,
        "share_concepts_ok": round(total.ok / defined, 3) if defined else None,
        "concepts_with_definition": defined,
        "concepts_ok": total.ok,
        "concepts_any": total.any,
        "concepts_material_allows": total.allowed,
        "concepts_material_ok": total.allowed_ok,
        "seconds_extraction": round(extraction, 3),
        "seconds_ingest_without_exercises": round(ingest, 3),
        "seconds_exercises": round(times["t_exercises"], 3),
        "overhead_vs_extraction": round(times["t_exercises"] / extraction, 3),
        "overhead_vs_ingest": round(times["t_exercises"] / ingest, 3),
    }
    click.echo(
        f"exercises took {times['t_exercises']:.2f}s: +{figures['overhead_vs_extraction']:.0%} "
        f"of extraction ({extraction:.2f}s), +{figures['overhead_vs_ingest']:.0%} of ingest "
        f"without exercises ({ingest:.2f}s); goal <= 50%"
    )
    click.echo(
        f"concepts with a definition that have >= 3 kept of >= 2 kinds: "
        f"{total.ok}/{defined}; with >= 1 kept: {total.any}/{defined}; fewest "
        f"kept: {figures['min_kept_per_concept']}"
    )
    _report_material(total, "", every=False)
    return figures


def _report_pipeline(paths: list[str], figures: dict) -> None:
    """The real ingest pipeline's CPU time per stage and the exercise stages' share."""
    try:
        share = pipeline_share(paths)
    except Exception as err:  # the pipeline is another helper's; report, don't crash
        click.echo(f"pipeline run failed: {err}")
        return
    figures["pipeline"] = share
    figures["overhead_in_pipeline"] = share["overhead"]
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in share["stages"].items())
    click.echo(
        f"real ingest pipeline (CPU): {share['seconds']:.2f}s ({stages}); exercise stages "
        f"{share['exercise_seconds']:.2f}s = +{(share['overhead'] or 0):.0%} of the rest"
    )
