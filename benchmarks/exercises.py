"""``teachback bench exercises [PATH...]``: exercise quality (self-check) and generation speed.

For each PATH (default: the bundled samples, and each ``*.txt`` in ``../shared/sources``) the
benchmark reads the sources, extracts concepts, links prerequisites and writes lessons (the
rest of ingest, timed), then generates and self-checks exercises for every concept (timed).

Printed: the self-check pass rate per kind and the rules behind rejections, kept exercises per
concept (and the concepts with a definition that got fewer than 3 kept or fewer than 2 kinds),
and the CPU time of exercise generation against extraction (read + extract) and against the rest
of ingest (read + extract + prerequisites + lessons). Goal: exercises add <= 50 % to ingest time.
With ``--pipeline`` (default) it also runs the real ingest pipeline into a temporary database and
reports the exercise stages' share of its CPU time.

20 random kept exercises per source (seed 7) are written to ``docs/exercise-samples-<source>.md``
so a reader can judge them. The last line is a JSON object of figures.

Example:
    teachback bench exercises
    teachback bench exercises data/samples --samples-dir /tmp/samples
"""

from __future__ import annotations

import random
import re
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import click

from teachback.benchmarks.report import emit, machine

ROOT = Path(__file__).resolve().parents[1]
SHARED_SOURCES = ROOT.parent / "shared" / "sources"
SEED = 7
PER_SOURCE = 20


DEV_SOURCES = ROOT.parent / "shared" / "data" / "dev_sources"


def default_paths() -> list[str]:
    """One curriculum per real source folder, the bundled samples and the shared articles."""
    paths = (
        [str(p) for p in sorted(DEV_SOURCES.iterdir()) if p.is_dir()]
        if DEV_SOURCES.is_dir()
        else []
    )
    paths.append(str(ROOT / "data" / "samples"))
    if SHARED_SOURCES.is_dir():
        paths.append(str(SHARED_SOURCES))
    return paths


def slug(path: str) -> str:
    p = Path(path)
    name = p.stem if p.is_file() else p.name
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "source"


def _timed(fn, *args):
    """Result and CPU seconds of this process (robust to other load on the machine)."""
    start = time.process_time()
    out = fn(*args)
    return out, time.process_time() - start


def measure(path: str) -> dict:
    """Everything for one source: timings, kept/rejected exercises, per-concept counts."""
    from teachback.ingest.concepts import extract_concepts
    from teachback.ingest.exercises import generate_checked
    from teachback.ingest.exercises.corpus import Corpus
    from teachback.ingest.lessons import write_lesson
    from teachback.ingest.prerequisites import link_prerequisites, order_units
    from teachback.ingest.readers import load_sources

    Corpus._cache.clear()  # no head start from an earlier source
    loaded, t_read = _timed(load_sources, [path])
    documents = loaded.documents
    concepts, t_extract = _timed(extract_concepts, documents)

    def rest():
        edges = link_prerequisites(concepts, documents)
        order_units(concepts, edges, documents)
        for c in concepts:
            write_lesson(c, documents)

    _, t_rest = _timed(rest)

    def exercises():
        out = []
        for c in concepts:
            kept, rejected = generate_checked(c, concepts, documents)
            out.append((c, kept, rejected))
        return out

    results, t_ex = _timed(exercises)
    return {
        "path": path,
        "errors": [str(e) for e in loaded.errors],
        "documents": len(documents),
        "concepts": concepts,
        "results": results,
        "t_read": t_read,
        "t_extract": t_extract,
        "t_rest": t_rest,
        "t_exercises": t_ex,
    }


def pipeline_share(paths: list[str]) -> dict:
    """Run the real ingest pipeline on ``paths``; CPU seconds per stage and the exercise
    stages' share (generate + verify) relative to all the other stages."""
    from teachback.curricula.db import open_db
    from teachback.ingest.pipeline import run_ingest

    stages: dict[str, float] = {}
    order: list[str] = []

    # CPU time of this process (all threads): wall time on a shared machine is too noisy
    def on_progress(event: dict) -> None:
        if event["stage"] not in stages:
            stages[event["stage"]] = time.process_time()
            order.append(event["stage"])

    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        start = time.process_time()
        run_ingest(db, paths, curriculum="bench-exercises", on_progress=on_progress)
        total = time.process_time() - start
        db.close()
    ends = [stages[s] for s in order[1:]] + [start + total]
    per_stage = {s: ends[i] - stages[s] for i, s in enumerate(order)}
    # the exercise stages: generation (+ self-check) and the pipeline's verification of them
    ex = sum(v for s, v in per_stage.items() if "exercise" in s or s == "verify")
    return {
        "seconds": round(total, 3),
        "stages": {k: round(v, 3) for k, v in per_stage.items()},
        "exercise_seconds": round(ex, 3),
        "overhead": round(ex / (total - ex), 3) if total > ex else None,
    }


