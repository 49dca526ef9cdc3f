"""``teachback learn`` in a terminal, and ``serve``'s command line (no server started here)."""

import json

from click.testing import CliRunner

from teachback.cli import cli
from teachback.cli.serve_cmd import streamlit_command
from teachback.config import PACKAGE_DIR
from teachback.tests.signin import PASSWORD, make_user


def test_learn_in_the_terminal_answers_stops_and_resumes(water, tmp_path):
    db_file = water.execute("pragma database_list").fetchone()[2]
    ada = make_user(water, "ada", name="Ada")
    runner = CliRunner()
    args = ["learn", "--db", db_file, "--curriculum", "water", "--learner", "ada"]
    first = runner.invoke(cli, args, input=f"{PASSWORD}\n1\nq\n")
    assert first.exit_code == 0, first.output
    resume = f"teachback learn --db {db_file} --curriculum water"
    assert f"Stopped. Run `{resume}` to continue where you left off" in first.output
    assert water["attempts"].count == 1
    # The same command (or the one suggested) continues without the password: the store keeps
    # the session this computer remembers.
    second = runner.invoke(cli, args, input="q\n")
    assert second.exit_code == 0, second.output
    assert "Password" not in second.output
    assert "Signed in as ada (remembered on this computer)." in second.output
    assert "concepts mastered]" in second.output
    # The answer given before the stop came back as feedback: resumed, not restarted.
    assert any(w in second.output for w in ("Correct", "Not quite", "Partly right"))
    assert water["attempts"].count == 1
    row = next(water.query("select learner_id from attempts"))
    assert row["learner_id"] == ada.id  # the account's id, not one derived from a name
    assert water["auth_sessions"].count == 1  # one remembered session, not one per run
    out = runner.invoke(cli, ["learn", "--db", db_file, "--sign-out"])
    assert out.output == "Signed out ada: the next `teachback learn` asks who you are.\n"
    assert water["auth_sessions"].count == 0
    third = runner.invoke(cli, args, input="wrong password\n")
    assert str(third.exception) == "wrong username or password"  # signed out: asked again


def test_learn_names_a_missing_database(tmp_path):
    result = CliRunner().invoke(cli, ["learn", "--db", str(tmp_path / "none.db"), "--learner", "A"])
    assert result.exit_code != 0 and "none.db" in str(result.exception or result.output)


def test_serve_runs_streamlit_headless_on_the_packaged_app():
    cmd = streamlit_command(8765)
    assert cmd[1:4] == ["-m", "streamlit", "run"]
    assert cmd[4] == str(PACKAGE_DIR / "app.py")
    assert cmd[cmd.index("--server.headless") + 1] == "true"
    assert cmd[cmd.index("--server.port") + 1] == "8765"
    assert json.dumps(cmd)  # plain strings only


def test_serve_hides_streamlits_developer_chrome():
    """Production mode: no Deploy button or developer menu, no reruns on file edits."""
    cmd = streamlit_command(8765)
    assert cmd[cmd.index("--client.toolbarMode") + 1] == "viewer"
    assert cmd[cmd.index("--server.runOnSave") + 1] == "false"
    assert cmd[cmd.index("--server.fileWatcherType") + 1] == "none"


def test_quickstart_does_not_ingest_twice(tmp_path, monkeypatch):
    from teachback.cli import serve_cmd
    from teachback.curricula.db import open_db
    from teachback.ingest import pipeline
    from teachback.tests.session_fixture import build_fixture_curriculum

    db_file = tmp_path / "q.db"
    build_fixture_curriculum(open_db(db_file), "sample", publish=True)

    def must_not_run(*args, **kwargs):
        raise AssertionError("the sample curriculum was ingested again")

    monkeypatch.setattr(pipeline, "run_ingest", must_not_run)
    lines = []
    assert serve_cmd.ensure_sample(db_file, echo=lambda m, **kw: lines.append(m)) == "sample"
    assert "already in" in lines[0]


def _learn(water, keys: str):
    """``teachback learn`` signed in as bo (password first), then ``keys`` typed."""
    db_file = water.execute("pragma database_list").fetchone()[2]
    make_user(water, "bo", name="Bo")
    args = ["learn", "--db", db_file, "--curriculum", "water", "--learner", "bo"]
    result = CliRunner().invoke(cli, args, input=f"{PASSWORD}\n{keys}")
    assert result.exit_code == 0, result.output
    return result.output


def test_terminal_shows_blanks_source_titles_and_the_lesson_once(water):
    out = _learn(water, "9\nq\n")  # a fill-in-the-blank question first, answered wrong
    assert "Fill in the blank: _____ is water that falls" in out  # a visible blank, not "_"
    assert "(The water cycle)" in out and "src-" not in out  # the source's title, not its id
    assert "Not quite:" in out and "Not quite (" not in out  # the verdict once, no "(0%)"
    lesson = "Evaporation is the process by which liquid water turns into vapour"
    out = _learn(water, "2\n1\n")  # resumed: the next concept's lesson, then q via EOF
    assert out.count(lesson) >= 1


def test_terminal_asks_again_on_input_that_is_not_an_answer(water):
    out = _learn(water, "9\n" + "7\n\n1\nq\n")  # out of range, then empty, then a choice
    assert out.count("Pick a number from 1 to 3, or type one of the options as shown.") == 1
    assert "Type an answer" in out
    assert water["attempts"].count == 2  # the blank answer and the choice; nothing invented
    choice = next(water.query("select answer from attempts order by id desc limit 1"))["answer"]
    assert "Condensation" in choice


def test_terminal_lesson_on_request_and_the_hint_ladder(water):
    out = _learn(water, "9\nh\nh\n?\n2\nq\n")
    lesson = "Evaporation is the process by which liquid water turns into vapour when the sun"
    assert "Hint 1 of 3 (Where to look):" in out and "Hint 2 of 3 (A narrower cue):" in out
    assert "You can rule out:" in out
    assert out.count("\n" + lesson) == 2  # once with the question, once on "?"
    row = next(water.query("select hints from attempts order by id desc limit 1"))
    assert row["hints"] == 2
