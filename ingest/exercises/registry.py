"""A small registry of exercise generators ("kinds"), open to third parties.

A kind is an ``ExerciseKindPlugin``: a name, the ``ExerciseDraft.kind`` it produces (one of
the kinds ``teachback.core.kinds`` declares: how it is answered and graded), a
``generate(view)`` that writes candidate exercises for one concept, and a ``solve(exercise,
corpus)`` that answers such an exercise from the sources alone (the self-check's reader).
The built-in kinds in ``teachback.ingest.exercises.kinds`` register themselves through the same
``register`` call a third party would use::

    from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register

    def generate(view):            # view: teachback.ingest.exercises.context.ConceptView
        return [view.new("short_answer", f"Why does {view.concept.name} matter?", "...")]

    def solve(exercise, corpus):   # corpus: teachback.ingest.exercises.corpus.Corpus
        return Solution(answer=None)  # cannot answer -> rejected as unanswerable

    register(ExerciseKindPlugin("why_it_matters", "short_answer", generate, solve))

Packages may also expose plugins under the entry-point group ``teachback.exercise_kinds``
(the entry point is a module or a callable that calls ``register``).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import pkgutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from teachback.core.kinds import NAMES as KIND_NAMES
from teachback.engine.protocol import ExerciseDraft, Span


@dataclass
class Solution:
    """What the self-check's reader answered, and how sure it is.

    ``support`` (0..1) is how well the best passage backs ``answer``; ``runner_up`` the support
    of the best *different* answer (None when there is no competitor); ``ambiguous`` a
    reason when the reader found more than one defensible answer.
    """

    answer: str | list[str] | bool | None
    support: float = 0.0
    runner_up: float | None = None
    runner_up_answer: str | None = None
    ambiguous: str = ""
    supporting: list[Span] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class ExerciseKindPlugin:
    name: str
    kind: str
    generate: Callable  # (ConceptView) -> list[ExerciseDraft]
    solve: Callable  # (ExerciseDraft, Corpus) -> Solution
    # Does the reader's answer agree with the key? Default: normalised equality.
    matches: Callable | None = None
    # Returns a reason string when the prompt gives the answer away, else "".
    reveals: Callable | None = None
    min_support: float = 0.35  # below this the exercise counts as unanswerable
    min_margin: float = 0.12  # support - runner_up below this counts as ambiguous
    order: int = 100  # generation order (cheap, high-yield kinds first)


_KINDS_DIR = Path(__file__).with_name("kinds")  # the built-in kinds, one module each
_REGISTRY: dict[str, ExerciseKindPlugin] = {}
_LOCK = threading.Lock()
_LOADED = False


def register(plugin: ExerciseKindPlugin) -> ExerciseKindPlugin:
    """Add (or replace, by name) a generator of exercises. Its ``kind`` must be one that
    ``core/kinds.py`` declares: that is what makes the tutor able to grade and show them."""
    if plugin.kind not in KIND_NAMES:
        raise ValueError(
            f"exercise generator {plugin.name!r} makes unknown kind {plugin.kind!r}; "
            f"declare it in teachback/core/kinds.py (known: {', '.join(KIND_NAMES)})"
        )
    with _LOCK:
        _REGISTRY[plugin.name] = plugin
    return plugin


def unregister(name: str) -> None:
    with _LOCK:
        _REGISTRY.pop(name, None)


def load_builtins() -> None:
    """Import the built-in kinds (each registers itself) and entry-point plugins, once."""
    global _LOADED
    if _LOADED:
        return
    # Every module of the built-in kinds package registers its kind on import, so a new kind
    # is one new file there. The kinds import this module (``register``): importing them (or
    # their package) by name here would make the two import each other.
    for module in pkgutil.iter_modules([str(_KINDS_DIR)], prefix=f"{__package__}.kinds."):
        importlib.import_module(module.name)
    try:
        eps = importlib.metadata.entry_points(group="teachback.exercise_kinds")
    except Exception:  # pragma: no cover - broken metadata must not break ingest
        eps = []
    for ep in eps:
        obj = ep.load()
        if callable(obj):
            obj()
    _LOADED = True


def plugins() -> list[ExerciseKindPlugin]:
    load_builtins()
    with _LOCK:
        return sorted(_REGISTRY.values(), key=lambda p: (p.order, p.name))


def plugin_for(exercise: ExerciseDraft) -> ExerciseKindPlugin | None:
    load_builtins()
    name = exercise.data.get("generator") if isinstance(exercise.data, dict) else None
    with _LOCK:
        if name and name in _REGISTRY:
            return _REGISTRY[name]
        for p in sorted(_REGISTRY.values(), key=lambda p: (p.order, p.name)):
            if p.kind == exercise.kind:
                return p
    return None
