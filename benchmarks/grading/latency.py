"""Latency of one ``grade()`` call: with the exercise prepared, with nothing cached, and the
grading thread's CPU time."""

from __future__ import annotations

import os
import time

import numpy as np


def latency(rows: list[dict], n: int = 200) -> dict:
    """Milliseconds per ``grade()`` call over ``n`` answers spread over the file.

    warm: the exercise's question, reference and key points were encoded when it was shown
    (``prepare``), the answer is new -- the tutor's case, and a batch's after a question's first
    answer. cold: nothing cached at all (a fresh process grading its first answer to a question).
    """
    from teachback.engine.protocol import GradeRequest
    from teachback.tutor.grading import embed, grade, prepare

    embed.warm_up()
    step = max(1, len(rows) // n)
    sample = rows[::step][:n]
    warm, cold, cpu = [], [], []
    embed.encode.cache_clear()
    for r in sample:
        req = GradeRequest(
            question=r["question"], reference=r["reference"], answer=r["student_answer"]
        )
        prepare(req.question, req.reference)
        t, c = time.perf_counter(), time.thread_time()
        grade(req)
        warm.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
    for r in sample[: max(20, n // 4)]:
        embed.encode.cache_clear()
        req = GradeRequest(
            question=r["question"], reference=r["reference"], answer=r["student_answer"]
        )
        t = time.perf_counter()
        grade(req)
        cold.append((time.perf_counter() - t) * 1000)
    return {
        "p50_ms": float(np.percentile(warm, 50)),
        "p95_ms": float(np.percentile(warm, 95)),
        "p50_ms_cold": float(np.percentile(cold, 50)),
        "p95_ms_cold": float(np.percentile(cold, 95)),
        # CPU time of the grading thread (onnxruntime runs in it: one intra-op thread): what one
        # grade costs on an idle core, whatever else the machine is doing.
        "p50_ms_cpu": float(np.percentile(cpu, 50)),
        "p95_ms_cpu": float(np.percentile(cpu, 95)),
        "timed": len(warm),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
