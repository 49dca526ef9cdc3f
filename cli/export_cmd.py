"""``teachback export`` and ``teachback import``: a curriculum to and from files."""

from __future__ import annotations

import json
from pathlib import Path

import click

from teachback.cli.options import db_option, store_path
from teachback.errors import ImportFormatError


def _open(db_path):
    from teachback.curricula.db import open_db

    return open_db(store_path(db_path))


@click.command()
@db_option
@click.option(
    "--curriculum",
    default=None,
    help="Curriculum to export (default: the only one in the DB, else 'default').",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown", "notebook"]),
    default="json",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    default=None,
    type=click.Path(path_type=str),
    help="File to write (a folder for --format notebook; for markdown a FILE.md, or a folder "
    "that gets <curriculum>.md and its figures; '-' or none for JSON on stdout).",
)
def export(db_path, curriculum, fmt, output):
    """Export a curriculum: JSON (the stable interchange format, see docs/formats.md),
    Markdown, or one Jupyter notebook per unit.

    \b
    Example:
        teachback export --db data/teachback.db --format json -o curriculum.json
        teachback export --format notebook -o notebooks/
    """
    from teachback.curricula.repository import default_curriculum, get_curriculum

    if output is None or (output == "-" and fmt != "json"):
        if fmt != "json":
            # Markdown and notebooks are several files with images: they need a place.
            place = "FOLDER" if fmt == "notebook" else "FILE.md (or a FOLDER)"
            raise click.UsageError(
                f"--format {fmt} writes files with their figures, not to stdout: "
                f"give -o/--output {place}."
            )
        output = "-"
    db = _open(db_path)
    try:
        curriculum = curriculum or default_curriculum(db)
        get_curriculum(db, curriculum)  # NotFound -> one-line error
        if fmt == "json":
            from teachback.curricula.export_json import dumps, export_curriculum, write_json

            if output == "-":
                click.echo(dumps(export_curriculum(db, curriculum, include_images=True)), nl=False)
                return
            path = write_json(db, curriculum, output)
        elif fmt == "markdown":
            from teachback.curricula.export_markdown import export_markdown

            target = Path(output)
            if _names_a_folder(target):  # the file goes in it, named for the curriculum
                target = target / f"{curriculum}.md"
            path = export_markdown(db, curriculum, target) or output
        else:
            from teachback.curricula.export_notebook import export_notebooks

            path = export_notebooks(db, curriculum, Path(output)) or output
    finally:
        db.close()
    if isinstance(path, list | tuple):
        folders = sorted({str(Path(p).parent) for p in path}) or [output]
        click.echo(
            f"Exported '{curriculum}' as {fmt} to {len(path)} "
            f"file{'s' * (len(path) != 1)} in {', '.join(folders)}."
        )
    else:
        click.echo(f"Exported '{curriculum}' as {fmt} to {path}.")


def _names_a_folder(path: Path) -> bool:
    """Whether ``-o`` names a folder for a Markdown export: one that exists, or a new path
    without a Markdown file's suffix (``-o notes`` is a folder to make, ``-o notes.md`` a file).

    >>> _names_a_folder(Path("no-such-folder-yet")), _names_a_folder(Path("course.md"))
    (True, False)
    """
    if path.exists():
        return path.is_dir()
    return path.suffix.lower() not in (".md", ".markdown")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@db_option
@click.option(
    "--owner",
    default=None,
    metavar="USERNAME",
    help="The instructor who owns the imported curriculum (default: the only instructor "
    "account; with several, the first instructor who changes it claims it).",
)
def import_(file, db_path, owner):
    """Import a curriculum from a JSON export (made by `teachback export --format json`).

    \b
    Example:
        teachback import curriculum.json --db other.db
        teachback import curriculum.json --owner grace
    """
    from teachback.curricula import ownership
    from teachback.curricula.import_json import import_curriculum

    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ImportFormatError(f"{file}: not a teachback JSON export ({err})") from None
    db = _open(db_path)
    try:
        if owner is not None:
            ownership.require_instructor(db, owner)  # a typo fails before anything is stored
        elif (only := ownership.default_owner(db)) is not None:
            owner = only.username
        result = import_curriculum(db, data)
        if owner is not None and isinstance(result, str):
            ownership.set_owner(db, result, owner)
    finally:
        db.close()
    name = result if isinstance(result, str) else (data.get("curriculum") or {}).get("id", "")
    click.echo(f"Imported curriculum '{name}' from {file}.")
