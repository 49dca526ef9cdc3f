"""Each stage under the time and memory budget of the run's new sources (``ingest/guard``).

A stage that runs over raises ``StageStopped``; ``run_ingest`` then leaves out the largest
new source (or, for an exercise stage, only that source's exercises) and goes on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from teachback.config import IngestBudget
from teachback.ingest.guard import Budget, guarded
from teachback.ingest.pipeline.state import Guarded, SourceRow

EXERCISE_STAGES = ("exercises", "verify")  # guarded stages whose stop leaves out exercises only

Node = TypeVar("Node", bound=Callable[..., Any])


def guarded_stage(stage: str) -> Callable[[Node], Node]:
    """Run the decorated node under ``stage_budget`` of its state's sources. The node keeps
    its signature (LangGraph reads the state slice and the runtime from it)."""

    def decorate(node: Node) -> Node:
        @functools.wraps(node)
        def guarded_node(state: Guarded, runtime: Any) -> Any:
            with guarded(stage, stage_budget(state.get("sources", []))):
                return node(state, runtime)

        return guarded_node  # type: ignore[return-value]

    return decorate


def stage_budget(sources: list[SourceRow]) -> Budget:
    """A stage's CPU seconds grow with the megabytes of new or changed text."""
    limits = IngestBudget()
    fresh = sum(s.get("chars", 0) for s in sources if s["status"] != "unchanged")
    mb = fresh / (1024 * 1024)
    return Budget(limits.stage_seconds + limits.seconds_per_mb * mb, limits.memory_mb)


def largest_new_source(sources: list[SourceRow], besides: Iterable[str] = ()) -> str | None:
    """The path of the biggest new or changed source (other than ``besides``), or None."""
    besides = set(besides)
    fresh = [s for s in sources if s["status"] != "unchanged" and s["path"] not in besides]
    return max(fresh, key=lambda s: s.get("chars", 0))["path"] if fresh else None
