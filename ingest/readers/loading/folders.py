"""Walking a folder safely: its files in name order, ignored files and folders left out, and
symlinks followed only while they stay inside the folder given.

A symlink that leads out of the folder (``notes.md -> ~/.ssh/id_rsa``) is refused, and so is
one that leads back to one of its own parent folders (a loop), loops on itself, or points
nowhere; each is reported and not followed. Empty ``__init__.py`` files are skipped quietly
(package markers). Only files whose reader walks into folders are taken; the others are listed
in ``LoadResult.skipped``.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from teachback.errors import SourceError
from teachback.ingest.readers.loading.batch import Batch, Item
from teachback.ingest.readers.loading.ignores import (
    DEFAULT_SPEC,
    IGNORE_FILES,
    ignored,
    with_ignore_files,
)
from teachback.ingest.readers.registry import reader_for


def escapes(path: str | os.PathLike, root: str) -> str | None:
    """Where ``path`` really leads when that is outside the folder ``root`` (a real path),
    else None: ``("course/notes.md" -> "/etc/passwd", "/work/course") -> "/etc/passwd"``."""
    target = os.path.realpath(path)
    return None if target == root or target.startswith(root.rstrip(os.sep) + os.sep) else target


def outside(name: str, target: str) -> SourceError:
    return SourceError(name, f"symlink leads outside the folder given (to {target}); not read")


def walk_folder(batch: Batch, path: Path, given: str, st: os.stat_result) -> None:
    """Add the files of the folder ``path`` (named ``given`` by the user) to the batch."""
    batch.root = os.path.realpath(path)
    try:
        _walk(batch, path, given, [], [(0, DEFAULT_SPEC)], {(st.st_dev, st.st_ino)})
    except RecursionError:
        batch.result.errors.append(
            SourceError(given, "folders nested too deeply; the deepest were not read")
        )


def _walk(batch: Batch, folder: Path, shown: str, rel: list[str], specs, ancestors: set) -> None:
    entries = None if batch.full else _entries(batch, folder, shown, rel)
    if entries is None:
        return
    specs = with_ignore_files(folder, entries, rel, specs)
    for entry in entries:
        child_rel = [*rel, entry.name]
        display = os.path.join(shown, *child_rel)
        st = _stat(batch, entry, display)
        if st is None:
            continue
        is_dir = stat.S_ISDIR(st.st_mode)
        if ignored(child_rel, is_dir, specs):
            continue
        if entry.is_symlink() and (target := escapes(entry.path, batch.root)):
            batch.result.errors.append(outside(display, target))
            continue
        key = (st.st_dev, st.st_ino)
        if is_dir:
            if _enters(batch, entry, display, key, ancestors):
                _walk(batch, Path(entry.path), shown, child_rel, specs, ancestors | {key})
            continue
        added = stat.S_ISREG(st.st_mode) and _take_file(
            batch, entry, st, shown, child_rel, display, key
        )
        if added and batch.full:
            return


def _entries(batch: Batch, folder: Path, shown: str, rel: list[str]) -> list | None:
    """The folder's entries by name; None (the problem recorded) when it cannot be read."""
    try:
        return sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        where = os.path.join(shown, *rel) if rel else shown
        batch.result.errors.append(
            SourceError(where, f"folder cannot be read: {exc.strerror or exc}")
        )
        return None


def _stat(batch: Batch, entry: os.DirEntry, display: str) -> os.stat_result | None:
    """The entry's stat, following symlinks; None (the problem recorded) when it fails."""
    try:
        return os.stat(entry.path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            problem = "symlink loop (the link points back to itself); not followed"
        elif entry.is_symlink():
            problem = "broken symlink (its target does not exist)"
        else:
            problem = f"cannot be read: {exc.strerror or exc}"
        batch.result.errors.append(SourceError(display, problem))
        return None


def _enters(batch: Batch, entry: os.DirEntry, display: str, key: tuple, ancestors: set) -> bool:
    """Whether to walk into a folder: not a link back to a parent (recorded as a problem),
    nor one already walked through another link."""
    if key in ancestors:
        target = os.readlink(entry.path) if entry.is_symlink() else entry.path
        batch.result.errors.append(
            SourceError(
                display,
                f"symlink loop: it points back to a parent folder ({target}); not followed",
            )
        )
        return False
    if key in batch.seen:
        return False  # the same folder reached again through another link
    batch.seen.add(key)
    return True


def _take_file(
    batch: Batch, entry: os.DirEntry, st, shown: str, child_rel: list[str], display: str, key
) -> bool:
    """A regular file of a folder: read when a reader walks into folders for it and
    triage keeps it (True); an empty ``__init__.py`` or an unknown kind is listed as
    skipped."""
    if st.st_size == 0 and entry.name == "__init__.py":
        batch.result.skipped.append(display)  # an empty package marker, not a source
        return False
    reader = reader_for(entry.name)
    if reader is None or not reader.walk:
        if entry.name not in IGNORE_FILES:
            batch.result.skipped.append(display)
        return False
    if batch.left_out(child_rel, display):
        return False
    hints = {"root": shown, "file": entry.path}  # images only from inside the folder
    batch.add(Item(display, path=Path(entry.path), hints=hints, root=batch.root), key)
    return True
