"""Loading: folders (with .gitignore), lists of files, zip archives, limits and progress."""

import io
import os
import time
import zipfile

import pytest

from teachback.config import IngestLimits
from teachback.errors import SourceError
from teachback.ingest.readers import load_sources, read_file


def _names(result, root):
    return sorted(os.path.relpath(d.path, root) for d in result.documents)


def _tree(root, files: dict[str, str | bytes]):
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content)


def test_folder_walk_honours_gitignore_and_default_ignores(tmp_path):
    _tree(
        tmp_path,
        {
            ".gitignore": "*.log.md\nsecret/\n",
            "README.md": "# Project\n\nHello.\n",
            "notes.log.md": "# ignored by .gitignore\n",
            "secret/plan.md": "# ignored folder\n",
            "pkg/__init__.py": "",
            "pkg/core.py": "def f():\n    return 1\n",
            "pkg/.gitignore": "generated_*.py\n!generated_keep.py\n",
            "pkg/generated_x.py": "x = 1\n",
            "pkg/generated_keep.py": "y = 2\n",
            "pkg/__pycache__/core.cpython-311.py": "junk = 1\n",
            ".git/config.md": "# not read\n",
            ".venv/lib/site.py": "z = 3\n",
            "node_modules/lib/index.js": "var a = 1;\n",
            "docs/guide.txt": "A guide.\n",
            "image.png": b"\x89PNG\r\n\x1a\n\x00\x00",
        },
    )
    calls = []
    result = load_sources(tmp_path, on_progress=lambda d, t, p: calls.append((d, t, p)))
    assert result.errors == []
    assert _names(result, tmp_path) == [
        "README.md",
        "docs/guide.txt",
        "pkg/core.py",
        "pkg/generated_keep.py",
    ]
    assert sorted(os.path.relpath(p, tmp_path) for p in result.skipped) == [
        "image.png",
        "pkg/__init__.py",
    ]
    # Progress: once with the total, then once per file, in order.
    assert calls[0] == (0, 4, "")
    assert [c[0] for c in calls[1:]] == [1, 2, 3, 4]
    assert all(c[1] == 4 for c in calls)
    assert [c[2] for c in calls[1:]] == [d.path for d in result.documents]
    core = next(d for d in result.documents if d.path.endswith("core.py"))
    assert core.meta["module"] == "pkg.core"


def test_a_list_of_files_and_folders(tmp_path):
    _tree(tmp_path, {"a.md": "# A\n\nx\n", "b.txt": "b\n", "dir/c.py": "c = 1\n"})
    result = load_sources([tmp_path / "a.md", str(tmp_path / "b.txt"), tmp_path / "dir"])
    assert result.errors == []
    assert [os.path.relpath(d.path, tmp_path) for d in result.documents] == [
        "a.md",
        "b.txt",
        "dir/c.py",
    ]
    assert [d.format for d in result.documents] == ["markdown", "text", "code"]
    # The same file named twice is read once.
    again = load_sources([tmp_path / "a.md", tmp_path, tmp_path / "a.md"])
    assert _names(again, tmp_path) == ["a.md", "b.txt", "dir/c.py"]


def test_missing_paths_are_errors_and_the_rest_loads(tmp_path):
    _tree(tmp_path, {"ok.md": "fine\n"})
    result = load_sources([tmp_path / "nope.md", tmp_path / "ok.md"])
    assert [str(e) for e in result.errors] == [f"{tmp_path / 'nope.md'}: no such file or folder"]
    assert _names(result, tmp_path) == ["ok.md"]


