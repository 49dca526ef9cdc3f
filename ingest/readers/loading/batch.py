"""The files one load has found so far, and what it has to say about the others.

A ``Batch`` collects the files to read from everything the user named (each file once, at most
``IngestLimits.max_files``), records why a file inside a folder or archive is left out (triage,
``--include``/``--exclude``), and keeps the archives open until they are read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from teachback.config import IngestLimits
from teachback.core.document import Document
from teachback.errors import SourceError
from teachback.ingest.readers.loading.ignores import patterns
from teachback.ingest.readers.triage import triage


@dataclass
class LoadResult:
    documents: list[Document] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    # Files passed over on purpose (no reader for their type, or another zip inside a folder).
    skipped: list[str] = field(default_factory=list)
    # Files with a reader left out because they are not course material: (path, reason).
    triaged: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Item:
    """One file to read, from disk, from memory or from an archive."""

    name: str
    path: Path | None = None
    data: bytes | None = None  # bytes handed over directly (uploads, fetched URLs)
    archive: zipfile.ZipFile | None = None
    info: zipfile.ZipInfo | None = None
    hints: dict = field(default_factory=dict)
    root: str | None = None  # the real path of the folder it was found in: it must stay inside


class Batch:
    def __init__(
        self,
        limits: IngestLimits,
        result: LoadResult,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
    ):
        self.limits = limits
        self.result = result
        self.include = patterns(include)
        self.exclude = patterns(exclude)
        self.items: list[Item] = []
        self.seen: set[tuple[int, int] | str] = set()
        self.archives: list[zipfile.ZipFile] = []
        self.full = False
        self.root = ""  # the real path of the folder being walked

    def left_out(self, parts: list[str] | tuple[str, ...], display: str) -> bool:
        """Triage a file found inside a folder or archive; record why it is left out."""
        rel = "/".join(parts)
        if self.exclude is not None and self.exclude.match_file(rel):
            self.result.triaged.append((display, "excluded by --exclude"))
            return True
        reason = triage(parts)
        if reason is None or (self.include is not None and self.include.match_file(rel)):
            return False
        self.result.triaged.append((display, reason))
        return True

    def add(self, item: Item, key) -> None:
        if key in self.seen:
            return
        if len(self.items) >= self.limits.max_files:
            if not self.full:
                self.full = True
                self.result.errors.append(
                    SourceError(
                        item.name,
                        f"more than {self.limits.max_files} files in this "
                        "batch; this file and the rest were not read",
                    )
                )
            return
        self.seen.add(key)
        self.items.append(item)
