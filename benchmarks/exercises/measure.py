"""What the benchmark runs on each source: the ingest's steps timed one by one (CPU time of
this process), and the real ingest pipeline's CPU time per stage."""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from teachback.config import PACKAGE_DIR, SAMPLES_DIR

SHARED_SOURCES = PACKAGE_DIR.parent / "shared" / "sources"
DEV_SOURCES = PACKAGE_DIR.parent / "shared" / "data" / "dev_sources"


def default_paths() -> list[str]:
    """One curriculum per real source folder, the bundled samples and the shared articles."""
    paths = (
        [str(p) for p in sorted(DEV_SOURCES.iterdir()) if p.is_dir()]
        if DEV_SOURCES.is_dir()
        else []
    )
    paths.append(str(SAMPLES_DIR))
    if SHARED_SOURCES.is_dir():
        paths.append(str(SHARED_SOURCES))
    return paths


def slug(path: str) -> str:
    p = Path(path)
    name = p.stem if p.is_file() else p.name
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "source"


def _timed(fn, *args):
    """Result and CPU seconds of this process (robust to other load on the machine)."""
    start = time.process_time()
    out = fn(*args)
    return out, time.process_time() - start


def measure(path: str) -> dict:
    """Everything for one source: timings, kept/rejected exercises, per-concept counts."""
    from teachback.ingest.concepts import extract_concepts
    from teachback.ingest.exercises import generate_checked
    from teachback.ingest.exercises.corpus import Corpus
    from teachback.ingest.lessons import write_lesson
    from teachback.ingest.prerequisites import link_prerequisites, order_units
    from teachback.ingest.readers import load_sources

    Corpus._cache.clear()  # no head start from an earlier source
    loaded, t_read = _timed(load_sources, [path])
    documents = loaded.documents
    concepts, t_extract = _timed(extract_concepts, documents)

    def rest():
        edges = link_prerequisites(concepts, documents)
        order_units(concepts, edges, documents)
        for c in concepts:
            write_lesson(c, documents)

    _, t_rest = _timed(rest)

    def exercises():
        out = []
        for c in concepts:
            kept, rejected = generate_checked(c, concepts, documents)
            out.append((c, kept, rejected))
        return out

    results, t_ex = _timed(exercises)
    from teachback.benchmarks.exercises.material import materials

    return {
        "path": path,
        "errors": [str(e) for e in loaded.errors],
        "documents": len(documents),
        "concepts": concepts,
        "results": results,
        "materials": materials(concepts, documents),  # (untimed: the report's, not ingest's)
        "t_read": t_read,
        "t_extract": t_extract,
        "t_rest": t_rest,
        "t_exercises": t_ex,
    }


def pipeline_share(paths: list[str]) -> dict:
    """Run the real ingest pipeline on ``paths``; CPU seconds per stage and the exercise
    stages' share (generate + verify) relative to all the other stages."""
    from teachback.curricula.db import open_db
    from teachback.ingest.pipeline import run_ingest

    stages: dict[str, float] = {}
    order: list[str] = []

    # CPU time of this process (all threads): wall time on a shared machine is too noisy
    def on_progress(event: dict) -> None:
        if event["stage"] not in stages:
            stages[event["stage"]] = time.process_time()
            order.append(event["stage"])

    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        start = time.process_time()
        run_ingest(db, paths, curriculum="bench-exercises", on_progress=on_progress)
        total = time.process_time() - start
        db.close()
    ends = [stages[s] for s in order[1:]] + [start + total]
    per_stage = {s: ends[i] - stages[s] for i, s in enumerate(order)}
    # the exercise stages: generation (+ self-check) and the pipeline's verification of them
    ex = sum(v for s, v in per_stage.items() if "exercise" in s or s == "verify")
    return {
        "seconds": round(total, 3),
        "stages": {k: round(v, 3) for k, v in per_stage.items()},
        "exercise_seconds": round(ex, 3),
        "overhead": round(ex / (total - ex), 3) if total > ex else None,
    }
