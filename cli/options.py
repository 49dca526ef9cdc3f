"""Options several commands share, defined once so their names, types and help stay the same."""

from __future__ import annotations

from pathlib import Path

import click

# ``--db``: the store. Passed to the command as ``db_path`` (a Path, or None for the default:
# $TEACHBACK_DB, else data/teachback.db -- see ``store_path``).
db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite file (default: $TEACHBACK_DB or data/teachback.db).",
)


def store_path(db_path: Path | str | None) -> Path:
    """The store a command works on: ``--db`` when given, else the configured default."""
    from teachback.config import default_db_path

    return Path(db_path) if db_path else default_db_path()
