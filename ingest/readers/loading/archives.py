"""Opening a zip archive safely, in memory, never extracted.

A member whose path is absolute or climbs out with ``..`` is refused, and so is a member stored
as a symlink (never followed) or encrypted; so is an archive with too many members or whose
members would unpack to more than ``IngestLimits.max_zip_total_bytes`` (a zip bomb). Ignore
files inside the archive are honoured like a folder's. Zips inside the archive are not opened.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from teachback.config import IngestLimits
from teachback.errors import SourceError
from teachback.ingest.readers.code.modules import module_name_from_parts
from teachback.ingest.readers.images import ArchiveFolder
from teachback.ingest.readers.loading.batch import Batch, Item
from teachback.ingest.readers.loading.ignores import (
    IGNORE_FILES,
    zip_ignore_specs,
    zip_ignored,
)
from teachback.ingest.readers.loading.reading import mb
from teachback.ingest.readers.registry import extension_of, reader_for

_DRIVE = re.compile(r"^[A-Za-z]:")


def expand_zip(batch: Batch, path: Path | io.BytesIO, shown: str) -> None:
    """Add the members of the archive at ``path`` (or in memory) to the batch."""
    opened = _open_zip(batch, path, shown)
    if opened is None:
        return
    archive, size = opened
    infos = [i for i in archive.infolist() if not i.is_dir()]
    problem = _zip_too_big(infos, size, batch.limits)
    if problem:
        batch.result.errors.append(SourceError(shown, problem))
        return
    in_archive = ArchiveFolder(archive)  # images a member links to come from the archive
    names = [i.filename.replace("\\", "/") for i in infos]
    ignore_specs = zip_ignore_specs(archive, names, infos)
    package_dirs = {n.rsplit("/", 1)[0] for n in names if n.endswith("/__init__.py")}
    for name, info in zip(names, infos, strict=True):
        display = f"{shown}!{info.filename}"
        parts = PurePosixPath(name).parts
        unsafe = name.startswith("/") or _DRIVE.match(name) or ".." in parts
        if not unsafe and zip_ignored(parts, ignore_specs):
            continue
        problem = _member_problem(info, bool(unsafe))
        if problem:
            batch.result.errors.append(SourceError(display, problem))
            continue
        _take_member(batch, archive, in_archive, info, name, display, package_dirs)


def _open_zip(batch: Batch, path: Path | io.BytesIO, shown: str):
    """``(archive, its size)``; None (the problem recorded) when it is not a zip."""
    try:
        size = len(path.getbuffer()) if isinstance(path, io.BytesIO) else os.path.getsize(path)
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        batch.result.errors.append(SourceError(shown, f"not a readable zip archive ({exc})"))
        return None
    batch.archives.append(archive)
    return archive, size


def _take_member(
    batch: Batch, archive, in_archive, info: zipfile.ZipInfo, name: str, display: str, package_dirs
) -> None:
    """A zip member: read when a reader knows its kind and triage keeps it; an empty
    ``__init__.py``, an unknown kind or a zip inside the zip is listed as skipped."""
    parts = PurePosixPath(name).parts
    if info.file_size == 0 and parts[-1] == "__init__.py":
        batch.result.skipped.append(display)
        return
    reader = reader_for(name)
    if reader is None or extension_of(name) == ".zip":
        if parts[-1] not in IGNORE_FILES:
            batch.result.skipped.append(display)
        return
    if batch.left_out(parts, display):
        return
    hints = {"root": in_archive, "file": name}
    if reader.format == "code" and name.endswith((".py", ".pyi")):
        hints["module"] = module_name_from_parts(list(parts), package_dirs)
    batch.add(Item(display, archive=archive, info=info, hints=hints), display)


def _zip_too_big(infos: list, size: int, limits: IngestLimits) -> str:
    """Why an archive is not read (too many files, or it would unpack to too much), or ""."""
    if len(infos) > limits.max_zip_members:
        return (
            f"zip archive has {len(infos)} files, over the limit of "
            f"{limits.max_zip_members}; not read"
        )
    total = sum(i.file_size for i in infos)
    if total > limits.max_zip_total_bytes:
        return (
            f"zip archive would unpack to {mb(total)} (from "
            f"{mb(size)}), over the {mb(limits.max_zip_total_bytes)} "
            "limit (a zip bomb?); not read"
        )
    return ""


def _member_problem(info: zipfile.ZipInfo, unsafe: bool) -> str:
    """Why a zip member is not read (an unsafe path, a symlink, encrypted), or ""."""
    if unsafe:
        return "unsafe path in zip archive (absolute, or climbs out with '..'); not read"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symlink in zip archive; not followed, not read"
    if info.flag_bits & 0x1:
        return "encrypted zip member (needs a password); not read"
    return ""
