"""Ingests running in the background of a server process: one at a time per curriculum.

The web UI starts them and shows their progress; the job runs on a thread with its own
database connection and keeps every progress event, so any page can show how far it got.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from teachback.config import default_db_path
from teachback.errors import TeachbackError


@dataclass
class Job:
    """One background ingest (one per curriculum at a time, per server process)."""

    curriculum: str
    paths: list[str]
    started: float = field(default_factory=time.monotonic)
    events: list[dict] = field(default_factory=list)
    summary: dict | None = None
    error: str | None = None
    done: bool = False
    thread: threading.Thread | None = None


_JOBS: dict[str, Job] = {}
_LOCK = threading.Lock()


def _run(job: Job, db_path: str) -> None:
    from teachback.curricula.db import open_db
    from teachback.ingest.pipeline import run_ingest

    def keep(event: dict) -> None:  # a copy: the pipeline owns the dict it reports
        job.events.append(dict(event))

    db = open_db(db_path)
    try:
        summary = run_ingest(db, job.paths, curriculum=job.curriculum, on_progress=keep)
        job.summary = summary.model_dump()
    except TeachbackError as err:
        job.error = str(err)
    except Exception as err:  # a bug: show it, keep the server alive; the run can be resumed
        job.error = f"the ingest stopped: {type(err).__name__}: {err}"
    finally:
        job.done = True
        db.close()


def start_ingest(curriculum: str, paths: list[str], db_path: str | None = None) -> Job:
    """Start an ingest in the background; refuses a second one for the same curriculum."""
    with _LOCK:
        running = _JOBS.get(curriculum)
        if running and not running.done:
            raise RuntimeError(f"an ingest of {curriculum!r} is already running")
        job = Job(curriculum, list(paths))
        job.thread = threading.Thread(
            target=_run,
            args=(job, db_path or str(default_db_path().resolve())),
            name=f"ingest-{curriculum}",
            daemon=True,
        )
        _JOBS[curriculum] = job
        job.thread.start()
    return job


def job_for(curriculum: str) -> Job | None:
    """The running or last ingest of ``curriculum`` started in this process, if any."""
    return _JOBS.get(curriculum)


def running_jobs() -> list[Job]:
    """Ingests still running in this server process."""
    return [job for job in list(_JOBS.values()) if not job.done]
