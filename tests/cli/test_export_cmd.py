"""``teachback export --format markdown -o ...`` writes where a new user means: a FILE.md as
named, an existing folder or a new path without a suffix as a folder holding <curriculum>.md
and its figures (review 17: '-o /tmp/x' wrote a file named x and an x_figures/ beside it)."""

from __future__ import annotations

from click.testing import CliRunner

from teachback.cli import cli
from teachback.curricula.db import open_db
from teachback.tests.session_fixture import build_fixture_curriculum


def _store(tmp_path) -> str:
    path = tmp_path / "store.db"
    db = open_db(path)
    build_fixture_curriculum(db)
    db.close()
    return str(path)


def _export(store: str, output: str) -> str:
    args = ["export", "--db", store, "--curriculum", "water", "--format", "markdown", "-o", output]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_new_path_without_a_suffix_is_a_folder_with_the_markdown_file_in_it(tmp_path):
    store = _store(tmp_path)
    out = _export(store, str(tmp_path / "handout"))
    assert (tmp_path / "handout").is_dir()
    assert sorted(p.name for p in (tmp_path / "handout").iterdir() if p.is_file()) == ["water.md"]
    assert out.strip() == f"Exported 'water' as markdown to {tmp_path / 'handout' / 'water.md'}."
    assert not (tmp_path / "handout_figures").exists()


def test_a_path_ending_in_md_is_the_file_itself(tmp_path):
    store = _store(tmp_path)
    _export(store, str(tmp_path / "course.md"))
    assert (tmp_path / "course.md").is_file()
    assert (tmp_path / "course.md").read_text(encoding="utf-8").startswith("#")
