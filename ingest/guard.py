"""A budget of CPU time and memory for one ingest stage, enforced by a watchdog thread.

``with guarded("concepts", budget): ...`` runs the block; when the process has spent more CPU
seconds than ``budget.cpu_seconds`` since the block began, or its resident memory has grown by
more than ``budget.memory_mb`` since then, the watchdog raises ``OverBudget`` *in the thread
running the block* (CPython's asynchronous exception), and ``guarded`` turns it into
``StageStopped(stage, problem)``. The pipeline then leaves the largest new source out, with
that problem as its error line, and ingests the rest (``run_ingest``).

CPU time, not wall time: a stage on a busy machine is slow but not runaway. The CPU time is the
whole process's (a stage may use worker threads), so another busy thread in the same process
(a web server) counts too; budgets leave room for that.

Not handled: a stage stuck inside one long C call (a huge regular-expression match) is stopped
when that call returns, not during it. Memory is read from ``/proc/self/statm``; elsewhere the
peak resident size (``ru_maxrss``) stands in.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from teachback.errors import TeachbackError

CHECK_EVERY = 0.2  # seconds between the watchdog's looks


class OverBudget(BaseException):
    """Raised inside the guarded thread. A ``BaseException``, like ``KeyboardInterrupt``, so
    stage code that catches ``Exception`` to carry on (one concept's failure) cannot swallow
    it."""


class StageStopped(TeachbackError):
    """A stage ran over its budget: ``problem`` is a one-line explanation for the user."""

    def __init__(self, stage: str, problem: str):
        super().__init__(f"{stage}: {problem}")
        self.stage = stage
        self.problem = problem


@dataclass(frozen=True)
class Budget:
    cpu_seconds: float  # process CPU seconds the stage may spend
    memory_mb: float  # MB the process's resident memory may grow by during the stage


def resident_mb() -> float:
    """This process's resident memory now, in MB."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Watchdog(threading.Thread):
    def __init__(self, target: int, budget: Budget):
        super().__init__(name="ingest-guard", daemon=True)
        self.target = target
        self.budget = budget
        self.problem = ""
        self.lock = threading.Lock()
        self.armed = True
        self.done = threading.Event()
        self.started_cpu = time.process_time()
        self.started_mb = resident_mb()

    def run(self) -> None:
        while not self.done.wait(CHECK_EVERY):
            cpu = time.process_time() - self.started_cpu
            memory = resident_mb() - self.started_mb
            if cpu > self.budget.cpu_seconds:
                problem = (
                    f"took more than {self.budget.cpu_seconds:.0f} s of CPU time "
                    "(the per-file time limit)"
                )
            elif memory > self.budget.memory_mb:
                problem = (
                    f"needed more than {self.budget.memory_mb:.0f} MB of memory "
                    "(the per-file memory limit)"
                )
            else:
                continue
            with self.lock:
                if self.armed:
                    self.problem = problem
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(self.target), ctypes.py_object(OverBudget)
                    )
                    self.armed = False
            return

    def disarm(self) -> None:
        with self.lock:
            self.armed = False
        self.done.set()


@contextlib.contextmanager
def guarded(stage: str, budget: Budget) -> Iterator[None]:
    """Run the block under ``budget``; ``StageStopped`` when it runs over."""
    watchdog = _Watchdog(threading.get_ident(), budget)
    try:
        watchdog.start()
        try:
            yield
        finally:
            watchdog.disarm()
    except OverBudget:
        raise StageStopped(stage, watchdog.problem or "ran over its budget") from None
