"""One sandbox worker for all the programs the exercise kinds run on a corpus's notebooks.

A kind that checks its exercises by running notebook cells (predict the output, which call
gives this output) registers what it would run (``provide(name, programs_of)``); the first
kind to ask for its results (``results(corpus, name)``) runs every registered kind's programs
at once, in one worker, and the results are kept on the corpus for the others. Starting a
worker and importing a notebook's libraries (pandas takes seconds) is most of a run's cost:
paid once per corpus, not once per kind.

``programs_of(corpus)`` must give the same list each time it is called on a corpus (the kinds
cache their candidates on it). Callers check ``sandbox.available()`` first: ``results``
raises ``sandbox.SandboxUnavailable`` where nothing may run.
"""

from __future__ import annotations

from collections.abc import Callable

from teachback import sandbox
from teachback.ingest.exercises.corpus import Corpus

_PROVIDERS: dict[str, Callable[[Corpus], list[list[str]]]] = {}


def provide(name: str, programs_of: Callable[[Corpus], list[list[str]]]) -> None:
    _PROVIDERS[name] = programs_of


def results(corpus: Corpus, name: str) -> list[sandbox.ProgramResult]:
    """The results of ``name``'s programs on ``corpus``, in its order (all kinds' run once)."""
    done = corpus.__dict__.setdefault("_notebook_runs", {})
    if name not in done:
        todo = {n: f(corpus) for n, f in _PROVIDERS.items() if n not in done}
        flat = [p for programs in todo.values() for p in programs]
        out = sandbox.run_programs(flat) if flat else []
        at = 0
        for n, programs in todo.items():
            done[n] = out[at : at + len(programs)]
            at += len(programs)
    return done[name]
