"""What the ingest graph's nodes share besides the state: LangGraph's run context.

One ``IngestContext`` per run, passed as ``graph.invoke(..., context=...)``: the curriculum
store, the engine, the run's staged data, the progress callback, the batch size of the
batched stages and the processes they run in. It is not checkpointed; a resumed run passes a
new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from teachback.curricula.db import Database
from teachback.engine.protocol import Engine
from teachback.ingest.pipeline.staging import StagedRun

ProgressFn = Callable[[dict], None]


@dataclass
class IngestContext:
    db: Database
    engine: Engine
    run: StagedRun
    on_progress: ProgressFn | None
    batch: int  # concepts per staged batch in the lesson and exercise stages
    workers: int = 1  # processes the batched stages run in (1: this one only; see pool.py)

    def progress(self, stage: str, done: int, total: int, message: str = "") -> None:
        if self.on_progress is not None:
            self.on_progress({"stage": stage, "done": done, "total": total, "message": message})

    def batches(self, items: list[int]) -> Iterator[list[int]]:
        """``items`` in consecutive batches: ``[0..4]`` by 2 -> ``[0, 1], [2, 3], [4]``."""
        for start in range(0, len(items), self.batch):
            yield items[start : start + self.batch]

    def unfinished(self, prefix: str, items: list[int]) -> list[tuple[int, list[int]]]:
        """``(b, batch)`` for each batch of ``items`` not yet staged as ``<prefix>:<b>``
        (a resumed stage skips the batches it finished before an interruption)."""
        return [
            (b, batch)
            for b, batch in enumerate(self.batches(items))
            if not self.run.has(f"{prefix}:{b}")
        ]

    def batch_progress(self, stage: str, finished: int, total: int) -> None:
        """Progress after ``finished`` batches of ``total`` concepts."""
        self.progress(stage, min(finished * self.batch, total), total)
