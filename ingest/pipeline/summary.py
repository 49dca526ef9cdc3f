"""What an ingest did (``IngestSummary``), for the CLI, the web UI and tests."""

from __future__ import annotations

from pydantic import BaseModel, Field

from teachback.curricula.db import Database
from teachback.curricula.ingest_store import curriculum_counts


class IngestSummary(BaseModel):
    """What an ingest did, for the CLI, the web UI and tests."""

    curriculum: str
    sources_read: int = 0  # files of this batch read without error
    sources_new: int = 0
    sources_changed: int = 0
    sources_unchanged: int = 0
    errors: list[str] = Field(default_factory=list)  # one line each, naming the file
    # Files of a folder left out as not course material: "path (reason)", one each.
    skipped: list[str] = Field(default_factory=list)
    concepts: int = 0  # in the curriculum after the ingest
    edges: int = 0  # active edges in the curriculum
    units: int = 0
    lessons: int = 0  # lessons in the curriculum
    lessons_written: int = 0  # by this run
    exercises_kept: int = 0  # by this run
    exercises_rejected: int = 0
    exercises_skipped: str = ""  # why the exercise stage was skipped, if it was
    notes: list[str] = Field(default_factory=list)  # other stages skipped or degraded
    resumed: bool = False
    seconds: float = 0.0
    run_id: int | None = None
    # Model use by an LLM engine (engine/openai_engine/): tokens spent by this run, and the
    # engine's usage report (calls, cache hits, fallbacks to the embedded engine, budget).
    tokens: int = 0
    llm: dict = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """False only when every input failed and nothing was read."""
        return self.sources_read > 0 or not self.errors


def summarize(db: Database, curriculum: str, final: dict, resumed: bool) -> IngestSummary:
    """The summary of a finished run from its final state and the curriculum's counts."""
    sources = final.get("sources", [])
    stored = final.get("stored", {})
    mode = final.get("exercises", "")
    return IngestSummary(
        curriculum=curriculum,
        sources_read=len(sources),
        sources_new=sum(s["status"] == "new" for s in sources),
        sources_changed=sum(s["status"] == "changed" for s in sources),
        sources_unchanged=sum(s["status"] == "unchanged" for s in sources),
        errors=[e["message"] for e in final.get("errors", [])],
        skipped=list(final.get("skipped", [])),
        **curriculum_counts(db, curriculum),
        lessons_written=stored.get("lessons_written", 0),
        exercises_kept=stored.get("exercises_kept", 0),
        exercises_rejected=stored.get("exercises_rejected", 0),
        exercises_skipped=mode[len("skip: ") :] if mode.startswith("skip") else "",
        notes=list(final.get("notes", []))
        + [f"{path}: {why}" for path, why in (final.get("no_exercises") or {}).items()],
        resumed=resumed,
    )
