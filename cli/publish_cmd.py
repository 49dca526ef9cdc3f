"""``teachback publish``: make the current draft of a curriculum what learners see.

The same operation as *Review & publish* in the web UI (``curricula.publish.publish``), for a
teacher who works in the terminal. Whoever can run this can open the store file, so it asks for
no sign-in; it acts as the curriculum's owner unless ``--as`` names another instructor, and the
ownership rules of the store decide (``curricula.ownership``).
"""

from __future__ import annotations

from pathlib import Path

import click

from teachback.cli.options import db_option, store_path
from teachback.errors import NotFound


@click.command()
@click.option("--curriculum", default=None, help="Curriculum to publish (default: the only one).")
@click.option(
    "--as",
    "who",
    default=None,
    metavar="USERNAME",
    help="The instructor publishing it (default: the curriculum's owner).",
)
@db_option
def publish(curriculum, who, db_path):
    """Publish the current draft of a curriculum as a new version: learners (on the web and
    with teachback learn) then see it. Their progress is kept on every concept that stays.

    \b
    Example:
        teachback publish --curriculum mycourse
        teachback publish --curriculum mycourse --as grace
    """
    from teachback.curricula import ownership, repository
    from teachback.curricula import publish as versions
    from teachback.curricula.db import open_db

    db_path = store_path(db_path)
    if not Path(db_path).exists():
        raise NotFound(f"{db_path}: no database yet; run `teachback ingest` first")
    db = open_db(db_path)
    try:
        curriculum = curriculum or repository.default_curriculum(db)
        if who is None:
            owner = ownership.owner_of(db, curriculum)  # NotFound for an unknown curriculum
            who = owner.username if owner else "terminal"
        diff = versions.draft_changes(db, curriculum)
        version = versions.publish(db, curriculum, who)
    finally:
        db.close()
    click.echo(
        f"Published {curriculum!r} as version {version}: {len(diff['added'])} concepts added, "
        f"{len(diff['changed'])} changed, {len(diff['removed'])} removed, "
        f"{len(diff['unchanged'])} unchanged."
    )
    click.echo(f"Learners can start it: teachback learn --curriculum {curriculum}")
