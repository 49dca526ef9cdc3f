"""A budget of CPU time and memory for one ingest stage, enforced by a watchdog thread.

``with guarded("concepts", budget): ...`` runs the block; when the process has spent more CPU
seconds than ``budget.cpu_seconds`` since the block began, or its resident memory has grown by
more than ``budget.memory_mb`` since then, the watchdog raises ``OverBudget`` *in the thread
running the block* (CPython's asynchronous exception), and ``guarded`` turns it into
``StageStopped(stage, problem)``. The pipeline then leaves the largest new source out, with
that problem as its error line, and ingests the rest (``run_ingest``).

CPU time, not wall time: a stage on a busy machine is slow but not runaway. The CPU time is the
whole process's (a stage may use worker threads), so another busy thread in the same process
(a web server) counts too; budgets leave room for that. A stage that runs batches in worker
processes registers them (``helpers``): their CPU seconds count towards the stage's, and their
private memory (what they do not share with this process) towards its memory, so a stage is
bounded the same whether it runs in one process or several.

Not handled: a stage stuck inside one long C call (a huge regular-expression match) is stopped
when that call returns, not during it. Memory is read from ``/proc/self/statm``; elsewhere the
peak resident size (``ru_maxrss``) stands in (and worker processes count for their CPU only
where ``/proc`` is there).
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


def process_cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system, its reaped children's included) process ``pid`` has spent;
    None when it cannot be read (gone, or no ``/proc``)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            # the command name (field 2) may hold spaces: the fields after it follow its ")"
            fields = fh.read().rsplit(b")", 1)[1].split()
        ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def smaps_mb(pid: int | str = "self") -> dict[str, float]:
    """Process ``pid``'s memory from ``/proc/<pid>/smaps_rollup``, in MB: ``rss``, ``pss``
    (shared pages divided among the processes sharing them) and ``private`` (pages no other
    process shares); {} when it cannot be read."""
    fields = {
        "Rss:": "rss",
        "Pss:": "pss",
        "Private_Clean:": "private",
        "Private_Dirty:": "private",
    }
    out: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh.read().decode("ascii", "replace").splitlines():
                parts = line.split()
                if len(parts) >= 2 and parts[0] in fields:
                    key = fields[parts[0]]
                    out[key] = out.get(key, 0.0) + int(parts[1]) / 1024
    except (OSError, ValueError):
        return {}
    return out


class _Helpers:
    """Worker processes whose CPU and memory count as this process's during a stage: the
    live ones read from ``/proc``, the finished ones' CPU seconds kept."""

    def __init__(self):
        self.lock = threading.Lock()
        self.live: dict[int, float] = {}  # pid -> CPU seconds last read
        self.finished_cpu = 0.0

    def add(self, pid: int) -> None:
        with self.lock:
            self.live[pid] = 0.0

    def finish(self, pid: int) -> None:
        """``pid`` has exited (not yet reaped, so its last figures can still be read)."""
        cpu = process_cpu_seconds(pid)
        with self.lock:
            last = self.live.pop(pid, 0.0)
            self.finished_cpu += max(last, cpu or 0.0)

    def cpu_seconds(self) -> float:
        with self.lock:
            pids = list(self.live)
        total = 0.0
        for pid in pids:
            cpu = process_cpu_seconds(pid)
            with self.lock:
                if pid in self.live:
                    if cpu is not None:
                        self.live[pid] = max(self.live[pid], cpu)
                    total += self.live[pid]
        with self.lock:
            return total + self.finished_cpu

    def private_mb(self, enough: float) -> float:
        """The live helpers' memory in MB, as far as it matters: their summed resident size
        (cheap to read, and never less than their private memory) while that is at most
        ``enough``, else their private memory (``smaps_rollup``: exact, but reading it walks
        a process's page tables, milliseconds for a large one)."""
        with self.lock:
            pids = list(self.live)
        resident = sum(_resident_mb(pid) for pid in pids)
        if resident <= enough:
            return resident
        return sum(smaps_mb(pid).get("private", 0.0) for pid in pids)


def _resident_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return 0.0


helpers = _Helpers()


class _Watchdog(threading.Thread):
    def __init__(self, target: int, budget: Budget):
        super().__init__(name="ingest-guard", daemon=True)
        self.target = target
        self.budget = budget
        self.problem = ""
        self.lock = threading.Lock()
        self.armed = True
        self.done = threading.Event()
        self.started_cpu = time.process_time() + helpers.cpu_seconds()
        self.started_mb = resident_mb()

    def run(self) -> None:
        while not self.done.wait(CHECK_EVERY):
            cpu = time.process_time() + helpers.cpu_seconds() - self.started_cpu
            memory = resident_mb() - self.started_mb
            memory += helpers.private_mb(self.budget.memory_mb - memory)
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
