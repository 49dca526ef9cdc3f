"""``teachback learn`` as a learner sees it in a terminal: code kept as code in "Reread:", an
option accepted by its text, a which-function question asked without the lesson that answers
it, and a one-time code not spent by a start that cannot happen."""

from __future__ import annotations

import click
from click.testing import CliRunner

from teachback.cli import cli
from teachback.cli.learn_cmd import ask_answer, show_feedback
from teachback.curricula import accounts
from teachback.tests.session_fixture import build_fixture_curriculum, which_function_only
from teachback.tests.signin import make_user

CODE = (
    "def bucket_index(key: str, capacity: int) -> int:\n"
    '    """Reduce the hash of key to a bucket index."""\n'
    "    if capacity <= 0:\n"
    '        raise ValueError("capacity must be positive")\n'
    "    return fnv1a(key) % capacity"
)


def test_reread_keeps_the_lines_of_code_and_joins_wrapped_prose(capsys):
    feedback = {"verdict": "correct", "score": 1.0, "feedback": "", "missing": []}
    show_feedback({**feedback, "citations": [{"quote": CODE, "source": "s"}]})
    out = capsys.readouterr().out
    shown = "\n".join("    " + line for line in CODE.splitlines())
    assert "Reread: \n" + shown + "\n" in out
    show_feedback(
        {**feedback, "citations": [{"quote": "A key must\nnever change.", "source": "s"}]}
    )
    assert "Reread: A key must never change.\n" in capsys.readouterr().out


def _ask(payload: dict, keys: str) -> str:
    @click.command()
    def asking():
        click.echo(f"ANSWER={ask_answer(payload)!r}")

    return CliRunner().invoke(asking, input=keys).output


def test_a_multiple_choice_is_answered_by_its_number_or_its_text():
    payload = {
        "type": "exercise",
        "exercise": {
            "kind": "multiple_choice",
            "prompt": "Which term fills the blank?",
            "choices": ["``key``", "value", "bucket_index()", "hash value"],
        },
    }
    assert "ANSWER='value'" in _ask(payload, "value\n")
    assert "ANSWER='``key``'" in _ask(payload, " Key \n")  # as shown: no code marks, any case
    assert "ANSWER='bucket_index()'" in _ask(payload, "bucket_index\n")
    assert "ANSWER='hash value'" in _ask(payload, "4\n")
    out = _ask(payload, "hash\n2\n")  # not an option: asked again
    assert "Pick a number from 1 to 4, or type one of the options as shown." in out
    assert "ANSWER='value'" in out


def test_a_which_function_question_comes_without_the_lesson_or_name_that_answer_it(db):
    which_function_only(db)
    make_user(db, "bo", name="Bo")
    path = db.execute("pragma database_list").fetchone()[2]
    args = ["learn", "--db", path, "--curriculum", "water", "--learner", "bo"]
    from teachback.tests.signin import PASSWORD

    # Teach first: the lesson (which would answer the question) is a step of its own, read
    # before the question comes; then lessons of other concepts, then the question
    keys = f"{PASSWORD}\n" + "\n" * 8 + "?\nevaporation\nq\n"
    out = CliRunner().invoke(cli, args, input=keys).output
    lesson, question = out.split("Which function is this?")[0].rsplit("\n== ", 1)
    assert "== Evaporation ==" in lesson
    assert "Read the lesson above first: its questions come afterwards, without it." in lesson
    assert question.startswith("Name that function ==")
    assert "Evaporation" not in question  # neither the name nor its lesson or reminder
    assert "No lesson with this question: it would give the answer away." in out
    assert "Correct" in out


def test_a_failed_start_does_not_spend_the_sign_in_code_and_publish_lets_it_start(db):
    build_fixture_curriculum(db, "draft")  # never published
    make_user(db, "ada", name="Ada", password=None)
    code = accounts.issue_code(db, "ada", created_by="test")
    path = db.execute("pragma database_list").fetchone()[2]
    runner = CliRunner()
    learn = ["learn", "--db", path, "--curriculum", "draft", "--code", code]
    refused = runner.invoke(cli, learn, input="q\n")
    assert refused.exit_code != 0
    assert "not published yet" in str(refused.exception)
    assert "teachback publish" in str(refused.exception)  # what a terminal-only teacher runs
    published = runner.invoke(cli, ["publish", "--db", path, "--curriculum", "draft"])
    assert published.exit_code == 0, published.output
    assert published.output.splitlines() == [
        "Published 'draft' as version 1: 4 concepts added, 0 changed, 0 removed, 0 unchanged.",
        "Learners can start it: teachback learn --curriculum draft",
    ]
    started = runner.invoke(cli, learn, input="q\n")
    assert started.exit_code == 0, started.output
    assert "teachback: Ada learning 'draft'" in started.output


