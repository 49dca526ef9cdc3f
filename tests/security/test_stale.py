"""Small leftovers of issue 14: the notebook export says where it wrote its files."""

from __future__ import annotations

from click.testing import CliRunner

from teachback.cli import cli
from teachback.tests.session_fixture import build_fixture_curriculum


def test_notebook_export_names_the_folder_it_wrote_to(db, tmp_path):
    build_fixture_curriculum(db, publish=True)  # two units: one notebook each
    db_file = db.execute("pragma database_list").fetchone()[2]
    target = tmp_path / "course.ipynb"
    result = CliRunner().invoke(
        cli, ["export", "--db", db_file, "--format", "notebook", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "course").iterdir())
    assert len(written) == 2 and all(name.endswith(".ipynb") for name in written)
    assert not target.exists()
    assert result.output.strip() == (
        f"Exported 'water' as notebook to 2 files in {tmp_path / 'course'}."
    )
