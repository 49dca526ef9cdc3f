"""`teachback ingest` / `export` / `import`: CliRunner for behaviour, one real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from teachback.cli import cli, main
from teachback.cli.export_cmd import export
from teachback.cli.ingest_cmd import ingest


def test_ingest_reports_bad_files_in_one_line_and_exports(tmp_path, corpus):
    (corpus / "broken.ipynb").write_text('{"cells": [')
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    result = runner.invoke(
        ingest, [str(corpus), "--db", db, "--curriculum", "bio", "--no-progress"]
    )
    assert result.exit_code == 1, result.output  # one source failed; the others landed
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "broken.ipynb" in errors[0]
    assert "Traceback" not in result.output
    assert "Ingested 2 sources (2 new) into curriculum 'bio'" in result.stdout

    out = tmp_path / "out.json"
    result = runner.invoke(export, ["--db", db, "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["curriculum"]["id"] == "bio"  # the only curriculum is the default
    assert {"osmosis", "turgor"} <= {c["name"].lower() for c in data["concepts"]}


def test_ingest_exits_non_zero_when_every_input_failed(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.md").write_text("")
    (bad / "broken.ipynb").write_text("{")
    result = CliRunner().invoke(ingest, [str(bad), "--db", str(tmp_path / "b.db"), "--no-progress"])
    assert result.exit_code == 1
    assert "empty.md" in result.stderr and "broken.ipynb" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_size_limit_option_names_the_file(tmp_path, corpus):
    (corpus / "big.md").write_text("# Big\n\n" + "Word and more words here. " * 50_000)
    result = CliRunner().invoke(
        ingest,
        [str(corpus), "--db", str(tmp_path / "l.db"), "--max-file-mb", "0.5", "--no-progress"],
    )
    assert result.exit_code == 1  # the big file was refused; the rest landed
    lines = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert len(lines) == 1 and "big.md" in lines[0]


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for name in ("ingest", "export", "import"):
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output and f"teachback {name}" in result.output


def test_import_of_a_corrupt_file_is_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "teachback-curr')
    try:
        main(["import", str(bad), "--db", str(tmp_path / "i.db")])
    except SystemExit as exit_:
        assert exit_.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.json" in err[0] and err[0].startswith("Error:")


def test_export_unknown_curriculum_is_one_line_error(tmp_path, capsys):
    try:
        main(
            [
                "export",
                "--db",
                str(tmp_path / "u.db"),
                "--curriculum",
                "nope",
                "-o",
                str(tmp_path / "x.json"),
            ]
        )
    except SystemExit as exit_:
        assert exit_.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["Error: no curriculum 'nope'"]


def test_real_subprocess_ingest_and_export(tmp_path, corpus):
    """The installed console script, as a user runs it (real engine; no test doubles)."""
    exe = Path(sys.executable).with_name("teachback")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "teachback"]
    db, out = tmp_path / "p.db", tmp_path / "p.json"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    p = subprocess.run(
        [*cmd, "ingest", str(corpus), "--db", str(db), "--no-progress"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert p.returncode == 0, p.stderr
    assert "Ingested 2 sources" in p.stdout
    p = subprocess.run(
        [*cmd, "export", "--db", str(db), "--format", "json", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(out.read_text())
    assert data["concepts"] and data["lessons"]
    # without -o the JSON goes to stdout, as a new user first tries it
    p = subprocess.run([*cmd, "export", "--db", str(db)], capture_output=True, text=True,
                       timeout=300, env=env)  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["concepts"] == data["concepts"]
    p = subprocess.run([*cmd, "export", "--db", str(db), "--format", "markdown"],
                       capture_output=True, text=True, timeout=300, env=env)  # fmt: skip
    assert p.returncode == 2 and "--format markdown writes files" in p.stderr
    # '-' is no file name for Markdown with figures: an error, and nothing named '-' is written
    md = [*cmd, "export", "--db", str(db), "--format", "markdown", "-o"]
    p = subprocess.run([*md, "-"], capture_output=True, text=True, timeout=300, env=env,
                       cwd=tmp_path)  # fmt: skip
    assert p.returncode == 2 and "not to stdout" in p.stderr
    assert not (tmp_path / "-").exists()
    # a folder given: the Markdown file goes in it
    (tmp_path / "md").mkdir()
    p = subprocess.run([*md, str(tmp_path / "md")], capture_output=True, text=True,
                       timeout=300, env=env)  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert [f.suffix for f in (tmp_path / "md").iterdir() if f.is_file()] == [".md"]
    texts = {s["id"]: Path(s["path"]).read_text(encoding="utf-8") for s in data["sources"]}
    quotes = [e for c in data["concepts"] for e in c["evidence"]]
    assert quotes
    assert all(texts[e["source"]][e["start"] : e["end"]] == e["quote"] for e in quotes)