def _fmt_answer(ex) -> str:
    if isinstance(ex.answer, list):
        return "\n".join(f"   {i + 1}. {a}" for i, a in enumerate(ex.answer))
    return str(ex.answer)


def sample(kept: list) -> list:
    """The audit's fixed random sample (seed ``SEED``) of one curriculum's kept exercises."""
    return random.Random(SEED).sample(kept, min(PER_SOURCE, len(kept)))


def audit_sample(chosen: list, concepts: list) -> list[list[str]]:
    """Each sampled exercise's automatic flags (predict-the-output rerun in the sandbox)."""
    from teachback.benchmarks.exercise_audit import audit_exercise, rerun

    names = {c.name: [c.name, *c.aliases] for c in concepts}
    flags = [audit_exercise(ex, names.get(ex.concept, [ex.concept])) for ex in chosen]
    po = [i for i, ex in enumerate(chosen) if ex.kind == "predict_output"]
    for i, why in rerun([chosen[i] for i in po]).items():
        if why:
            flags[po[i]].append(why)
    return flags


def print_sample(chosen: list, flags: list[list[str]]) -> None:
    for i, (ex, why) in enumerate(zip(chosen, flags, strict=True), 1):
        click.echo(f"  --- {i}. {ex.kind} / {ex.concept}")
        for line in ex.prompt.splitlines():
            click.echo(f"      {line}")
        if ex.choices and ex.kind != "true_false":
            click.echo("      options: " + " | ".join(ex.choices))
        click.echo(f"      key: {_fmt_answer(ex).strip()[:300]}")
        if ex.data.get("rubric"):
            click.echo("      rubric: " + "; ".join(ex.data["rubric"]))
        click.echo(
            "      flags: " + ("; ".join(why) if why else "none (a teacher judges the rest)")
        )


def write_samples(
    name: str, path: str, kept: list, out_dir: Path, flags: list[list[str]] | None = None
) -> Path:
    chosen = sample(kept)
    flags = flags or [[] for _ in chosen]
    lines = [
        f"# Exercise samples: {name}",
        "",
        f"{len(chosen)} kept exercises drawn at random (seed {SEED}) from `{path}` by "
        "`teachback bench exercises`, for a reader to judge. Each one passed the self-check "
        "(see docs/exercises.md); *Audit* lists what the benchmark's automatic rubric checks "
        "flagged.",
        "",
    ]
    for i, (ex, why) in enumerate(zip(chosen, flags, strict=True), 1):
        lines += [
            f"## {i}. {ex.kind} — {ex.concept} (difficulty {ex.difficulty:.2f})",
            "",
            ex.prompt,
            "",
        ]
        if ex.choices:
            lines += ["Options:", ""] + [f"- {c}" for c in ex.choices] + [""]
        answer = _fmt_answer(ex)
        lines += (
            [f"**Answer:**\n\n{answer}", ""] if "\n" in answer else [f"**Answer:** {answer}", ""]
        )
        if ex.data.get("corrected"):
            lines += [f"**Corrected:** {ex.data['corrected']}", ""]
        if ex.data.get("rubric"):
            lines += ["**Rubric:** " + "; ".join(ex.data["rubric"]), ""]
        cites = ", ".join(f"{Path(s.source).name}:{s.start}-{s.end}" for s in ex.citations[:2])
        lines += [f"*Why kept:* {ex.self_check.reasons[0]}", "", f"*Cites:* {cites}", ""]
        lines += [f"*Audit:* {'; '.join(why) if why else 'no automatic flag'}", ""]
    target = out_dir / f"exercise-samples-{name}.md"
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def rubric_audit(name: str, path: str, kept: list, concepts: list, out_dir: Path) -> dict:
    """Print the sample with its flags and the curriculum-wide checks; write the samples file."""
    from teachback.benchmarks.exercise_audit import curriculum_figures

    chosen = sample(kept)
    flags = audit_sample(chosen, concepts)
    click.echo(f"  rubric audit: {len(chosen)} kept exercises drawn with seed {SEED}")
    print_sample(chosen, flags)
    figs = curriculum_figures(kept)
    figs.pop("_rerun")
    clean = sum(1 for f in flags if not f)
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for ex, f in zip(chosen, flags, strict=True):
        by_kind[ex.kind][0] += not f
        by_kind[ex.kind][1] += 1
    click.echo(
        f"  sample without an automatic flag: {clean}/{len(chosen)} ("
        + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(by_kind.items()))
        + ")"
    )
    tf, n = figs["true_share"], figs
    balance = (
        f"{tf:.0%} true; answering False scores {n['always_false_scores']:.0%}"
        if tf is not None
        else "none"
    )
    short = (
        f" ({n['short_defining_share']:.0%} with a defining reference)" if n["short_what"] else ""
    )
    runs = (
        f" ({n['predict_reproduce_share']:.0%} reproduce when rerun)" if n["predict_output"] else ""
    )
    click.echo(
        f"  all kept: true/false {n['true_false']} ({balance}); short 'what is X' "
        f"{n['short_what']}{short}, relation questions {n['short_relation']}; near-duplicates "
        f"{n['duplicates']}; predict-the-output {n['predict_output']}{runs}"
    )
    most = n["most_asked"]
    click.echo(
        f"  passages asked by two concepts' exercises: {n['shared_passages']} of "
        f"{len(kept)} kept; most asked concept: {most['concept']} ({most['kept']} kept)"
    )
    target = write_samples(name, path, kept, out_dir, flags)
    click.echo(f"  samples: {target}")
    figs["sample"] = len(chosen)
    figs["sample_unflagged"] = clean
    return figs