def _zip(files: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


def test_zip_archive_is_read_in_memory(tmp_path):
    archive = tmp_path / "course.zip"
    archive.write_bytes(
        _zip(
            {
                "course/intro.md": "# Intro\n\nA **stack** is last-in, first-out.\n",
                "course/lib/__init__.py": "",
                "course/lib/stack.py": '"""Stacks."""\n\ndef push(s, x):\n    s.append(x)\n',
                "course/.gitignore": "drafts/\n",
                "course/drafts/wip.md": "# not ready\n",
                "__MACOSX/course/._intro.md": "junk",
                "course/inner.zip": _zip({"x.md": "nested"}),
            }
        )
    )
    result = load_sources(archive)
    assert result.errors == []
    assert [d.path for d in result.documents] == [
        f"{archive}!course/intro.md",
        f"{archive}!course/lib/stack.py",
    ]
    stack = result.documents[1]
    assert stack.meta["module"] == "lib.stack"
    assert stack.section_text_matches()
    assert f"{archive}!course/inner.zip" in result.skipped
    assert not (tmp_path / "course").exists()  # nothing extracted


def test_zip_with_dotdot_and_absolute_paths(tmp_path):
    archive = tmp_path / "evil.zip"
    archive.write_bytes(
        _zip(
            {
                "../../etc/escape.md": "# climbing out\n",
                "/abs/path.md": "# absolute\n",
                "docs/../../up.md": "# also climbing\n",
                "good.md": "# Good\n\nStill read.\n",
            }
        )
    )
    result = load_sources(archive)
    assert [d.path for d in result.documents] == [f"{archive}!good.md"]
    problems = sorted(str(e) for e in result.errors)
    assert len(problems) == 3
    for line in problems:
        assert line.startswith(f"{archive}!")
        assert "unsafe path in zip archive" in line and "\n" not in line
    assert not (tmp_path.parent / "etc").exists() and not (tmp_path.parent / "up.md").exists()


def test_zip_bomb_and_member_limits(tmp_path):
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(_zip({"a.md": "0" * 3_000_000, "b.md": "0" * 3_000_000}))
    small = IngestLimits(max_file_bytes=10_000_000, max_zip_total_bytes=4_000_000)
    result = load_sources([bomb, _make(tmp_path, "ok.md", "# fine\n")], limits=small)
    assert len(result.errors) == 1
    assert result.errors[0].where == str(bomb)
    assert "would unpack to 5.7 MB" in result.errors[0].problem
    assert _names(result, tmp_path) == ["ok.md"]

    many = tmp_path / "many.zip"
    many.write_bytes(_zip({f"f{i}.md": "x" for i in range(12)}))
    result = load_sources(many, limits=IngestLimits(max_zip_members=10))
    assert [str(e) for e in result.errors] == [
        f"{many}: zip archive has 12 files, over the limit of 10; not read"
    ]

    big_member = tmp_path / "big.zip"
    big_member.write_bytes(_zip({"big.md": "y" * 50_000, "small.md": "# s\n"}))
    result = load_sources(big_member, limits=IngestLimits(max_file_bytes=10_000))
    assert [e.where for e in result.errors] == [f"{big_member}!big.md"]
    assert "over the 9.8 KB size limit" in result.errors[0].problem
    assert [d.path for d in result.documents] == [f"{big_member}!small.md"]


def test_corrupt_zip_is_an_error(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = load_sources([bad, _make(tmp_path, "ok.md", "fine\n")])
    assert [e.where for e in result.errors] == [str(bad)]
    assert "not a readable zip archive" in result.errors[0].problem
    assert _names(result, tmp_path) == ["ok.md"]


def _make(root, name, text):
    path = root / name
    path.write_text(text)
    return path


def test_size_limit_from_config_and_environment(tmp_path, monkeypatch):
    big = _make(tmp_path, "big.md", "word " * 5000)  # 25,000 bytes
    small = _make(tmp_path, "small.md", "# Small\n")
    result = load_sources(tmp_path, limits=IngestLimits(max_file_bytes=20_000))
    assert [str(e) for e in result.errors] == [
        f"{big}: file is 24.4 KB, over the 19.5 KB size limit "
        "(set TEACHBACK_MAX_FILE_MB to raise it)"
    ]
    assert [d.path for d in result.documents] == [str(small)]
    monkeypatch.setenv("TEACHBACK_MAX_FILE_MB", "7")
    assert IngestLimits().max_file_bytes == 7 * 1024 * 1024


def test_a_real_50_mb_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    import builtins

    from teachback.ingest.readers.loading import reading

    opened = []

    def spy_open(file, *args, **kwargs):
        opened.append(os.fspath(file))
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(reading, "open", spy_open, raising=False)
    huge = tmp_path / "huge.md"
    with open(huge, "wb") as fh:  # a real 50 MB file on disk (sparse, so quick to make)
        fh.truncate(50 * 1024 * 1024)
    assert huge.stat().st_size == 50 * 1024 * 1024
    _make(tmp_path, "ok.md", "# ok\n")
    started = time.perf_counter()
    result = load_sources(tmp_path, limits=IngestLimits(max_file_bytes=20 * 1024 * 1024))
    elapsed = time.perf_counter() - started
    assert [str(e) for e in result.errors] == [
        f"{huge}: file is 50.0 MB, over the 20.0 MB size limit "
        "(set TEACHBACK_MAX_FILE_MB to raise it)"
    ]
    assert _names(result, tmp_path) == ["ok.md"]
    # The big file is refused from its size on disk: never opened, so never read.
    assert str(huge) not in opened and str(tmp_path / "ok.md") in opened
    assert elapsed < 2.0
    with pytest.raises(SourceError, match="over the 20.0 MB size limit"):
        read_file(huge, IngestLimits(max_file_bytes=20 * 1024 * 1024))


def test_max_files_limit(tmp_path):
    for i in range(5):
        _make(tmp_path, f"f{i}.md", f"# {i}\n")
    result = load_sources(tmp_path, limits=IngestLimits(max_files=3))
    assert len(result.documents) == 3
    assert len(result.errors) == 1
    assert "more than 3 files" in result.errors[0].problem


def test_read_file_on_a_folder_is_a_clear_error(tmp_path):
    with pytest.raises(SourceError, match="is a folder"):
        read_file(tmp_path)


def test_load_bytes_for_uploads_including_a_zip():
    from teachback.ingest.readers import load_bytes

    archive = _zip({"unit/a.md": "# A\n\ntext\n", "../evil.md": "# no\n"})
    calls = []
    result = load_bytes(
        [
            ("notes.md", b"# Notes\n\nHello.\n"),
            ("upload.zip", archive),
            ("empty.txt", b""),
            ("huge.txt", b"x" * 2000),
        ],
        limits=IngestLimits(max_file_bytes=1000),
        on_progress=lambda d, t, p: calls.append((d, t)),
    )
    assert [d.path for d in result.documents] == ["notes.md", "upload.zip!unit/a.md"]
    assert sorted(str(e) for e in result.errors) == [
        "empty.txt: empty file (nothing to read)",
        "huge.txt: file is 2.0 KB, over the 1.0 KB size limit (set TEACHBACK_MAX_FILE_MB to "
        "raise it)",
        "upload.zip!../evil.md: unsafe path in zip archive (absolute, or climbs out with '..'); "
        "not read",
    ]
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
