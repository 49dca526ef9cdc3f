"""The ingest graph's state, and the slice of it each node reads and writes.

The state holds bookkeeping only (checkpointed after every node, so it stays a few kilobytes);
the heavy data lives in the staging table (``staging.py``). Each node declares the keys it
reads as a ``TypedDict`` (LangGraph passes it only those) and the keys it writes as another.
Every stage under the time and memory guard reads ``sources``: its budget grows with the size
of the run's new sources (``guarding.py``).
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict


class SourceRow(TypedDict):
    """One document read by this run."""

    id: str
    path: str
    sha256: str
    status: Literal["new", "changed", "unchanged"]
    title: str
    format: str
    chars: int


class ErrorRow(TypedDict):
    path: str  # the file it is about ("" when the reader could not name one)
    message: str  # one line, naming the file


class IngestInput(TypedDict):
    """What a run starts from."""

    curriculum: str
    paths: list[str]
    max_file_bytes: int | None
    with_exercises: bool  # False: lessons only (exercises are made by a later run)
    include: list[str]  # gitignore patterns: files triage would leave out, read anyway
    exclude: list[str]  # gitignore patterns: files left out
    # Sources a stage ran over its budget on in an earlier attempt of this run: path -> why.
    # They are not read again; each becomes an error line (see ``run_ingest``).
    left_out: NotRequired[dict[str, str]]


class IngestState(IngestInput, total=False):
    """Bookkeeping only: heavy data lives in the staging table (see ``Staging``)."""

    sources: list[SourceRow]
    errors: list[ErrorRow]
    skipped: list[str]  # files left out by triage: "path (reason)"
    changed: bool  # whether anything has to be recomputed and stored
    n_concepts: int
    todo: list[int]  # indices of concepts needing a new lesson and exercises
    exercises: str  # "generate_checked" | "make_exercises" | "skip: <why>"
    stored: dict[str, int]  # counts from the store node
    notes: list[str]  # stages that were skipped or degraded, and why
    # Sources whose exercises an exercise stage ran over its budget on: path -> why. The
    # source stays; only exercises from it are left out (see ``run_ingest``).
    no_exercises: dict[str, str]


# --- each node's slice ---------------------------------------------------------------------


class ReadIn(TypedDict, total=False):
    curriculum: str
    paths: list[str]
    max_file_bytes: int | None
    with_exercises: bool
    include: list[str]
    exclude: list[str]
    left_out: dict[str, str]


class ReadOut(TypedDict):
    sources: list[SourceRow]
    errors: list[ErrorRow]
    skipped: list[str]
    changed: bool


class Guarded(TypedDict, total=False):
    """What every guarded stage reads for its budget."""

    sources: list[SourceRow]


class ChunkIn(Guarded, total=False):
    curriculum: str


class ConceptsOut(TypedDict):
    n_concepts: int


class MergeIn(Guarded, total=False):
    curriculum: str


class LinkIn(Guarded, total=False):
    curriculum: str


class LinkOut(TypedDict):
    todo: list[int]


class LessonsIn(Guarded, total=False):
    todo: list[int]


class ExercisesIn(Guarded, total=False):
    todo: list[int]
    notes: list[str]
    with_exercises: bool
    no_exercises: dict[str, str]


class ExercisesOut(TypedDict, total=False):
    exercises: str
    notes: list[str]


class VerifyIn(Guarded, total=False):
    todo: list[int]
    exercises: str
    no_exercises: dict[str, str]


class StoreIn(TypedDict, total=False):
    curriculum: str
    sources: list[SourceRow]
    errors: list[ErrorRow]
    changed: bool
    todo: list[int]
    exercises: str


class StoreOut(TypedDict):
    stored: dict[str, int]


class NoUpdate(TypedDict):
    """A node whose output is all staged: it changes no key of the state."""
