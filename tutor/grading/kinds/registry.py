"""The registry of graders: which function grades which exercise kind.

A grader takes a ``GradeRequest`` and returns a ``Grade``; ``@register("kind")`` records it under
its kind, for built-in kinds and extensions alike.
"""

from __future__ import annotations

from collections.abc import Callable

from teachback.engine.protocol import Grade, GradeRequest

Grader = Callable[[GradeRequest], Grade]
GRADERS: dict[str, Grader] = {}


def register(kind: str) -> Callable[[Grader], Grader]:
    def wrap(fn: Grader) -> Grader:
        GRADERS[kind] = fn
        return fn

    return wrap
