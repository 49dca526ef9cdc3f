"""How the terminal tutor signs a learner in and out: the same accounts as the web UI (a
one-time code, or a username and a hidden password), and a password offered to a learner whose
code is spent so they can come back."""

from __future__ import annotations

import click


def sign_in(db, username: str | None, code: str | None):
    """The terminal's sign-in, through the same accounts as the web UI: a one-time code, or a
    username and password (asked, hidden). Returns ``(token, user)``."""
    from teachback.curricula import accounts

    if code:
        return accounts.sign_in_with_code(db, code, client="terminal")
    username = (username or click.prompt("Username")).strip()
    password = click.prompt("Password", hide_input=True)
    return accounts.sign_in(db, username, password, client="terminal")


def offer_password(db, user, tries: int = 3) -> None:
    """A learner who came in with a one-time code has spent it: offer a password to come back
    with (as the web's Account page does), else say how to come back."""
    from teachback.curricula import accounts
    from teachback.errors import TeachbackError

    click.echo(
        "Stopped. Your one-time code is used up. Choose a password to continue later with "
        f"`teachback learn --learner {user.username}` (at least 8 characters; Enter to skip)."
    )
    for _ in range(tries):
        new = _hidden("New password")
        if not new:
            break
        if _hidden("Again") != new:
            click.echo("The two passwords differ.")
            continue
        try:
            accounts.change_password(db, user.id, None, new, client="terminal")
        except TeachbackError as err:
            click.echo(f"Not saved: {err}.")
            continue
        click.echo(f"Password saved. Next time: teachback learn --learner {user.username}")
        return
    click.echo("No password saved: ask your instructor for a new code to continue.")


def _hidden(label: str) -> str:
    """A hidden prompt; end of input or Ctrl-C is an empty answer (the learner is leaving)."""
    try:
        return click.prompt(label, hide_input=True, default="", show_default=False)
    except click.Abort:
        click.echo()
        return ""
