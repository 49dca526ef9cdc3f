"""Source triage: a folder is read as a user means it (tests, data, licences left out)."""

from pathlib import Path

from click.testing import CliRunner

from teachback.cli.ingest_cmd import ingest
from teachback.ingest.readers import load_sources
from teachback.ingest.readers.triage import triage


def test_triage_reasons_for_what_is_not_material():
    cases = {
        ("tests", "fixtures", "corpus.txt"): "test fixture",
        ("pkg", "test_model.py"): "test fixture",
        ("conftest.py",): "test fixture",
        ("vendor", "six.py"): "vendored",
        ("docs", "_build", "index.html"): "generated",
        ("LICENSE.md",): "licence",
        ("poetry.lock",): "lock or project file",
        ("requirements-dev.txt",): "lock or project file",
        ("data", "input.txt"): "data file",
        ("results.csv",): "data file",
        ("config", "train_gpt2.py"): "configuration",
        ("README.md",): None,
        ("docs", "guide.md"): None,
        ("model.py",): None,
        ("data", "shakespeare", "prepare.py"): None,
        ("notebooks", "intro.ipynb"): None,
    }
    assert {parts: triage(list(parts)) for parts in cases} == cases


def _repo(root: Path) -> Path:
    files = {
        "README.md": "# Widgets\n\nA **widget** is a small part that does one job.\n",
        "widgets.py": '"""Widgets."""\n\ndef make():\n    """Make a widget."""\n',
        "tests/fixtures/sample.txt": "Lorem ipsum dolor sit amet, a fixture for the tests.\n",
        "tests/test_widgets.py": "def test_make():\n    assert True\n",
        "LICENSE.txt": "MIT License\n\nPermission is hereby granted, free of charge.\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_folder_leaves_out_tests_and_licences_and_says_why(tmp_path):
    repo = _repo(tmp_path / "repo")
    result = load_sources(repo)
    read = sorted(Path(d.path).relative_to(repo).as_posix() for d in result.documents)
    assert read == ["README.md", "widgets.py"]
    assert sorted((Path(p).relative_to(repo).as_posix(), why) for p, why in result.triaged) == [
        ("LICENSE.txt", "licence"),
        ("tests/fixtures/sample.txt", "test fixture"),
        ("tests/test_widgets.py", "test fixture"),
    ]


def test_include_and_exclude_patterns_override_triage(tmp_path):
    repo = _repo(tmp_path / "repo")
    result = load_sources(repo, include=["tests/fixtures/"], exclude=["widgets.py"])
    read = sorted(Path(d.path).relative_to(repo).as_posix() for d in result.documents)
    assert read == ["README.md", "tests/fixtures/sample.txt"]
    assert ("widgets.py", "excluded by --exclude") in {
        (Path(p).relative_to(repo).as_posix(), why) for p, why in result.triaged
    }


def test_a_file_named_directly_is_always_read(tmp_path):
    repo = _repo(tmp_path / "repo")
    result = load_sources(repo / "tests" / "fixtures" / "sample.txt")
    assert [Path(d.path).name for d in result.documents] == ["sample.txt"]
    assert result.triaged == []


def test_ingest_summary_lists_what_it_left_out(tmp_path):
    repo = _repo(tmp_path / "repo")
    db = tmp_path / "t.db"
    out = CliRunner().invoke(
        ingest,
        [str(repo), "--db", str(db), "--no-exercises", "--no-progress"],
    )
    assert out.exit_code == 0, out.output
    lines = [
        ln for ln in out.output.splitlines() if "not course material" in ln or "skipped:" in ln
    ]
    assert lines == [
        "Left out 3 files that are not course material: 2 test fixture, 1 licence "
        "(--include PATTERN reads them anyway):",
        f"  skipped: {repo / 'LICENSE.txt'} (licence)",
        f"  skipped: {repo / 'tests' / 'fixtures' / 'sample.txt'} (test fixture)",
        f"  skipped: {repo / 'tests' / 'test_widgets.py'} (test fixture)",
    ]
