"""Readers: every source format becomes a ``Document`` of ordered, non-overlapping sections.

Public API::

    load_sources(paths, limits=None, on_progress=None) -> LoadResult   # files, folders, zips
    load_bytes([(name, data), ...], limits=None, on_progress=None)    # uploads, zips in memory
    read_file(path) -> Document                                      # raises SourceError
    read_bytes(name, data) -> Document                               # raises SourceError
    register_reader(format, extensions, read)                        # add a format

One module per format (``markdown``, ``html``, ``pdf``, ``text``, ``notebook``, ``code``); each
registers itself through ``register_reader`` when imported, the same door a plugin uses (see
``registry``). ``loading`` expands folders and archives and applies the safety limits (a
package: reading one file, ignores, folders, archives, the batch).
"""

from teachback.ingest.readers import code, html, markdown, notebook, pdf, text  # noqa: F401
from teachback.ingest.readers.loading import LoadResult, load_bytes, load_sources
from teachback.ingest.readers.loading.reading import read_bytes, read_file
from teachback.ingest.readers.registry import (
    Reader,
    get_reader,
    reader_for,
    readers,
    register_reader,
    unregister_reader,
)

__all__ = [
    "LoadResult",
    "Reader",
    "get_reader",
    "load_bytes",
    "load_sources",
    "read_bytes",
    "read_file",
    "reader_for",
    "readers",
    "register_reader",
    "unregister_reader",
]
