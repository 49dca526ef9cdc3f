"""The fixed random sample of each curriculum's kept exercises: audited by the automatic rubric
checks, printed, and written to ``exercise-samples-<source>.md`` for a reader to judge."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import click

SEED = 7
PER_SOURCE = 20


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
