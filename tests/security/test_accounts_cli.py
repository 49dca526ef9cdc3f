"""``teachback users`` and the accounts ``quickstart`` makes, through the real CLI and store."""

from __future__ import annotations

import re

from click.testing import CliRunner

from teachback.cli import cli
from teachback.curricula import accounts
from teachback.curricula.db import open_db


def run(db_file, *args, input=None):
    result = CliRunner().invoke(cli, ["users", *args, "--db", str(db_file)], input=input)
    return result


def test_add_invite_list_passwd_disable(tmp_path):
    db_file = tmp_path / "t.db"
    made = run(db_file, "add", "grace", "--role", "instructor", "--name", "Grace Hopper",
               input="a long passphrase\na long passphrase\n")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "Added instructor grace (Grace Hopper)." in made.output
    learner = run(db_file, "add", "ada", "--base-url", "http://class.example.org:8501")
    assert learner.exit_code == 0, learner.output
    code = re.search(r"once\): ([A-Z0-9-]{14})$", learner.output, re.M).group(1)
    assert f"http://class.example.org:8501/?code={code.replace('-', '')}" in learner.output
    listed = run(db_file, "list")
    assert listed.output.splitlines() == [
        "grace  instructor  password       Grace Hopper",
        "ada    learner     one-time code  ada",
    ]
    db = open_db(db_file)
    assert accounts.sign_in_with_code(db, code)[1].username == "ada"
    db.close()
    again = run(db_file, "invite", "ada")
    assert again.exit_code == 0 and "Sign-in link: http://localhost:8501/?code=" in again.output
    changed = run(db_file, "passwd", "ada", "--password-stdin", input="her own words\n")
    assert changed.exit_code == 0 and changed.output == "Password of ada changed.\n"
    assert "ada" in run(db_file, "disable", "ada").output
    db = open_db(db_file)
    assert accounts.find_user(db, "ada").disabled and accounts.find_user(db, "ada").has_password
    db.close()


def test_errors_are_one_line_and_change_nothing(tmp_path):
    db_file = tmp_path / "t.db"
    run(db_file, "add", "ada")
    taken = run(db_file, "add", "ADA")
    assert taken.exit_code != 0 and str(taken.exception) == "the username 'ada' is taken"
    missing = run(db_file, "invite", "nobody")
    assert "no account named 'nobody'" in str(missing.exception)


def test_every_users_command_has_help_with_an_example():
    for command in ("add", "invite", "list", "passwd", "disable"):
        result = CliRunner().invoke(cli, ["users", command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output
        assert "teachback users " + command in result.output


def test_quickstart_makes_an_instructor_once_and_a_learner_link_each_time(tmp_path):
    from teachback.cli.serve_cmd import ensure_accounts

    db_file = tmp_path / "q.db"
    lines: list[str] = []
    ensure_accounts(db_file, "http://localhost:8501", echo=lines.append)
    password = re.search(r"password: (\S+)", lines[0]).group(1)
    link = re.search(r"(http://localhost:8501/\?code=\w+)", lines[1]).group(1)
    more: list[str] = []
    ensure_accounts(db_file, "http://localhost:8501", echo=more.append)
    assert len(more) == 1 and "sign-in link" in more[0]  # no new instructor, no password shown
    db = open_db(db_file)
    assert accounts.sign_in(db, "instructor", password)[1].is_instructor
    _, learner = accounts.sign_in_with_code(db, link.rsplit("=", 1)[1])
    assert learner.username == "learner"
    db.close()
