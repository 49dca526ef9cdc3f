"""The batched stages' batches, run side by side in forked worker processes.

A lesson or exercise stage works through batches of concepts that do not depend on one another:
each concept's lesson and exercises are made from the same documents and concept list whatever
else is made. ``run_batches`` computes the first unfinished batch in this process (which builds
what every batch reads: the exercise corpus, the section indexes), freezes the heap, then forks
``workers - 1`` processes. They share those pages with this one (fork is copy-on-write, and a
frozen heap is not rewritten by the garbage collector), and take the remaining batches one at a
time, as this process does too. Results come back here, and ``finish`` gets them in batch order:
the stage stages each there, so an interrupted run resumes as a serial run would, and its
progress goes on as batches finish.

A worker whose private memory has passed ``WORKER_PRIVATE_MB`` ends after its batch, and a
fresh one is forked in its place while batches are left. Copy-on-write shares a page only until
either process writes to it, and CPython writes to every object it reads (its reference count):
a long-lived worker and this process between them copy page after page of the heap they share,
until the tree holds two of it (10 MB one file: 1,030 MB against 740 MB in one process). A
fresh worker shares this process's heap as it is now, so at most about that much is held twice;
what the ended worker cached for itself is computed again by the next. A small corpus's worker
never reaches it.

With one worker, or one batch left, it is the plain loop. Without the fork start method (not
Linux or macOS) too: a worker must start from this process's memory, not from a fresh import.

Failures: a batch's exception is raised here at its turn (the batches before it are finished
first, as in the serial loop); a worker that dies (killed, out of memory) leaves its batch to
this process. Stopping: Ctrl-C, the stage guard's stop or any exception here kills the workers
(they ignore Ctrl-C themselves, and die with this process if it is killed). The workers are
registered with the guard, so their CPU time and memory count towards the stage's budget.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import queue
import signal
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from teachback.errors import TeachbackError
from teachback.ingest.guard import helpers, smaps_mb
from teachback.ingest.pipeline.memory import frozen_heap

WORKERS_ENV = "TEACHBACK_INGEST_WORKERS"
MAX_WORKERS = 8  # beyond this, copies of the caches cost more memory than the speed is worth
# A worker's private memory (pages it copied, or left to it by this process's copies, and its
# own caches) after which a fresh one takes its place: the 1 MB bench's worker stays under
# ~90 MB, the 10 MB one's grew past 250 MB.
WORKER_PRIVATE_MB = 160
POLL = 0.2  # seconds this process waits at a time, so the stage guard can stop it meanwhile

Batch = TypeVar("Batch")
Result = TypeVar("Result")


def machine_workers() -> int:
    """The processes an ingest runs its batched stages in by default: ``$TEACHBACK_INGEST_WORKERS``
    when set, else the CPUs this process may use (at most ``MAX_WORKERS``)."""
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if raw:
        try:
            n = int(raw)
        except ValueError:
            n = 0
        if n < 1:
            raise TeachbackError(f"{WORKERS_ENV} must be a whole number of at least 1, not {raw!r}")
        return n
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def run_batches(
    workers: int,
    batches: Sequence[tuple[int, Batch]],
    work: Callable[[Batch], Result],
    finish: Callable[[int, Result], None],
) -> None:
    """``finish(b, work(batch))`` for each ``(b, batch)`` of ``batches``, in order; ``work``
    in up to ``workers`` processes. ``work`` must only compute (no I/O, no store): it may run
    in a forked copy of this process, and what it changes there is lost."""
    if not batches:
        return
    first, rest = batches[0], list(batches[1:])
    finish(first[0], work(first[1]))  # builds the caches the workers will share
    children = min(workers - 1, len(rest) - 1)
    if children < 1 or not can_fork():
        for b, batch in rest:
            finish(b, work(batch))
        return
    with frozen_heap(), _Workers(children, rest, work) as pool:
        pool.run(finish)


class _Failed:
    """A batch's exception, carried back to be raised at the batch's turn."""

    def __init__(self, error: BaseException):
        self.error = error


class _Ended:
    """Sent by a worker's reader when the worker has ended (done, killed or out of memory)."""


