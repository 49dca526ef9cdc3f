"""Expanding what the user named into files, and reading each one safely.

``load_sources(paths)`` accepts a file, a folder, a ``.zip`` archive, or a list of any of them;
``load_bytes`` the same for files already in memory.

* Folders are walked in name order (``folders``), with ignore files honoured at every level on
  top of default ignores (``ignores``). Only files with a registered reader are read; the
  others are listed in ``LoadResult.skipped``. Any empty file other than an ``__init__.py`` is
  an error.
* Inside a folder or archive, files that are not course material (test fixtures, data files,
  vendored and generated files, licences, lock files, configuration modules; see
  ``teachback.ingest.readers.triage``) are left out and listed with the reason in
  ``LoadResult.triaged``. ``include`` patterns (gitignore syntax, relative to the folder) bring
  such a file back; ``exclude`` patterns leave any file out. A file named directly is always read.
* Zip archives are read in memory, never extracted, with their own limits (``archives``).
* Every file is size-checked before it is read (``reading``).

Every problem becomes one ``SourceError(where, problem)`` in ``LoadResult.errors`` and the rest
of the batch is still read. Nothing from a source is ever executed.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from teachback.config import IngestLimits
from teachback.errors import SourceError
from teachback.ingest.readers.loading.archives import expand_zip
from teachback.ingest.readers.loading.batch import Batch, Item, LoadResult
from teachback.ingest.readers.loading.folders import escapes, outside, walk_folder
from teachback.ingest.readers.loading.reading import read_bytes, read_disk, read_member, too_big
from teachback.ingest.readers.registry import extension_of

ProgressCallback = Callable[[int, int, str], None]

__all__ = ["LoadResult", "ProgressCallback", "load_bytes", "load_sources"]


def load_sources(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    limits: IngestLimits | None = None,
    on_progress: ProgressCallback | None = None,
    include: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
) -> LoadResult:
    """Read every source under ``paths`` (files, folders, zip archives, or a list of them).

    Returns the documents that could be read and one ``SourceError`` per problem; a bad file
    never stops the others. ``on_progress(done, total, name)`` is called once with ``done=0``
    when the files are known and then after each file. ``include`` / ``exclude``: gitignore
    patterns (relative to a folder or archive) overriding triage.
    """
    limits = limits or IngestLimits()
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    result = LoadResult()
    batch = Batch(limits, result, include, exclude)
    for given in paths:
        _expand(batch, os.fspath(given))
    return _read_all(batch, limits, result, on_progress)


def load_bytes(
    files: Iterable[tuple[str, bytes]],
    limits: IngestLimits | None = None,
    on_progress: ProgressCallback | None = None,
) -> LoadResult:
    """Like ``load_sources`` for files already in memory (web uploads, fetched URLs):
    ``files`` is ``[(name, data), ...]``; a ``.zip`` is opened in memory with the same checks.
    """
    limits = limits or IngestLimits()
    result = LoadResult()
    batch = Batch(limits, result)
    for name, data in files:
        if len(data) > limits.max_file_bytes and extension_of(name) != ".zip":
            result.errors.append(too_big(name, len(data), limits.max_file_bytes))
        elif extension_of(name) == ".zip":
            expand_zip(batch, io.BytesIO(data), name)
        else:
            batch.add(Item(name, data=data), ("bytes", name))
    return _read_all(batch, limits, result, on_progress)


def _expand(batch: Batch, given: str) -> None:
    """Add what the user named (a folder, a zip archive or a file) to the batch."""
    path = Path(given)
    if not os.path.lexists(path):
        batch.result.errors.append(SourceError(given, "no such file or folder"))
        return
    try:
        st = os.stat(path)
    except OSError as exc:
        problem = (
            "symlink loop"
            if exc.errno == errno.ELOOP
            else "broken symlink (its target does not exist)"
            if os.path.islink(path)
            else f"cannot be read: {exc.strerror}"
        )
        batch.result.errors.append(SourceError(given, problem))
        return
    if stat.S_ISDIR(st.st_mode):
        walk_folder(batch, path, given, st)
    elif extension_of(given) == ".zip":
        expand_zip(batch, path, given)
    else:
        # Images a single file links to may come from its own folder.
        hints = {"root": str(path.parent), "file": str(path)}
        batch.add(Item(given, path=path, hints=hints), (st.st_dev, st.st_ino))


def _read_all(
    batch: Batch,
    limits: IngestLimits,
    result: LoadResult,
    on_progress: ProgressCallback | None,
) -> LoadResult:
    try:
        total = len(batch.items)
        if on_progress:
            on_progress(0, total, "")
        for done, item in enumerate(batch.items, start=1):
            try:
                if item.archive is not None:
                    assert item.info is not None
                    data = read_member(item.name, item.archive, item.info, limits)
                elif item.data is not None:
                    data = item.data
                else:
                    assert item.path is not None
                    # Again at read time: a link swapped in after the walk must not get out.
                    if item.root and (target := escapes(item.path, item.root)):
                        raise outside(item.name, target)
                    data = read_disk(item.name, item.path, limits)
                result.documents.append(read_bytes(item.name, data, item.hints))
            except SourceError as err:
                result.errors.append(err)
            if on_progress:
                on_progress(done, total, item.name)
    finally:
        for archive in batch.archives:
            archive.close()
    return result
