"""Reading one source safely: its bytes from disk or from an archive member, size-checked
before they are read, then handed to the reader its name picks.

Every file is checked against ``IngestLimits.max_file_bytes`` (``TEACHBACK_MAX_FILE_MB``, 20 MB
by default) from its size on disk (or in the archive) *before* it is read; an archive member is
read with a bounded read, so a lying header cannot make it bigger. Every problem is a
``SourceError`` naming the file.
"""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from pathlib import Path

from teachback.config import IngestLimits
from teachback.core.document import Document
from teachback.errors import SourceError
from teachback.ingest.readers.decoding import looks_binary
from teachback.ingest.readers.legal import without_notices
from teachback.ingest.readers.registry import extension_of, get_reader, reader_for


def mb(n: int) -> str:
    """``52428800`` -> ``"50.0 MB"``; under 1 MB in KB so small limits read sensibly."""
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def too_big(name: str, size: int, limit: int) -> SourceError:
    return SourceError(
        name,
        f"file is {mb(size)}, over the {mb(limit)} size limit "
        "(set TEACHBACK_MAX_FILE_MB to raise it)",
    )


def read_bytes(name: str, data: bytes, hints: dict | None = None) -> Document:
    """Read one source from its bytes; ``name`` picks the reader by extension.

    A name with no registered extension is read as plain text when the bytes are text.
    Raises ``SourceError`` (naming ``name``) for anything that cannot be read.
    """
    reader = reader_for(name)
    if reader is None:
        if extension_of(name) == ".zip":
            raise SourceError(name, "a zip archive holds many files: use load_sources/load_bytes")
        if not data.strip():
            raise SourceError(name, "empty file (nothing to read)")
        if looks_binary(data):
            ext = extension_of(name) or "(no extension)"
            raise SourceError(name, f"unsupported file type {ext}: binary, and no reader for it")
        reader = get_reader("text")
        if reader is None:  # pragma: no cover - the text reader is built in
            raise SourceError(name, "no reader for this file type")
    try:
        doc = reader.read(name, data, dict(hints or {}))
    except SourceError:
        raise
    except RecursionError:
        raise SourceError(name, "too deeply nested to read") from None
    except Exception as exc:  # a reader bug must not stop the batch; say what happened
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        raise SourceError(
            name, f"{reader.format} reader failed: {type(exc).__name__}: {detail}".rstrip(": ")
        ) from exc
    if not doc.sections:
        raise SourceError(name, f"no readable text in this {reader.format} file")
    return _material(name, doc)


def _material(name: str, doc: Document) -> Document:
    """``doc`` without its licence and copyright notices (every reader's, so a plugin's too)."""
    doc = without_notices(doc)
    if not doc.sections:
        raise SourceError(name, "only a licence or copyright notice, no course material")
    return doc


def read_file(path: str | os.PathLike, limits: IngestLimits | None = None) -> Document:
    """Read one file from disk (size-checked first). Raises ``SourceError``."""
    limits = limits or IngestLimits()
    name = os.fspath(path)
    p = Path(name)
    if p.is_dir():
        raise SourceError(name, "is a folder; use load_sources() to read a folder")
    return read_bytes(name, read_disk(name, p, limits))


def read_disk(name: str, path: Path, limits: IngestLimits) -> bytes:
    """A regular file's bytes from disk, refused from its size before it is opened."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise SourceError(name, "broken symlink (its target does not exist)") from None
        raise SourceError(name, "no such file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SourceError(name, "symlink loop (the link points back to itself)") from None
        raise SourceError(name, f"cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise SourceError(name, "not a regular file")
    if st.st_size > limits.max_file_bytes:
        raise too_big(name, st.st_size, limits.max_file_bytes)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise SourceError(name, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > limits.max_file_bytes:  # it grew while we looked
        raise too_big(name, len(data), limits.max_file_bytes)
    return data


def read_member(
    name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: IngestLimits
) -> bytes:
    """An archive member's bytes, read no further than the size limit."""
    try:
        with archive.open(info) as fh:
            data = fh.read(limits.max_file_bytes + 1)
    except RuntimeError as exc:  # encrypted member
        raise SourceError(name, f"cannot be read: {exc}") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise SourceError(name, f"corrupt archive member: {exc}") from None
    if len(data) > limits.max_file_bytes:
        raise too_big(name, max(len(data), info.file_size), limits.max_file_bytes)
    return data
