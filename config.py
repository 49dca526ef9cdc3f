"""Settings, read from the environment (``TEACHBACK_*``) with sensible defaults.

A config file can be added by the model-engine issue; everything here has a default so that
teachback runs with no configuration at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SAMPLES_DIR = PACKAGE_DIR / "data" / "samples"


def default_db_path() -> Path:
    """``$TEACHBACK_DB``, else ``./data/teachback.db`` under the current folder."""
    return Path(os.environ.get("TEACHBACK_DB", "data/teachback.db"))


@dataclass(frozen=True)
class IngestLimits:
    """Guards applied to every source file before a reader sees it."""

    max_file_bytes: int = field(
        default_factory=lambda: int(os.environ.get("TEACHBACK_MAX_FILE_MB", "20")) * 1024 * 1024
    )
    max_files: int = 5000
    max_zip_members: int = 5000
    max_zip_total_bytes: int = 200 * 1024 * 1024


@dataclass(frozen=True)
class IngestBudget:
    """How much each ingest stage may spend on the new sources of a run (``ingest/guard.py``):
    CPU seconds ``stage_seconds + seconds_per_mb * MB``, and resident memory ``memory_mb``."""

    stage_seconds: float = field(
        default_factory=lambda: float(os.environ.get("TEACHBACK_INGEST_STAGE_SECONDS", "120"))
    )
    seconds_per_mb: float = field(
        default_factory=lambda: float(os.environ.get("TEACHBACK_INGEST_SECONDS_PER_MB", "30"))
    )
    memory_mb: float = field(
        default_factory=lambda: float(os.environ.get("TEACHBACK_INGEST_MEMORY_MB", "2048"))
    )
