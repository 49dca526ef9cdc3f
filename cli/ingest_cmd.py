"""``teachback ingest``: read sources into a curriculum (thin: parse, call ``run_ingest``, show)."""

from __future__ import annotations

import sys

import click

from teachback.cli.options import db_option, store_path
from teachback.errors import TeachbackError


class _Bar:
    """One tqdm bar on stderr, re-labelled for each stage of the pipeline."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None
        self.stage = None

    def __call__(self, event: dict) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        stage, total = event.get("stage"), event.get("total") or 0
        if stage != self.stage or self.bar is None:
            self.close()
            self.stage = stage
            self.bar = tqdm(
                total=total or None,
                desc=f"{stage:>13}",
                unit="",
                file=sys.stderr,
                leave=False,
                dynamic_ncols=True,
            )
        if total and self.bar.total != total:
            self.bar.total = total
        self.bar.n = min(event.get("done") or 0, total) if total else (event.get("done") or 0)
        if event.get("message"):
            self.bar.set_postfix_str(str(event["message"])[:60], refresh=False)
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@db_option
@click.option(
    "--curriculum",
    default=None,
    help="Curriculum to ingest into (default: the only one in the DB, else 'default').",
)
@click.option(
    "--max-file-mb",
    type=float,
    default=None,
    help="Skip files larger than this, with an error line (default 20, or $TEACHBACK_MAX_FILE_MB).",
)
@click.option(
    "--no-exercises",
    is_flag=True,
    help="Only concepts, prerequisites and lessons (faster); a later run makes the exercises.",
)
@click.option(
    "--include",
    multiple=True,
    metavar="PATTERN",
    help="Read files matching this pattern (gitignore syntax, relative to the folder) even if "
    "triage would leave them out (tests, data, licences...). Repeatable.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="PATTERN",
    help="Leave out files matching this pattern (gitignore syntax). Repeatable.",
)
@click.option(
    "--owner",
    default=None,
    metavar="USERNAME",
    help="The instructor who owns the curriculum (default: the only instructor account; with "
    "several, a new curriculum is left for the first instructor who changes it to claim). "
    "Adding to a curriculum someone owns needs its owner or a co-owner here.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Processes for the batched stages, such as lessons (default: $TEACHBACK_INGEST_WORKERS, "
    "else the machine's CPUs; 1: all in one process). The result is the same.",
)
@click.option("--no-progress", is_flag=True, help="Do not draw the progress bar.")
@click.option(
    "--restart",
    is_flag=True,
    help="Start over instead of resuming an interrupted run of the same paths.",
)
def ingest(
    paths,
    db_path,
    curriculum,
    max_file_mb,
    no_exercises,
    include,
    exclude,
    owner,
    workers,
    no_progress,
    restart,
):
    """Learn sources: files, folders or zip archives (Markdown, HTML, PDF, text, notebooks,
    code) become concepts, prerequisites, lessons and exercises in the store.

    Unreadable files are listed as one-line errors; the rest of the batch is still ingested,
    and the command exits with status 1 (0 when every source was read). In a folder, files
    that are not course material (tests and fixtures, data files, vendored or generated files,
    licences, lock files, configuration modules) are left out and listed with the reason;
    --include / --exclude override that. Re-running on changed sources redoes only what
    changed; an interrupted run resumes.

    \b
    Example:
        teachback ingest data/samples --db data/teachback.db --curriculum sample
        teachback ingest notes/ --curriculum biology --owner grace
    """
    from teachback.curricula import ownership
    from teachback.curricula.accounts import count_instructors
    from teachback.curricula.db import open_db
    from teachback.curricula.repository import default_curriculum
    from teachback.ingest.pipeline import run_ingest

    if max_file_mb is not None and max_file_mb <= 0:
        raise click.BadParameter("must be positive", param_hint="--max-file-mb")
    db = open_db(store_path(db_path))
    try:
        curriculum = curriculum or default_curriculum(db)
        if owner is None and (only := ownership.default_owner(db)) is not None:
            owner = only.username
        ownership.prepare(db, curriculum, owner)  # NotOwner before any work
        # Several instructors and no --owner: the curriculum waits for one of them to claim it.
        unowned = ownership.owner_of(db, curriculum) is None and count_instructors(db) > 1
        bar = _Bar(enabled=not no_progress)
        try:
            summary = run_ingest(
                db,
                list(paths),
                curriculum=curriculum,
                on_progress=bar,
                resume=not restart,
                exercises=not no_exercises,
                max_file_bytes=int(max_file_mb * 1024 * 1024) if max_file_mb else None,
                include=list(include),
                exclude=list(exclude),
                workers=workers,
            )
        finally:
            bar.close()
    finally:
        db.close()

    for line in summary.errors:
        click.echo(f"error: {line}", err=True)
    if not summary.sources_read:
        click.echo(
            "Nothing ingested: every input failed (see the errors above)."
            if summary.errors
            else "Nothing ingested: no files of a known format were found.",
            err=True,
        )
        if summary.errors:
            raise SystemExit(1)
        return
    _echo_summary(summary)
    _echo_skipped(summary.skipped)
    _echo_notes(summary, curriculum if unowned else None, exercises=not no_exercises)
    if summary.errors:  # the rest landed, but a script must see that something did not
        raise SystemExit(1)


def _echo_summary(summary) -> None:
    """'Ingested 3 sources (1 new, 2 unchanged) into curriculum 'x' in 4.2 s.' and what the
    curriculum holds now."""
    n = summary.sources_read
    counts = [("new", summary.sources_new), ("changed", summary.sources_changed),
              ("unchanged", summary.sources_unchanged)]  # fmt: skip
    parts = [f"{k} {label}" for label, k in counts if k]
    detail = f" ({', '.join(parts)})" if parts else ""
    click.echo(
        f"Ingested {n} source{'s' * (n != 1)}{detail} into curriculum '{summary.curriculum}' "
        f"in {summary.seconds:.1f} s"
        + (f"; {len(summary.errors)} failed" if summary.errors else "")
        + (" (resumed)" if summary.resumed else "")
        + "."
    )
    click.echo(
        f"Curriculum: {summary.concepts} concepts, {summary.edges} edges, {summary.units} units, "
        f"{summary.lessons} lessons. This run: {summary.lessons_written} lessons written, "
        f"{summary.exercises_kept} exercises kept, {summary.exercises_rejected} rejected by "
        "the self-check."
    )


def _echo_notes(summary, unowned: str | None, *, exercises: bool) -> None:
    """The model's usage, the run's notes, who may claim an ``unowned`` curriculum, and
    exercises skipped (when they were asked for)."""
    if summary.llm:
        from teachback.engine.llm_budget import describe_usage

        click.echo(describe_usage(summary.llm))
    for note in summary.notes:
        click.echo(f"note: {note}", err=True)
    if unowned:
        click.echo(
            f"note: nobody owns '{unowned}' yet: the first instructor who changes it in the "
            f"web UI becomes its owner (or: teachback users owner {unowned} USERNAME)",
            err=True,
        )
    if summary.exercises_skipped and exercises:
        click.echo(f"note: exercises skipped ({summary.exercises_skipped})", err=True)


SKIPPED_SHOWN = 15  # files listed by name; the rest are counted


def _echo_skipped(skipped: list[str]) -> None:
    """'Left out 12 files (not course material): 9 test fixture, 2 licence, ...' and names."""
    if not skipped:
        return
    reasons: dict[str, int] = {}
    for line in skipped:
        why = line.rsplit(" (", 1)[-1].rstrip(")")
        reasons[why] = reasons.get(why, 0) + 1
    counts = ", ".join(f"{n} {why}" for why, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
    n = len(skipped)
    click.echo(
        f"Left out {n} file{'s' * (n != 1)} that {'is' if n == 1 else 'are'} not course "
        f"material: {counts} (--include PATTERN reads them anyway):"
    )
    for line in skipped[:SKIPPED_SHOWN]:
        click.echo(f"  skipped: {line}")
    if n > SKIPPED_SHOWN:
        click.echo(f"  ... and {n - SKIPPED_SHOWN} more")


__all__ = ["ingest", "TeachbackError"]
