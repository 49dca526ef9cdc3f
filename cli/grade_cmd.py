"""``teachback grade``: grade a batch of free-text answers (thin: read lines, grade, write)."""

from __future__ import annotations

import json
import sys

import click


@click.command()
@click.option(
    "--jsonl",
    "in_path",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Input JSONL ('-' for stdin): question, reference, student_answer per line.",
)
@click.option(
    "-o",
    "--output",
    "out_path",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Where to write the graded lines (default: stdout).",
)
def grade(in_path: str, out_path: str | None):
    """Grade answers offline: each line comes back with score (0..1), verdict and feedback.

    Other fields (e.g. qid) pass through unchanged. A bad line is reported on stderr as
    "FILE:LINE: problem", written back with an `error` field, and the rest is still graded;
    the exit status is then 1.

    \b
    Example:
        teachback grade --jsonl answers.jsonl -o graded.jsonl
    """
    from tqdm import tqdm

    from teachback.tutor.grading.batch import grade_line

    name = "<stdin>" if in_path == "-" else in_path
    with click.open_file(in_path, encoding="utf-8") as fh:
        lines = fh.readlines()
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    errors = 0
    verdicts: dict[str, int] = {}
    with click.open_file(out_path or "-", "w", encoding="utf-8") as out:
        bar = tqdm(
            numbered,
            desc="grading",
            unit="answer",
            file=sys.stderr,
            leave=False,
            disable=True if len(numbered) < 50 else None,  # None: only on a terminal
        )
        for n, line in bar:
            row, problem = grade_line(line, n)
            if problem:
                errors += 1
                bar.write(f"{name}:{n}: {problem}", file=sys.stderr)
            else:
                verdicts[row["verdict"]] = verdicts.get(row["verdict"], 0) + 1
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
    summary = ", ".join(f"{v} {k}" for k, v in sorted(verdicts.items())) or "none graded"
    click.echo(
        f"Graded {sum(verdicts.values())} of {len(numbered)} lines ({summary})"
        + (f"; {errors} bad line(s) written back with an `error` field" if errors else ""),
        err=True,
    )
    if errors:
        sys.exit(1)