def test_a_learner_who_came_with_a_code_can_choose_a_password_to_come_back(db):
    build_fixture_curriculum(db, "draft")
    make_user(db, "ada", name="Ada", password=None)
    path = db.execute("pragma database_list").fetchone()[2]
    runner = CliRunner()
    assert runner.invoke(cli, ["publish", "--db", path, "--curriculum", "draft"]).exit_code == 0
    code = accounts.issue_code(db, "ada", created_by="test")
    learn = ["learn", "--db", path, "--curriculum", "draft"]
    weak, good = "short", "tidal basin 42"
    first = runner.invoke(
        cli, [*learn, "--code", code], input=f"q\n{weak}\n{weak}\n{good}\n{good}\n"
    )
    assert first.exit_code == 0, first.output
    assert "Your one-time code is used up" in first.output
    assert "Not saved: a password needs at least 8 characters." in first.output
    assert "Password saved. Elsewhere: teachback learn --learner ada" in first.output
    runner.invoke(cli, ["learn", "--db", path, "--sign-out"])  # another computer, in effect
    again = runner.invoke(cli, [*learn, "--learner", "ada"], input=f"{good}\nq\n")
    assert again.exit_code == 0, again.output
    assert "teachback: Ada learning 'draft'" in again.output
    assert "Your one-time code is used up" not in again.output  # a password: nothing to offer


def _published_with_a_code(db) -> tuple[str, CliRunner, str]:
    """The fixture curriculum published, and learner Bo, who has no password, with a one-time
    sign-in code: (database path, runner, code)."""
    build_fixture_curriculum(db, "draft")
    make_user(db, "bo", name="Bo", password=None)
    path = db.execute("pragma database_list").fetchone()[2]
    runner = CliRunner()
    runner.invoke(cli, ["publish", "--db", path, "--curriculum", "draft"])
    code = accounts.issue_code(db, "bo", created_by="test")
    return path, runner, code


def test_a_learner_who_came_with_a_code_continues_without_one(db):
    """Review 16: "Run the same command to continue" pointed at a code already spent. The
    session is kept: `teachback learn` continues; the spent code says how to continue."""
    path, runner, code = _published_with_a_code(db)
    out = runner.invoke(cli, ["learn", "--db", path, "--code", code], input="1\nq\n\n").output
    assert f"Stopped. Run `teachback learn --db {path}` to continue where you left off" in out
    assert "No password saved: once this computer forgets you, ask your instructor" in out
    again = runner.invoke(cli, ["learn", "--db", path], input="q\n\n")
    assert again.exit_code == 0, again.output
    assert "Signed in as bo (remembered on this computer)." in again.output
    assert "teachback: Bo learning 'draft'" in again.output
    assert db["attempts"].count == 1  # the first run's answer, resumed after
    spent = runner.invoke(cli, ["learn", "--db", path, "--code", code], input="q\n")
    assert str(spent.exception) == (
        "this sign-in code is wrong, used or expired: ask for a new one; you are still signed "
        "in here as bo: run `teachback learn` without --code to continue"
    )
    # Another learner's name is not the remembered one: that learner is asked for a password.
    other = runner.invoke(cli, ["learn", "--db", path, "--learner", "ada"], input="x\n")
    assert "Password:" in other.output and "Signed in as" not in other.output
    assert str(other.exception) == "wrong username or password"


def test_the_remembered_sign_in_is_private_and_expires(db, monkeypatch):
    import os
    import stat
    from datetime import timedelta

    from teachback.cli import learn_session
    from teachback.curricula import accounts_signin

    path, runner, code = _published_with_a_code(db)
    runner.invoke(cli, ["learn", "--db", path, "--code", code], input="q\n\n")
    saved = learn_session.sessions_file()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    token, _ = learn_session.saved_token(path)
    assert accounts.user_for_token(db, token).username == "bo"
    assert token not in str(list(db.query("select * from auth_sessions")))  # only its hash
    # Readable by others: not used, and said so.
    os.chmod(saved, 0o644)
    shared = runner.invoke(cli, ["learn", "--db", path], input="x\n")
    assert "is readable by other users, so it was not used" in shared.output
    assert "Signed in as" not in shared.output
    os.chmod(saved, 0o600)
    # Past its expiry the store refuses it, and this computer forgets it.
    monkeypatch.setattr(accounts_signin, "SESSION_TTL", timedelta(seconds=-1))
    code = accounts.issue_code(db, "bo", created_by="test")
    runner.invoke(cli, ["learn", "--db", path, "--code", code], input="q\n\n")
    late = runner.invoke(cli, ["learn", "--db", path], input="x\n")
    assert "Signed in as" not in late.output and "Username:" in late.output
    assert learn_session.saved_token(path) == (None, None)


