"""Write-the-code exercises in the terminal: the prompt with its code as written, then the
learner's code, several lines, ended by a blank line or a line holding only ``.``.

A first line of ``q``, ``?`` or ``h`` is a command, as for every other question; indentation
is kept as typed (a body alone is put under the function's signature by the grader)."""

from __future__ import annotations

import re
import sys

import click

from teachback.neutralise import terminal_text

END = "."


def show_code_prompt(prompt: str) -> None:
    """The prompt with Markdown code fences dropped and the code inside them kept as is."""
    text = terminal_text(prompt).replace("\u200b", "")
    text = re.sub(r"^```\w*[ \t]*$", "", text, flags=re.M)
    click.echo("\n" + re.sub(r"\n{3,}", "\n\n", text).strip())


def _line(label: str) -> str | None:
    click.echo(label, nl=False)
    line = sys.stdin.readline()
    if not line:  # end of input
        click.echo()
        return None
    return line.rstrip("\r\n")


def ask_code(exercise: dict, on_command=None) -> str | None:
    """The learner's code (None to stop)."""
    show_code_prompt(exercise["prompt"])
    click.secho(
        "\nType the function's body (or the whole function). End with an empty line or a "
        "line with a single '.' (q stops, ? shows the lesson again, h gives a hint).",
        dim=True,
    )
    lines: list[str] = []
    while True:
        line = _line("... " if lines else ">>> ")
        if line is None:
            return "\n".join(lines) if lines else None
        if not lines and line.strip().lower() == "q":
            return None
        if not lines and line.strip() in ("?", "h", "H") and on_command is not None:
            on_command(line.strip().lower())
            continue
        if line.strip() in ("", END):
            if lines:
                return "\n".join(lines)
            click.secho("Type some code first.", fg="yellow")
            continue
        lines.append(line)
