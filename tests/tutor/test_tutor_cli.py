"""``teachback learn`` in a terminal, and ``serve``'s command line (no server started here)."""

import json

from click.testing import CliRunner

from teachback.cli import cli
from teachback.cli.serve_cmd import streamlit_command
from teachback.config import PACKAGE_DIR


def test_learn_in_the_terminal_answers_stops_and_resumes(water, tmp_path):
    db_file = water.execute("pragma database_list").fetchone()[2]
    runner = CliRunner()
    args = ["learn", "--db", db_file, "--curriculum", "water", "--learner", "Ada"]
    first = runner.invoke(cli, args, input="1\nq\n")
    assert first.exit_code == 0, first.output
    assert "Stopped. Run the same command" in first.output
    assert water["attempts"].count == 1
    second = runner.invoke(cli, args, input="q\n")
    assert second.exit_code == 0
    assert "[0/4 concepts mastered]" in second.output or "concepts mastered]" in second.output
    # The answer given before the stop came back as feedback: resumed, not restarted.
    assert any(w in second.output for w in ("Correct", "Not quite", "Partly right"))
    assert water["attempts"].count == 1
    row = next(water.query("select learner_id from attempts"))
    assert row["learner_id"] == "learner-ada"


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
    from teachback.tutor.session_fixture import build_fixture_curriculum

    db_file = tmp_path / "q.db"
    build_fixture_curriculum(open_db(db_file), "sample", publish=True)

    def must_not_run(*args, **kwargs):
        raise AssertionError("the sample curriculum was ingested again")

    monkeypatch.setattr(pipeline, "run_ingest", must_not_run)
    lines = []
    assert serve_cmd.ensure_sample(db_file, echo=lambda m, **kw: lines.append(m)) == "sample"
    assert "already in" in lines[0]
