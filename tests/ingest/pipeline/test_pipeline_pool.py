"""The batched stages in worker processes (``ingest/pipeline/pool.py``): same results in batch
order, failures raised at their batch's turn, a dead worker's batch redone, runaway workers
stopped by the stage guard, Ctrl-C kills the workers, and an ingest with two workers exports
exactly what a serial one does.

Real processes throughout (``fork``); the engines below are the real embedded one, a subclass
of it only where a stage must spin or be interrupted on demand.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from teachback.curricula.db import open_db
from teachback.curricula.export_json import export_curriculum
from teachback.engine.embedded import EmbeddedEngine
from teachback.ingest import pipeline
from teachback.ingest.algorithms import IngestSteps
from teachback.ingest.guard import Budget, StageStopped, guarded
from teachback.ingest.pipeline import exercise_stage, pool, run_ingest
from teachback.ingest.pipeline.pool import can_fork, machine_workers, run_batches
from teachback.tutor.algorithms import TutorSteps

pytestmark = pytest.mark.skipif(not can_fork(), reason="worker processes need fork")


def _batches(n: int) -> list[tuple[int, int]]:
    return [(10 + b, b) for b in range(n)]  # (batch number, what the work gets)


def _collect(workers: int, batches, work) -> list[tuple[int, object]]:
    finished: list[tuple[int, object]] = []
    run_batches(workers, batches, work, lambda b, r: finished.append((b, r)))
    return finished


def _note_pid(pids) -> None:
    with open(pids, "a") as fh:
        fh.write(f"{os.getpid()}\n")


def _workers_seen(pids, parent: int) -> set[int]:
    return {int(p) for p in pids.read_text().split()} - {parent} if pids.exists() else set()


def _wait_for_a_worker(pids, parent: int) -> None:
    """Until a worker has taken a batch (a loaded machine may take seconds to fork one)."""
    deadline = time.monotonic() + 60
    while not _workers_seen(pids, parent) and time.monotonic() < deadline:
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_batches_finish_in_order_with_the_work_spread_over_processes():
    def work(x):
        time.sleep(0.05 * (x % 3))  # uneven batches: workers finish out of order
        return (x * x, os.getpid())

    finished = _collect(2, _batches(8), work)
    assert [b for b, _ in finished] == list(range(10, 18))
    assert [r[0] for _, r in finished] == [x * x for x in range(8)]
    pids = {r[1] for _, r in finished}
    assert os.getpid() in pids and len(pids) >= 2
    assert finished[0][1][1] == os.getpid()  # the first batch warms this process's caches


def test_a_worker_past_its_memory_ends_and_a_fresh_one_takes_its_place(monkeypatch):
    """So the pages it and this process copied between them are held twice only up to
    ``pool.WORKER_PRIVATE_MB`` (here: none, a worker ends after each batch)."""
    monkeypatch.setattr(pool, "WORKER_PRIVATE_MB", 0)

    def work(x):
        time.sleep(0.05)
        return (x * x, os.getpid())

    finished = _collect(2, _batches(12), work)
    assert [b for b, _ in finished] == list(range(10, 22))
    assert [r[0] for _, r in finished] == [x * x for x in range(12)]
    workers = [pid for _, (_, pid) in finished if pid != os.getpid()]
    assert len(set(workers)) == len(workers) >= 2  # each worker made one batch
    assert not any(_alive(p) for p in workers)


def test_one_worker_is_the_serial_loop_in_this_process():
    finished = _collect(1, _batches(4), lambda x: (x + 1, os.getpid()))
    assert finished == [(10 + x, (x + 1, os.getpid())) for x in range(4)]


def test_a_failing_batch_raises_after_the_batches_before_it_finished():
    def work(x):
        if x == 4:
            raise ValueError(f"batch {x} is bad")
        return x

    finished: list[int] = []
    with pytest.raises(ValueError, match="batch 4 is bad"):
        run_batches(2, _batches(7), work, lambda b, r: finished.append(r))
    assert finished == [0, 1, 2, 3]


def test_a_worker_that_dies_leaves_its_batch_to_this_process():
    parent = os.getpid()

    def work(x):
        if x == 2 and os.getpid() != parent:
            os._exit(9)  # killed mid-batch (out of memory, a signal)
        return (x, os.getpid())

    finished = _collect(2, _batches(6), work)
    assert [r[0] for _, r in finished] == list(range(6))
    assert dict(finished)[12][1] == parent


def test_a_runaway_worker_is_stopped_by_the_stage_guard_and_killed(tmp_path):
    pids = tmp_path / "pids"
    parent = os.getpid()

    def work(x):
        _note_pid(pids)
        if os.getpid() != parent:
            while True:  # only the worker runs away: its CPU must count
                pass
        _wait_for_a_worker(pids, parent)
        time.sleep(0.3)
        return x

    started = time.monotonic()
    with pytest.raises(StageStopped, match="exercises: took more than 2 s of CPU time"):
        with guarded("exercises", Budget(cpu_seconds=2, memory_mb=4096)):
            _collect(2, _batches(40), work)
    assert time.monotonic() - started < 120
    workers = _workers_seen(pids, parent)
    assert len(workers) == 1 and not any(_alive(p) for p in workers)


def test_a_worker_eating_memory_is_stopped_by_the_stage_guard(tmp_path):
    pids = tmp_path / "pids"
    parent = os.getpid()

    def work(x):
        _note_pid(pids)
        if os.getpid() != parent:
            hoard = []
            while True:
                hoard.append(bytearray(16 * 1024 * 1024))
                time.sleep(0.01)
        _wait_for_a_worker(pids, parent)
        time.sleep(0.3)
        return x

    with pytest.raises(StageStopped, match="needed more than 300 MB of memory"):
        with guarded("lessons", Budget(cpu_seconds=600, memory_mb=300)):
            _collect(2, _batches(40), work)


def test_ctrl_c_in_this_process_kills_the_workers(tmp_path):
    pids = tmp_path / "pids"
    parent = os.getpid()
    calls = []

    def work(x):
        _note_pid(pids)
        if os.getpid() == parent:
            calls.append(x)
            if len(calls) == 2:  # this process's second batch, once the worker is busy
                _wait_for_a_worker(pids, parent)
                raise KeyboardInterrupt
        time.sleep(0.2)
        return x

    with pytest.raises(KeyboardInterrupt):
        _collect(2, _batches(30), work)
    workers = _workers_seen(pids, parent)
    assert len(workers) == 1 and not any(_alive(p) for p in workers)


def test_workers_come_from_the_environment_else_the_machine(monkeypatch):
    monkeypatch.setenv("TEACHBACK_INGEST_WORKERS", "3")
    assert machine_workers() == 3
    monkeypatch.setenv("TEACHBACK_INGEST_WORKERS", "0")
    with pytest.raises(Exception, match="TEACHBACK_INGEST_WORKERS must be a whole number"):
        machine_workers()
    monkeypatch.delenv("TEACHBACK_INGEST_WORKERS")
    assert 1 <= machine_workers() <= 8


# --- whole ingests --------------------------------------------------------------------------


def _export(db, curriculum: str) -> str:
    data = export_curriculum(db, curriculum, include_images=True)
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)
    return "\n".join(line for line in text.splitlines() if '"created_at"' not in line)


def _engine() -> EmbeddedEngine:
    return EmbeddedEngine(IngestSteps(), TutorSteps())


def _counting_pools(monkeypatch) -> list[int]:
    """Records the number of workers of each pool started (a pool means forked workers)."""
    started: list[int] = []

    class Counted(pool._Workers):
        def __init__(self, children, batches, work):
            started.append(children)
            super().__init__(children, batches, work)

    monkeypatch.setattr(pool, "_Workers", Counted)
    return started


@pytest.mark.parametrize("exercises_in_workers", [False, True])
def test_two_workers_export_exactly_what_one_does(
    tmp_path, corpus, monkeypatch, exercises_in_workers
):
    monkeypatch.setattr(pipeline, "BATCH", 1)  # several batches from a small corpus
    monkeypatch.setattr(exercise_stage, "EXERCISES_IN_WORKERS", exercises_in_workers)
    started = _counting_pools(monkeypatch)
    exports = []
    for workers in (1, 2):
        db = open_db(tmp_path / f"w{workers}.db")
        summary = run_ingest(db, [corpus], curriculum="bio", engine=_engine(), workers=workers)
        assert summary.concepts == 4 and summary.exercises_kept > 0
        exports.append(_export(db, "bio"))
    # lessons (and exercises when they may), with workers=2 only
    assert started == [1, 1] if exercises_in_workers else started == [1]
    assert exports[0] == exports[1]


class _InterruptedOnce(EmbeddedEngine):
    """The embedded engine; Ctrl-C (in the ingest process) at its second concept's exercises,
    once."""

    interrupt = True

    def __init__(self):
        super().__init__(IngestSteps(), TutorSteps())
        self.parent = os.getpid()
        self.seen = 0

    def generate_checked(self, concept, concepts, documents):
        if os.getpid() == self.parent and _InterruptedOnce.interrupt:
            self.seen += 1
            if self.seen == 2:  # after the first batch, with a worker started
                _InterruptedOnce.interrupt = False
                raise KeyboardInterrupt
        return super().generate_checked(concept, concepts, documents)


def test_ctrl_c_in_a_pooled_stage_resumes_to_the_same_curriculum(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH", 1)
    monkeypatch.setattr(exercise_stage, "EXERCISES_IN_WORKERS", True)
    serial = open_db(tmp_path / "serial.db")
    run_ingest(serial, [corpus], curriculum="bio", engine=_engine(), workers=1)

    started = _counting_pools(monkeypatch)
    db = open_db(tmp_path / "pooled.db")
    engine = _InterruptedOnce()
    with pytest.raises(KeyboardInterrupt):
        run_ingest(db, [corpus], curriculum="bio", engine=engine, workers=2)
    assert db["concepts"].count == 0  # nothing half-stored
    summary = run_ingest(db, [corpus], curriculum="bio", engine=engine, workers=2)
    assert summary.resumed and started == [1, 1, 1]  # lessons; exercises; exercises again
    assert _export(db, "bio") == _export(serial, "bio")


def test_another_engine_runs_in_this_process_only(tmp_path, corpus, double_engine, monkeypatch):
    """A test double (or the LLM engine) may count or cache in its own memory: no workers."""
    monkeypatch.setattr(pipeline, "BATCH", 1)
    started = _counting_pools(monkeypatch)
    db = open_db(tmp_path / "d.db")
    summary = run_ingest(db, [corpus], curriculum="bio", engine=double_engine, workers=2)
    assert double_engine.calls["lesson"] == summary.concepts == 4
    assert double_engine.calls["exercises"] == 4 and started == []
