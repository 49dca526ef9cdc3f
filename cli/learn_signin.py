"""How the terminal tutor signs a learner in and out: the same accounts as the web UI (a
one-time code, or a username and a hidden password), a session this computer remembers so the
next ``teachback learn`` continues (``learn_session``), and a password offered to a learner
whose code is spent so they can also sign in elsewhere."""

from __future__ import annotations

import shlex

import click

from teachback.cli import learn_session


def sign_in(db, db_path, username: str | None, code: str | None):
    """The terminal's sign-in. Without a code, the session this computer remembers for this
    store continues (when it is still valid and, given ``username``, that person's); else a
    one-time code, or a username and password (asked, hidden), through the same accounts as the
    web UI, and the new session is remembered. Returns ``(token, user)``."""
    from teachback.curricula import accounts

    token, warning = learn_session.saved_token(db_path)
    if warning:
        click.secho(f"Note: {warning}.", fg="yellow")
    saved = accounts.user_for_token(db, token) if token else None
    if token and saved is None:
        learn_session.forget_token(db_path)  # expired or signed out elsewhere
    if saved is not None and not code and _same_person(saved, username):
        click.secho(f"Signed in as {saved.username} (remembered on this computer).", dim=True)
        return token, saved
    try:
        if code:
            new = accounts.sign_in_with_code(db, code, client="terminal")
        else:
            name = (username or click.prompt("Username")).strip()
            password = click.prompt("Password", hide_input=True)
            new = accounts.sign_in(db, name, password, client="terminal")
    except accounts.SignInFailed as err:
        if code and saved is not None:
            raise accounts.SignInFailed(
                f"{err}; you are still signed in here as {saved.username}: run "
                "`teachback learn` without --code to continue"
            ) from None
        raise
    replaced = learn_session.save_token(db_path, new[0])
    if replaced:
        accounts.sign_out(db, replaced)  # one remembered session per store on this computer
    return new


def _same_person(user, username: str | None) -> bool:
    return username is None or username.strip().lower() == user.username


def sign_out(db, db_path) -> str:
    """``teachback learn --sign-out``: end the remembered session (here and in the store)."""
    from teachback.curricula import accounts

    token = learn_session.forget_token(db_path)
    user = accounts.user_for_token(db, token) if token else None
    accounts.sign_out(db, token)
    if user is None:
        return "Nobody was signed in to the terminal tutor on this computer."
    return f"Signed out {user.username}: the next `teachback learn` asks who you are."


def resume_command(db_option, curriculum: str | None) -> str:
    """The command that continues where the learner stopped (no code: the session is kept).

    >>> resume_command(None, "samples")
    'teachback learn --curriculum samples'
    """
    words = ["teachback learn"]
    if db_option:
        words.append(f"--db {shlex.quote(str(db_option))}")
    if curriculum:
        words.append(f"--curriculum {shlex.quote(curriculum)}")
    return " ".join(words)


def stopped(db, user, command: str) -> None:
    """What a learner who stops is told: how to continue, and for one who came with a code and
    has no password, a password offered to sign in elsewhere too."""
    from teachback.curricula import accounts

    days = accounts.SESSION_TTL.days
    click.echo(
        f"Stopped. Run `{command}` to continue where you left off: this computer keeps you "
        f"signed in for {days} days (`teachback learn --sign-out` signs you out)."
    )
    if not user.has_password:
        offer_password(db, user)


def offer_password(db, user, tries: int = 3) -> None:
    """A learner who came in with a one-time code has spent it: offer a password to come back
    with (as the web's Account page does), else say how to come back."""
    from teachback.curricula import accounts
    from teachback.errors import TeachbackError

    click.echo(
        "Your one-time code is used up. To sign in on the web page or another computer too, "
        "choose a password (at least 8 characters; Enter to skip)."
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
        click.echo(f"Password saved. Elsewhere: teachback learn --learner {user.username}")
        return
    click.echo(
        "No password saved: once this computer forgets you, ask your instructor for a new code."
    )


def _hidden(label: str) -> str:
    """A hidden prompt; end of input or Ctrl-C is an empty answer (the learner is leaving)."""
    try:
        return click.prompt(label, hide_input=True, default="", show_default=False)
    except click.Abort:
        click.echo()
        return ""
