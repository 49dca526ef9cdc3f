"""``teachback users``: the accounts of a store (instructors and learners) from the terminal.

Whoever can run this can open the store file, so it asks for no sign-in: it is the way to make
the first instructor and to recover a lost password.
"""

from __future__ import annotations

import sys

import click

from teachback.cli.options import db_option, store_path

_base_url = click.option(
    "--base-url",
    default="http://localhost:8501",
    show_default=True,
    envvar="TEACHBACK_PUBLIC_URL",
    help="The address learners open, for the sign-in link ($TEACHBACK_PUBLIC_URL).",
)


def _open(db_path):
    from teachback.curricula.db import open_db

    return open_db(store_path(db_path))


def _new_password(username: str, from_stdin: bool) -> str:
    """A password from standard input (one line) or asked twice, hidden."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    try:
        return click.prompt(f"Password for {username}", hide_input=True, confirmation_prompt=True)
    except click.Abort:  # no terminal to ask on (a script, CI): say what to pass instead
        raise click.UsageError(
            "no password given: type it when asked, or pass --password-stdin "
            "(or --no-password for a learner who signs in with a one-time code)"
        ) from None


def echo_code(username: str, code: str, base_url: str) -> None:
    from teachback.curricula.accounts import sign_in_link

    click.echo(f"One-time sign-in code for {username} (valid 7 days, once): {code}")
    click.echo(f"Sign-in link: {sign_in_link(code, base_url)}")


@click.group()
def users():
    """Instructor and learner accounts: add, invite, list, set a password, disable; who owns
    a curriculum (owner) and who else may change it (share).

    \b
    Example:
        teachback users add grace --role instructor --name "Grace Hopper"
        teachback users add ada --name "Ada Lovelace"
        teachback users invite ada
        teachback users list
        teachback users share biology grace
    """


@users.command("add")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(["learner", "instructor"]),
    default="learner",
    show_default=True,
    help="What the account may do.",
)
@click.option("--name", "display_name", default=None, help="Display name (default: username).")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)
@click.option(
    "--no-password",
    is_flag=True,
    help="Learners only: no password; print a one-time sign-in code instead (the default "
    "for learners).",
)
@_base_url
@db_option
def add(username, role, display_name, password_stdin, no_password, base_url, db_path):
    """Add an account. An instructor sets a password now; a learner gets a one-time code.

    \b
    Example:
        teachback users add grace --role instructor --name "Grace Hopper"
        teachback users add ada --name "Ada Lovelace"
        echo 'a long passphrase' | teachback users add bob --password-stdin
    """
    from teachback.curricula import accounts

    db = _open(db_path)
    password = None
    if role == "instructor" or password_stdin:
        if no_password and role == "instructor":
            raise click.UsageError("an instructor account needs a password")
        password = _new_password(username, password_stdin)
    user = accounts.create_user(
        db, username, role, display_name=display_name, password=password, created_by="cli"
    )
    click.echo(f"Added {user.role} {user.username} ({user.display_name}).")
    if user.role == "learner" and not user.has_password:
        echo_code(user.username, accounts.issue_code(db, user.username, created_by="cli"), base_url)


@users.command("invite")
@click.argument("username")
@_base_url
@db_option
def invite(username, base_url, db_path):
    """Print a one-time sign-in code and link for a learner (also to claim an account that
    came from a learner name typed before accounts existed).

    \b
    Example:
        teachback users invite ada --base-url http://class.example.org:8501
    """
    from teachback.curricula import accounts

    db = _open(db_path)
    user = accounts.require_user(db, username)
    echo_code(user.username, accounts.issue_code(db, user.username, created_by="cli"), base_url)


@users.command("list")
@click.option("--role", type=click.Choice(["learner", "instructor"]), default=None)
@db_option
def list_(role, db_path):
    """List the accounts: username, role, how they sign in, display name.

    \b
    Example:
        teachback users list --role instructor
    """
    from teachback.curricula import accounts

    people = accounts.list_users(_open(db_path), role)
    if not people:
        click.echo("No accounts yet: add one with `teachback users add NAME --role instructor`.")
        return
    width = max(len(p.username) for p in people)
    for p in people:
        how = "password" if p.has_password else "one-time code"
        state = "  (disabled)" if p.disabled else ""
        click.echo(f"{p.username:<{width}}  {p.role:<10}  {how:<13}  {p.display_name}{state}")


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
def passwd(username, password_stdin, db_path):
    """Set a new password for an account (e.g. an instructor who lost theirs).

    \b
    Example:
        teachback users passwd grace
    """
    from teachback.curricula import accounts

    db = _open(db_path)
    user = accounts.require_user(db, username)
    accounts.set_password(db, user.username, _new_password(user.username, password_stdin))
    click.echo(f"Password of {user.username} changed.")


@users.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Enable the account again instead.")
@db_option
def disable(username, enable, db_path):
    """Disable an account (signed out everywhere; its data is kept), or enable it again.

    \b
    Example:
        teachback users disable ada
        teachback users disable ada --enable
    """
    from teachback.curricula import accounts

    user = accounts.set_disabled(_open(db_path), username, not enable)
    click.echo(f"{user.username} is {'disabled' if user.disabled else 'enabled'}.")


@users.command("owner")
@click.argument("curriculum")
@click.argument("username", required=False)
@db_option
def owner(curriculum, username, db_path):
    """Show who owns a curriculum (and who it is shared with), or hand it to an instructor.

    \b
    Example:
        teachback users owner biology
        teachback users owner biology grace
    """
    from teachback.curricula import ownership

    db = _open(db_path)
    if username:
        user = ownership.set_owner(db, curriculum, username)
        click.echo(f"{curriculum} now belongs to {user.username} ({user.display_name}).")
        return
    found = ownership.owner_of(db, curriculum)
    click.echo(
        f"{curriculum} belongs to {found.username} ({found.display_name})."
        if found
        else f"Nobody owns {curriculum} yet: the first instructor who changes it claims it."
    )
    shared = ownership.editors_of(db, curriculum)
    if shared:
        click.echo("Shared with: " + ", ".join(f"{u.username} ({u.display_name})" for u in shared))


@users.command("share")
@click.argument("curriculum")
@click.argument("username")
@click.option("--remove", is_flag=True, help="Take the instructor's access away instead.")
@db_option
def share(curriculum, username, remove, db_path):
    """Let another instructor edit, publish and teach a curriculum as a co-owner (or, with
    --remove, no longer).

    \b
    Example:
        teachback users share biology ines
        teachback users share biology ines --remove
    """
    from teachback.curricula import ownership

    db = _open(db_path)
    if remove:
        gone = ownership.unshare(db, curriculum, username)
        click.echo(
            f"{username} can no longer change {curriculum}."
            if gone
            else f"{curriculum} was not shared with {username}."
        )
        return
    user = ownership.share(db, curriculum, username)
    click.echo(f"{user.username} ({user.display_name}) can now change {curriculum}.")