def test_a_matching_question_lists_its_descriptions_once():
    descriptions = ["one slot of the table's array", "two keys in one bucket"]
    prompt = "Match each term to its description.\n\nTerms: **bucket**, **collision**\n\n"
    prompt += "Descriptions:\n" + "\n".join(f"{i}. {d}" for i, d in enumerate(descriptions, 1))
    payload = {
        "type": "exercise",
        "exercise": {
            "kind": "matching",
            "prompt": prompt,
            "items": ["bucket", "collision"],
            "choices": descriptions,
        },
    }
    out = _ask(payload, "1\n2\n")
    assert out.split("ANSWER=")[0].count("one slot of the table's array") == 1
    assert 'ANSWER=["bucket => one slot of the table\'s array", ' in out
    unlisted = {**payload, "exercise": {**payload["exercise"], "prompt": "Match each term."}}
    assert "  1. one slot of the table's array" in _ask(unlisted, "1\n2\n")


def test_question_mark_shows_the_whole_lesson_when_only_its_key_idea_was_shown(capsys):
    """Review 17: `?` printed the one-line reminder again, not the lesson the question was
    about, and "(the lesson is above)" was said when only the reminder was."""
    from teachback.cli.learn_cmd import show_lesson

    whole = (
        "**hash function**\n\nA hash function turns a key into a number.\n\nIt is deterministic."
    )
    payload = {
        "concept": {"id": "c/hash-function", "name": "hash function"},
        "lesson": {
            "text": "A hash function turns a key into a number.",
            "brief": True,
            "whole": whole,
            "angle": "lesson",
        },
    }
    shown = show_lesson(payload, None)
    assert capsys.readouterr().out == (
        "The key idea (? shows the whole lesson):\nA hash function turns a key into a number.\n"
    )
    show_lesson(payload, shown)  # the same reminder on the next question
    assert capsys.readouterr().out == "(the key idea is above; ? shows the whole lesson)\n"
    show_lesson(payload, shown, again=True)  # `?`
    assert capsys.readouterr().out == (
        "hash function\n\nA hash function turns a key into a number.\n\nIt is deterministic.\n"
    )


def test_emphasis_wrapped_over_a_line_break_is_rendered_in_a_terminal_lesson():
    """Review 17: "**Direct\\naddressing**" reached the terminal with its Markdown stars."""
    from teachback.cli.learn_cmd import _plain

    lesson = "slot numbers. **Direct\naddressing** is storing *the\nvalue* in slot k."
    assert _plain(lesson) == "slot numbers. Direct\naddressing is storing the\nvalue in slot k."
    # not across a paragraph, and arithmetic stays as written
    assert _plain("**a\n\nb** and 2 * 3 * 4") == "**a\n\nb** and 2 * 3 * 4"


def test_a_recall_shows_no_lesson_and_question_mark_brings_it(capsys):
    from teachback.cli.learn_cmd import show_lesson

    payload = {
        "concept": {"id": "c/key", "name": "key"},
        "lesson": {"text": "", "recall": True, "whole": "A key names an item.", "brief": False},
    }
    show_lesson(payload, None)
    assert capsys.readouterr().out == "From memory this time (? shows the lesson).\n"
    show_lesson(payload, None, again=True)
    assert capsys.readouterr().out == "A key names an item.\n"


def test_markdown_escapes_read_as_their_characters_outside_code():
    """A list point stored as ``10\\.`` (so Markdown does not renumber it) reads "10."; an
    escaped star is a star, not emphasis; a code span keeps its backslash."""
    from teachback.cli.learn_cmd import _plain

    text = r"10\. **Robotics**: 2 \* 3 is \*not\* emphasis; `a\.b` is code."
    assert _plain(text) == r"10. Robotics: 2 * 3 is *not* emphasis; a\.b is code."