class _Workers:
    """Up to ``children`` forked processes and this one taking ``batches`` by index; a worker
    past ``WORKER_PRIVATE_MB`` ends and a fresh one is forked in its place."""

    def __init__(self, children: int, batches: list[tuple[int, Any]], work: Callable):
        self.batches = batches
        self.work = work
        self.children = children
        self.context = multiprocessing.get_context("fork")
        self.next = self.context.Value("i", 0)  # index of the next batch nobody has taken
        # (index, result or _Failed) from the workers, and an _Ended when one has ended
        self.results: queue.Queue = queue.Queue()
        self.procs: list[multiprocessing.process.BaseProcess] = []
        self.readers: list[threading.Thread] = []
        self.alive = 0
        for _ in range(children):
            self._spawn()

    def _spawn(self) -> None:
        """Fork a worker, and a thread here that reads what it sends as it comes (so a worker
        never waits on this process to take the result it finished)."""
        here, there = self.context.Pipe(duplex=False)
        proc = self.context.Process(
            target=_worker,
            args=(os.getpid(), self.next, there, self.batches, self.work),
            daemon=True,
        )
        proc.start()
        there.close()
        helpers.add(proc.pid)
        self.procs.append(proc)
        self.alive += 1
        reader = threading.Thread(
            target=self._receive, args=(here, proc.pid), name="ingest-pool", daemon=True
        )
        reader.start()
        self.readers.append(reader)

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc) -> None:
        for proc in self.procs:
            if proc.is_alive():
                proc.kill()
        for proc in self.procs:
            proc.join()
            helpers.finish(proc.pid)
        for reader in self.readers:
            reader.join()

    def run(self, finish: Callable[[int, Any], None]) -> None:
        done: dict[int, Any] = {}
        flushed = 0

        def flush() -> int:
            n = flushed
            while n in done:
                result = done.pop(n)
                if isinstance(result, _Failed):
                    raise result.error
                finish(self.batches[n][0], result)
                n += 1
            return n

        while (i := _take(self.next, len(self.batches))) is not None:
            done[i] = _attempt(self.work, self.batches[i][1])
            self._collect(done, block=False)
            flushed = flush()
        while flushed < len(self.batches):
            if not self._collect(done, block=True):
                # every worker has ended: what none of them delivered is done here
                for i in range(flushed, len(self.batches)):
                    if i not in done:
                        done[i] = _attempt(self.work, self.batches[i][1])
            flushed = flush()

    def _collect(self, done: dict[int, Any], block: bool) -> bool:
        """Move the results the workers sent into ``done`` (waiting up to ``POLL`` for one
        when ``block``), forking a fresh worker for each that ended while batches are left;
        False when every worker has ended and all they sent is in."""
        try:
            while True:
                item = self.results.get(timeout=POLL) if block else self.results.get_nowait()
                block = False
                if isinstance(item, _Ended):
                    self.alive -= 1
                    if self.next.value < len(self.batches):  # (read without the lock: a
                        self._spawn()  # worker forked too many finds nothing, and ends)
                    continue
                done[item[0]] = item[1]
        except queue.Empty:
            return self.alive > 0

    def _receive(self, conn: Connection, pid: int) -> None:
        """In a thread: put what worker ``pid`` sends on ``results`` until it ends."""
        try:
            while True:
                try:
                    self.results.put(conn.recv())
                except (EOFError, OSError, pickle.UnpicklingError):  # ended (or killed)
                    return
        finally:
            helpers.finish(pid)
            conn.close()
            self.results.put(_Ended())


def _take(counter, n: int) -> int | None:
    """The next batch index nobody has taken (None when all are)."""
    with counter.get_lock():
        i = counter.value
        if i >= n:
            return None
        counter.value = i + 1
        return i


def _attempt(work: Callable, batch: Any) -> Any:
    try:
        return work(batch)
    except Exception as err:  # raised at the batch's turn, after the batches before it
        return _Failed(err)


def _worker(parent: int, counter, conn: Connection, batches: list, work: Callable) -> None:
    """A forked worker: take batches while any is left, sending each result back, until its
    private memory has passed ``WORKER_PRIVATE_MB``."""
    with _quiet_worker(parent):
        while (i := _take(counter, len(batches))) is not None:
            result = _attempt(work, batches[i][1])
            if isinstance(result, _Failed):
                result = _Failed(_portable(result.error))
            conn.send((i, result))
            if smaps_mb().get("private", 0.0) > WORKER_PRIVATE_MB:
                break
        conn.close()


@contextlib.contextmanager
def _quiet_worker(parent: int) -> Iterator[None]:
    """Ctrl-C is this process's parent's to handle (it kills the workers); a worker whose
    parent is killed dies with it (Linux), rather than working on for nobody."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # died before the line above took effect
        os._exit(1)
    yield


def _portable(error: BaseException) -> BaseException:
    """``error`` as it can be sent back (pickled), with the worker's traceback as a note."""
    with contextlib.suppress(Exception):
        error.add_note(
            "in an ingest worker process:\n" + "".join(traceback.format_tb(error.__traceback__))
        )
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