def _rate(kept: int, rejected: int) -> float | None:
    return round(kept / (kept + rejected), 3) if kept + rejected else None


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--samples-dir",
    type=click.Path(file_okay=False),
    default=str(ROOT / "docs"),
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
    # Warm imports so neither side of the timing pays for loading modules.
    import teachback.ingest.concepts  # noqa: F401
    import teachback.ingest.exercises
    import teachback.ingest.lessons  # noqa: F401
    import teachback.ingest.prerequisites  # noqa: F401
    import teachback.ingest.readers  # noqa: F401
    from teachback.ingest.exercises.registry import plugins

    plugins()
    del teachback.ingest.exercises
    paths = list(paths) or default_paths()
    out_dir = Path(samples_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    kept_by_kind: Counter = Counter()
    rej_by_kind: Counter = Counter()
    rules: dict[str, Counter] = defaultdict(Counter)
    per_source = {}
    min_kept: list[int] = []
    defined_ok = defined_total = defined_any = 0
    totals = Counter()
    for path in paths:
        name = slug(path)
        click.echo(f"\n== {name} ({path})")
        m = measure(path)
        for err in m["errors"]:
            click.echo(f"  skipped: {err}")
        kept_all, s_kept, s_rej, short = [], Counter(), Counter(), []
        counts = []
        ok_here = any_here = 0
        for concept, kept, rejected in m["results"]:
            kept_all += kept
            for ex in kept:
                s_kept[ex.kind] += 1
            for ex in rejected:
                s_rej[ex.kind] += 1
                for reason in ex.self_check.reasons:
                    rules[ex.kind][reason.split(":")[0]] += 1
            if concept.definition.strip():
                kinds = {ex.kind for ex in kept}
                counts.append(len(kept))
                defined_total += 1
                any_here += bool(kept)
                defined_any += bool(kept)
                if len(kept) >= 3 and len(kinds) >= 2:
                    defined_ok += 1
                    ok_here += 1
                else:
                    short.append(f"{concept.name} ({len(kept)} kept, {len(kinds)} kinds)")
        kept_by_kind.update(s_kept)
        rej_by_kind.update(s_rej)
        min_kept += counts
        for key in ("t_read", "t_extract", "t_rest", "t_exercises"):
            totals[key] += m[key]
        extraction = m["t_read"] + m["t_extract"]
        ingest = extraction + m["t_rest"]
        click.echo(
            f"  {m['documents']} documents, {len(m['concepts'])} concepts "
            f"({len(counts)} with a definition); {sum(s_kept.values())} kept, "
            f"{sum(s_rej.values())} rejected"
        )
        for kind in sorted(set(s_kept) | set(s_rej)):
            click.echo(
                f"  {kind:<17} {s_kept[kind]:>4} / {s_kept[kind] + s_rej[kind]:<4} pass "
                f"{_rate(s_kept[kind], s_rej[kind]):.0%}"
            )
        if counts:
            click.echo(
                f"  kept per defined concept: min {min(counts)}, median "
                f"{statistics.median(counts):g}, max {max(counts)}"
            )
            click.echo(
                f"  coverage: {ok_here}/{len(counts)} concepts with a definition have >= 3 kept "
                f"of >= 2 kinds; {any_here}/{len(counts)} have >= 1 kept"
            )
        if short:
            click.echo(f"  below 3 kept / 2 kinds ({len(short)}): " + "; ".join(short[:15]))
        click.echo(
            f"  time: read {m['t_read']:.2f}s, extract {m['t_extract']:.2f}s, prerequisites + "
            f"lessons {m['t_rest']:.2f}s, exercises {m['t_exercises']:.2f}s "
            f"(+{m['t_exercises'] / extraction:.0%} of extraction, "
            f"+{m['t_exercises'] / ingest:.0%} of ingest without exercises)"
        )
        audit = {}
        if kept_all and do_audit:
            audit = rubric_audit(name, path, kept_all, m["concepts"], out_dir)
        elif kept_all:
            target = write_samples(name, path, kept_all, out_dir)
            click.echo(f"  samples: {target}")
        per_source[name] = {
            "concepts": len(m["concepts"]),
            "kept": sum(s_kept.values()),
            "rejected": sum(s_rej.values()),
            "pass_rate": _rate(sum(s_kept.values()), sum(s_rej.values())),
            "min_kept_per_concept": min(counts) if counts else None,
            "concepts_with_definition": len(counts),
            "concepts_ok": ok_here,
            "concepts_any": any_here,
            "share_concepts_ok": round(
                sum(
                    1
                    for c, k, _ in m["results"]
                    if c.definition.strip() and len(k) >= 3 and len({e.kind for e in k}) >= 2
                )
                / len(counts),
                3,
            )
            if counts
            else None,
            "overhead_vs_extraction": round(m["t_exercises"] / extraction, 3),
            "audit": audit,
        }

    click.echo("\n== all sources")
    click.echo("pass rate per kind (kept / checked) and why the rest were rejected:")
    pass_rates = {}
    for kind in sorted(set(kept_by_kind) | set(rej_by_kind)):
        pass_rates[kind] = _rate(kept_by_kind[kind], rej_by_kind[kind])
        why = ", ".join(f"{r} {n}" for r, n in rules[kind].most_common())
        click.echo(
            f"  {kind:<17} {kept_by_kind[kind]:>4} / {kept_by_kind[kind] + rej_by_kind[kind]:<4} "
            f"{pass_rates[kind]:.0%}" + (f"   ({why})" if why else "")
        )
    extraction = totals["t_read"] + totals["t_extract"]
    ingest = extraction + totals["t_rest"]
    figures = {
        "pass_rate": pass_rates,
        "pass_rate_overall": _rate(sum(kept_by_kind.values()), sum(rej_by_kind.values())),
        "kept": sum(kept_by_kind.values()),
        "rejected": sum(rej_by_kind.values()),
        "min_kept_per_concept": min(min_kept) if min_kept else None,
        "share_concepts_ok": round(defined_ok / defined_total, 3) if defined_total else None,
        "concepts_with_definition": defined_total,
        "concepts_ok": defined_ok,
        "concepts_any": defined_any,
        "seconds_extraction": round(extraction, 3),
        "seconds_ingest_without_exercises": round(ingest, 3),
        "seconds_exercises": round(totals["t_exercises"], 3),
        "overhead_vs_extraction": round(totals["t_exercises"] / extraction, 3),
        "overhead_vs_ingest": round(totals["t_exercises"] / ingest, 3),
        "per_source": per_source,
        "machine": machine(),
    }
    click.echo(
        f"exercises took {totals['t_exercises']:.2f}s: +{figures['overhead_vs_extraction']:.0%} "
        f"of extraction ({extraction:.2f}s), +{figures['overhead_vs_ingest']:.0%} of ingest "
        f"without exercises ({ingest:.2f}s); goal <= 50%"
    )
    click.echo(
        f"concepts with a definition that have >= 3 kept of >= 2 kinds: "
        f"{defined_ok}/{defined_total}; with >= 1 kept: {defined_any}/{defined_total}; fewest "
        f"kept: {figures['min_kept_per_concept']}"
    )
    if pipeline:
        try:
            share = pipeline_share(paths)
        except Exception as err:  # the pipeline is another helper's; report, don't crash
            click.echo(f"pipeline run failed: {err}")
        else:
            figures["pipeline"] = share
            figures["overhead_in_pipeline"] = share["overhead"]
            stages = ", ".join(f"{k} {v:.2f}s" for k, v in share["stages"].items())
            click.echo(
                f"real ingest pipeline (CPU): {share['seconds']:.2f}s ({stages}); exercise stages "
                f"{share['exercise_seconds']:.2f}s = +{(share['overhead'] or 0):.0%} of the rest"
            )
    emit(figures)
