"""Probes: a source that makes an ingest stage run away (time or memory), an ingest where some
sources fail (the exit status), and what a finished ingest leaves behind.

Each ingest stage runs under a CPU-time and memory budget scaled to the run's new sources; a
stage that runs over is stopped, the biggest new source is left out with one error line that
names it, and the rest of the batch lands.
"""

from __future__ import annotations

import sqlite3
import time

from click.testing import CliRunner

from teachback.cli import cli
from teachback.ingest.algorithms import ingest_engine
from teachback.ingest.pipeline import checkpoint_path, run_ingest

GOOD = (
    "# Osmosis\n\n**Osmosis** is the movement of water across a semipermeable membrane.\n\n"
    "## Diffusion\n\n**Diffusion** is the spread of particles from high to low concentration. "
    "Osmosis is a kind of diffusion.\n"
)
# The biggest new source of the batch: the one a stopped stage leaves out.
RUNAWAY = "# Trap\n\n**Trap** is a source that makes a stage spin.\n" + "Trap text. " * 200


class _Runaway:
    """The embedded engine, except that concept extraction never finishes (spinning, or
    eating memory) while ``runaway.md`` is among the documents -- a stand-in for an algorithm
    that goes superlinear on one pathological file."""

    def __init__(self, hog_memory: bool = False):
        self.engine = ingest_engine()
        self.hog_memory = hog_memory
        self.spins = 0

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def for_ingest(self, db):
        return self  # the wrapper itself, not the engine it wraps

    def extract_concepts(self, docs):
        if any(d.path.endswith("runaway.md") for d in docs):
            self.spins += 1
            hog = []
            while True:
                if self.hog_memory:
                    hog.append(b"x" * (5 * 1024 * 1024))
                    time.sleep(0.02)
        return self.engine.extract_concepts(docs)


def _course(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "osmosis.md").write_text(GOOD)
    (folder / "runaway.md").write_text(RUNAWAY)
    return folder


def test_a_runaway_stage_is_stopped_naming_the_file_and_the_rest_lands(db, tmp_path, monkeypatch):
    monkeypatch.setenv("TEACHBACK_INGEST_STAGE_SECONDS", "2")
    monkeypatch.setenv("TEACHBACK_INGEST_SECONDS_PER_MB", "0")
    folder = _course(tmp_path)
    engine = _Runaway()
    started = time.monotonic()
    summary = run_ingest(db, [folder], curriculum="c", engine=engine, exercises=False)
    assert time.monotonic() - started < 60
    assert engine.spins == 1
    assert summary.errors == [
        f"{folder}/runaway.md: left out: the concepts stage took more than 2 s of CPU time "
        "(the per-file time limit); split the file, or raise "
        "TEACHBACK_INGEST_SECONDS_PER_MB / TEACHBACK_INGEST_MEMORY_MB"
    ]
    assert summary.sources_read == 1
    names = sorted(r["name"] for r in db.query("select name from concepts"))
    assert "osmosis" in names and "Trap" not in names  # a common noun: lower case
    assert sorted(
        (r["path"], r["status"]) for r in db.query("select path, status from sources")
    ) == [
        (f"{folder}/osmosis.md", "ok"),
        (f"{folder}/runaway.md", "error"),  # recorded as not read, like any unreadable file
    ]


def test_a_stage_eating_memory_is_stopped(db, tmp_path, monkeypatch):
    monkeypatch.setenv("TEACHBACK_INGEST_MEMORY_MB", "150")
    folder = _course(tmp_path)
    summary = run_ingest(db, [folder], curriculum="c", engine=_Runaway(hog_memory=True),
                         exercises=False)  # fmt: skip
    [error] = summary.errors
    assert error.startswith(f"{folder}/runaway.md: left out: the concepts stage needed more than")
    assert "150 MB of memory (the per-file memory limit)" in error
    assert summary.sources_read == 1


def test_ingest_exits_non_zero_when_any_source_failed_and_keeps_the_rest(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "osmosis.md").write_text(GOOD)
    (folder / "empty.md").write_text("")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    db_file = tmp_path / "c.db"
    result = CliRunner().invoke(
        cli, ["ingest", str(folder), "--db", str(db_file), "--no-exercises", "--no-progress"]
    )
    assert result.exit_code == 1, result.output
    errors = sorted(line for line in result.output.splitlines() if line.startswith("error: "))
    assert [e.split(":")[1].strip() for e in errors] == [
        f"{folder}/binary.txt",
        f"{folder}/empty.md",
    ]
    assert "Ingested 1 source" in result.output and "2 failed" in result.output
    rows = sqlite3.connect(db_file).execute("select path, status from sources").fetchall()
    assert sorted((path.rsplit("/", 1)[-1], status) for path, status in rows) == [
        ("binary.txt", "error"),
        ("empty.md", "error"),
        ("osmosis.md", "ok"),
    ]
    ok = CliRunner().invoke(
        cli, ["ingest", str(folder / "osmosis.md"), "--db", str(db_file), "--no-progress"]
    )
    assert ok.exit_code == 0, ok.output


def test_a_finished_ingest_leaves_no_free_pages_in_its_checkpoint(db, tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    for i in range(6):
        (folder / f"part{i}.md").write_text(GOOD.replace("Osmosis", f"Osmosis{i}") * 20)
    run_ingest(db, [folder], curriculum="c")
    checkpoint = sqlite3.connect(checkpoint_path(db))
    try:
        tables = [r[0] for r in checkpoint.execute("select name from sqlite_master "
                                                   "where type = 'table'")]  # fmt: skip
        assert {t: checkpoint.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
        assert all(
            checkpoint.execute(f"select count(*) from {t}").fetchone()[0] == 0 for t in tables
        )
        assert checkpoint.execute("pragma freelist_count").fetchone()[0] == 0
    finally:
        checkpoint.close()
