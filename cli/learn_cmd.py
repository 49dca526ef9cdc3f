"""``teachback learn``: the tutor in a terminal (the same graph and checkpoints as the web UI)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import click

from teachback.cli.options import db_option, store_path
from teachback.errors import NotFound

VERDICT = {"correct": ("Correct", "green"), "partly": ("Partly right", "yellow")}


def _plain(markdown: str) -> str:
    """Markdown made readable as terminal text (headings, emphasis and code marks dropped)."""
    text = re.sub(r"^#{1,6}\s*", "", markdown, flags=re.M)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    return text.strip()


def show_feedback(feedback: dict | None) -> None:
    if not feedback:
        return
    title, colour = VERDICT.get(feedback["verdict"], ("Not quite", "red"))
    click.secho(f"\n{title} ({round(100 * feedback['score'])}%): {feedback['feedback']}", fg=colour)
    if feedback["verdict"] != "correct" and feedback.get("correct_answer"):
        click.echo(f"Answer: {feedback['correct_answer']}")
    for c in (feedback.get("citations") or [])[:1]:
        click.echo(click.style("Reread: ", dim=True) + " ".join(c["quote"].split()))


def ask_answer(payload: dict):
    """Prompt for an answer of the right shape; None when the learner wants to stop."""
    if payload["type"] == "teach_back":
        click.echo(payload["prompt"])
        return click.prompt("Your explanation (q to stop)", default="", show_default=False)
    ex = payload["exercise"]
    click.echo("\n" + _plain(ex["prompt"]))
    choices = ex.get("choices") or []
    if ex["kind"] == "ordering":
        items = ex.get("items") or choices
        for i, item in enumerate(items, 1):
            click.echo(f"  {i}. {item}")
        raw = click.prompt("Order as numbers, e.g. 2 1 3 (q to stop)")
        if raw.strip().lower() == "q":
            return None
        picks = [int(n) for n in re.findall(r"\d+", raw) if 0 < int(n) <= len(items)]
        return [items[n - 1] for n in picks]
    if ex["kind"] == "matching":
        pairs = []
        for i, c in enumerate(choices, 1):
            click.echo(f"  {i}. {c}")
        for left in ex.get("items") or []:
            n = click.prompt(f"{left} =", type=click.IntRange(1, len(choices)))
            pairs.append(f"{left} => {choices[n - 1]}")
        return pairs
    if choices:
        for i, c in enumerate(choices, 1):
            click.echo(f"  {i}. {c}")
        raw = click.prompt("Your answer (number, or q to stop)")
        if raw.strip().lower() == "q":
            return None
        return (
            choices[int(raw) - 1] if raw.strip().isdigit() and 0 < int(raw) <= len(choices) else raw
        )
    raw = click.prompt("Your answer (q to stop)")
    return None if raw.strip().lower() == "q" else raw


@click.command()
@click.option("--curriculum", default=None, help="Curriculum to learn (default: the only one).")
@db_option
@click.option("--learner", default=None, help="Your name (asked when not given).")
def learn(curriculum, db_path, learner):
    """Learn a curriculum in the terminal; stop any time with q and resume later.

    \b
    Example:
        teachback learn --curriculum sample --learner Ada
    """
    from teachback.curricula import repository
    from teachback.curricula.db import open_db
    from teachback.tutor.session import (
        TutorSessions,
        sessions_path,
        sqlite_checkpointer,
    )
    from teachback.tutor.session import learner_id_for as learner_id

    db_path = store_path(db_path)
    if not Path(db_path).exists():
        raise NotFound(f"{db_path}: no database yet; run `teachback quickstart` or `ingest` first")
    db = open_db(db_path)
    curriculum = curriculum or repository.default_curriculum(db)
    name = (learner or click.prompt("Your name")).strip()
    tutor = TutorSessions(db, sqlite_checkpointer(sessions_path(db_path)))
    payload = tutor.current(learner_id(name), curriculum, name)
    click.secho(f"teachback: {name} learning {curriculum!r} (q stops; you resume here)", bold=True)
    while True:
        show_feedback(payload.get("feedback"))
        progress = payload.get("progress") or {}
        click.secho(
            f"\n[{progress.get('mastered', 0)}/{progress.get('total', 0)} concepts mastered]",
            dim=True,
        )
        if payload["type"] == "done":
            click.echo(payload.get("reason") or "Everything is mastered for now.")
            return
        click.secho(f"\n== {payload['concept']['name']} ==", bold=True)
        lesson = payload.get("lesson") or {}
        if lesson.get("text"):
            click.echo(_plain(lesson["text"]))
        shown = time.time()
        answer = ask_answer(payload)
        if answer is None or answer == "" or answer == "q":
            click.echo("Stopped. Run the same command to continue where you left off.")
            return
        payload = tutor.answer(
            learner_id(name),
            curriculum,
            answer,
            step=payload["step"],
            time_taken=time.time() - shown,
        )
