"""The reader registry: one entry per format, looked up by file extension.

Built-in readers register themselves here exactly the way a third party would::

    from teachback.ingest.readers import register_reader

    def read_org(name: str, data: bytes, hints: dict) -> Document: ...

    register_reader("org", (".org",), read_org)

A package can also ship readers through the ``teachback.readers`` entry-point group; each entry
point names a module (or callable) that calls ``register_reader`` when imported. Entry points are
loaded once, lazily, the first time a reader is looked up.

A reader is a plain function ``read(name, data, hints) -> Document``: ``name`` is the path as the
user gave it (used in ``Document.path`` and in error messages), ``data`` the raw bytes, ``hints``
extra context from the loader (for example ``{"module": "pkg.mod"}`` for Python files). Readers
raise ``SourceError`` for bad input and never execute anything from a source.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from teachback.core.document import Document

log = logging.getLogger(__name__)

ReadFunc = Callable[[str, bytes, dict], Document]


@dataclass(frozen=True)
class Reader:
    format: str
    extensions: tuple[str, ...]
    read: ReadFunc
    # Read files with these extensions when walking a folder (False: only when named directly).
    walk: bool = True


_READERS: dict[str, Reader] = {}
_BY_EXTENSION: dict[str, str] = {}
_entry_points_loaded = False


def register_reader(
    format: str,
    extensions: tuple[str, ...] | list[str],
    read: ReadFunc,
    *,
    walk: bool = True,
    replace: bool = False,
) -> Reader:
    """Register ``read`` for ``format`` and its file extensions (``".md"``, lower case).

    Registering an extension that another format already owns raises ``ValueError`` unless
    ``replace=True`` (a plugin that deliberately takes over, say, ``.txt``).
    """
    exts = tuple(e.lower() if e.startswith(".") else "." + e.lower() for e in extensions)
    if not replace:
        if format in _READERS:
            raise ValueError(f"a reader for format {format!r} is already registered")
        taken = [e for e in exts if e in _BY_EXTENSION]
        if taken:
            raise ValueError(f"extension(s) {', '.join(taken)} already have a reader")
    reader = Reader(format=format, extensions=exts, read=read, walk=walk)
    _READERS[format] = reader
    for ext in exts:
        _BY_EXTENSION[ext] = format
    return reader


def unregister_reader(format: str) -> None:
    """Remove a format (tests and plugins that replace a built-in use this)."""
    reader = _READERS.pop(format, None)
    if reader:
        for ext in reader.extensions:
            if _BY_EXTENSION.get(ext) == format:
                del _BY_EXTENSION[ext]


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group="teachback.readers"):
        try:
            loaded = ep.load()
            if callable(loaded):  # a module registers on import; a function when called
                loaded()
        except Exception as exc:  # a broken plugin must not break ingest
            log.warning("reader plugin %s failed to load: %s", ep.name, exc)


def extension_of(name: str) -> str:
    """``"dir/Notes.MD"`` -> ``".md"``; ``"a.zip!x/y.py"`` -> ``".py"``."""
    inner = name.rsplit("!", 1)[-1]
    return PurePosixPath(inner.replace("\\", "/")).suffix.lower()


def reader_for(name: str) -> Reader | None:
    """The reader for a file name, by extension, or ``None``."""
    _load_entry_points()
    fmt = _BY_EXTENSION.get(extension_of(name))
    return _READERS.get(fmt) if fmt else None


def get_reader(format: str) -> Reader | None:
    _load_entry_points()
    return _READERS.get(format)


def readers() -> dict[str, Reader]:
    """All registered readers by format (a copy)."""
    _load_entry_points()
    return dict(_READERS)
