"""Settings, read from the environment (``TEACHBACK_*``) and ``teachback.toml``, with sensible
defaults: teachback runs with no configuration at all.

``config_file`` finds the file and ``config_table`` reads one of its tables, for every part
that has settings there (``[llm]``: ``engine/llm_config.py``; ``[server]``: ``public_url``).
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


def config_file() -> Path | None:
    """The ``teachback.toml`` in use: ``$TEACHBACK_CONFIG``, else ``./teachback.toml``, else
    ``~/.config/teachback/teachback.toml`` (the same lookup as the model settings)."""
    explicit = os.environ.get("TEACHBACK_CONFIG")
    if explicit:
        return Path(explicit)
    for candidate in (Path("teachback.toml"), Path.home() / ".config/teachback/teachback.toml"):
        if candidate.is_file():
            return candidate
    return None


def config_table(name: str, path: Path | None = None) -> dict:
    """The ``[name]`` table of the config file (``path``, else ``config_file()``); {} when there
    is no file or no such table. A named file that is missing, not TOML, or whose ``[name]`` is
    not a table is a ``TeachbackError``."""
    import tomllib

    from teachback.errors import TeachbackError

    path = path if path is not None else config_file()
    if path is None:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TeachbackError(f"{path}: config file not found ($TEACHBACK_CONFIG)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise TeachbackError(f"{path}: not valid TOML ({err})") from None
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise TeachbackError(f"{path}: [{name}] must be a table")
    return table


def public_url() -> str:
    """The address learners open to reach this server (``https://class.example.org``), or ""
    when none is configured: ``$TEACHBACK_PUBLIC_URL`` (``teachback serve --public-url`` sets
    it), else ``public_url`` in the ``[server]`` table of ``teachback.toml``.

    A malformed file is ignored here (the model settings report it); a value that is not an
    http(s) address is refused with a clear error."""
    from teachback.errors import TeachbackError

    value = os.environ.get("TEACHBACK_PUBLIC_URL", "").strip()
    if not value:
        try:
            table = config_table("server")
        except (OSError, TeachbackError):
            table = {}
        value = str(table.get("public_url", "")).strip()
    if value and not value.lower().startswith(("http://", "https://")):
        raise TeachbackError(
            f"public URL {value!r} must start with http:// or https:// "
            "(TEACHBACK_PUBLIC_URL, --public-url or [server] public_url in teachback.toml)"
        )
    return value.rstrip("/")
