"""When the guard stops an exercise stage, only the biggest new source's exercises are left out:
the source itself (its concepts, lessons and edges) and the other sources' exercises land.

The engine is the real embedded one, except that exercise generation (or the self-check)
spins while ``runaway.md`` is among the documents it is given: a stand-in for an exercise
algorithm that goes superlinear on one pathological file.
"""

from __future__ import annotations

import time

from teachback.engine.protocol import Engine
from teachback.ingest.algorithms import ingest_engine
from teachback.ingest.pipeline import run_ingest

GOOD = (
    "# Osmosis\n\n**Osmosis** is the movement of water across a semipermeable membrane. "
    "Osmosis moves water from a dilute solution to a concentrated one.\n\n"
    "## Diffusion\n\n**Diffusion** is the spread of particles from high to low concentration. "
    "Osmosis is a kind of diffusion. Diffusion needs no energy from the cell.\n"
)
# The biggest new source of the batch: the one whose exercises a stopped stage leaves out.
RUNAWAY = (
    "# Turgor\n\n**Turgor** is the pressure of the cell contents against the cell wall. "
    "Turgor keeps a plant upright.\n\n" + "Turgor rises when water enters the cell. " * 40
)
ADVICE = "split the file, or raise TEACHBACK_INGEST_SECONDS_PER_MB / TEACHBACK_INGEST_MEMORY_MB"


class _SpinningExercises:
    """The embedded engine; its exercise step never finishes while runaway.md is given."""

    def __init__(self):
        self.engine = ingest_engine()
        self.spins = 0

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def for_ingest(self, db):
        return self  # the wrapper itself, not the engine it wraps

    def _spin_if_runaway(self, docs):
        if any(d.path.endswith("runaway.md") for d in docs):
            self.spins += 1
            while True:
                pass

    def generate_checked(self, concept, concepts, docs):
        self._spin_if_runaway(docs)
        return self.engine.generate_checked(concept, concepts, docs)


class _SpinningSelfCheck(_SpinningExercises):
    """Exercises made unchecked: the pipeline's verify stage runs the self-check, which spins
    while runaway.md is given."""

    checks_own_exercises = False
    generate_checked = Engine.generate_checked

    def make_exercises(self, concept, concepts, docs):
        return self.engine.make_exercises(concept, concepts, docs)

    def self_check(self, draft, docs, kept):
        self._spin_if_runaway(docs)
        return self.engine.self_check(draft, docs, kept)


def _course(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "osmosis.md").write_text(GOOD)
    (folder / "runaway.md").write_text(RUNAWAY)
    return folder


def _exercises_by_source(db) -> dict[str, int]:
    rows = db.query(
        "select s.path as path, count(distinct x.id) as n from concepts c "
        "join evidence e on e.concept_id = c.id join sources s on s.id = e.source_id "
        "left join exercises x on x.concept_id = c.id and x.status = 'kept' "
        "group by s.path"
    )
    return {r["path"].rsplit("/", 1)[-1]: r["n"] for r in rows}


def _check_only_exercises_left_out(db, folder, summary, stage):
    assert summary.errors == []
    assert summary.sources_read == 2
    assert summary.notes == [
        f"{folder}/runaway.md: exercises left out: the {stage} stage took more than 2 s of CPU "
        f"time (the per-file time limit); {ADVICE}"
    ]
    names = sorted(r["name"] for r in db.query("select name from concepts"))
    assert "Turgor" in names and "osmosis" in names  # a common noun, capitalised at sentence starts
    turgor = db.execute(
        "select count(*) from lessons l join concepts c on c.id = l.concept_id "
        "where c.name = 'Turgor'"
    ).fetchone()[0]
    assert turgor == 1  # its lesson is kept
    assert sorted(
        (r["path"], r["status"]) for r in db.query("select path, status from sources")
    ) == [(f"{folder}/osmosis.md", "ok"), (f"{folder}/runaway.md", "ok")]
    by_source = _exercises_by_source(db)
    assert by_source["runaway.md"] == 0
    assert by_source["osmosis.md"] > 0
    assert summary.exercises_kept == by_source["osmosis.md"]


def test_a_runaway_exercise_stage_leaves_out_only_that_sources_exercises(db, tmp_path, monkeypatch):
    monkeypatch.setenv("TEACHBACK_INGEST_STAGE_SECONDS", "2")
    monkeypatch.setenv("TEACHBACK_INGEST_SECONDS_PER_MB", "0")
    folder = _course(tmp_path)
    engine = _SpinningExercises()
    started = time.monotonic()
    summary = run_ingest(db, [folder], curriculum="c", engine=engine)
    assert time.monotonic() - started < 90
    assert engine.spins == 1
    _check_only_exercises_left_out(db, folder, summary, "exercises")


def test_a_runaway_self_check_leaves_out_only_that_sources_exercises(db, tmp_path, monkeypatch):
    monkeypatch.setenv("TEACHBACK_INGEST_STAGE_SECONDS", "2")
    monkeypatch.setenv("TEACHBACK_INGEST_SECONDS_PER_MB", "0")
    folder = _course(tmp_path)
    engine = _SpinningSelfCheck()
    summary = run_ingest(db, [folder], curriculum="c", engine=engine)
    assert engine.spins == 1
    _check_only_exercises_left_out(db, folder, summary, "verify")
