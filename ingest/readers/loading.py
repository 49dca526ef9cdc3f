"""Expanding what the user named into files, and reading each one safely.

``load_sources(paths)`` accepts a file, a folder, a ``.zip`` archive, or a list of any of them.

* Folders are walked in name order. ``.gitignore`` and ``.teachbackignore`` files are
  honoured at every level (a deeper file can re-include with ``!``), on top of default
  ignores: version-control and virtualenv folders, caches, ``node_modules``, build output and
  hidden folders. Only files with a registered reader are read; the others are listed in
  ``LoadResult.skipped``. Symlinks are followed only while they stay inside the folder
  given: one that leads out of it (``notes.md -> ~/.ssh/id_rsa``) is refused, and so is one
  that leads back to one of its own parent folders (a loop), loops on itself, or points
  nowhere; each is reported and not followed. Empty ``__init__.py`` files are skipped
  quietly (package markers); any other empty file is an error.
* Inside a folder or archive, files that are not course material (test fixtures, data files,
  vendored and generated files, licences, lock files, configuration modules; see
  ``teachback.ingest.readers.triage``) are left out and listed with the reason in
  ``LoadResult.triaged``. ``include`` patterns (gitignore syntax, relative to the folder) bring
  such a file back; ``exclude`` patterns leave any file out. A file named directly is always read.
* Zip archives are read in memory, never extracted. A member whose path is absolute or climbs
  out with ``..`` is refused, and so is a member stored as a symlink (never followed); so is
  an archive with too many members or whose members would unpack to more than
  ``IngestLimits.max_zip_total_bytes`` (a zip bomb); each member is read with a bounded read,
  so a lying header cannot make it bigger. Zips found inside folders or archives are not
  opened.
* Every file is checked against ``IngestLimits.max_file_bytes`` (``TEACHBACK_MAX_FILE_MB``,
  20 MB by default) from its size on disk (or in the archive) *before* it is read.

Every problem becomes one ``SourceError(where, problem)`` in ``LoadResult.errors`` and the rest
of the batch is still read. Nothing from a source is ever executed.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pathspec

from teachback.config import IngestLimits
from teachback.core.document import Document
from teachback.errors import SourceError
from teachback.ingest.readers.code import module_name_from_parts
from teachback.ingest.readers.decoding import looks_binary
from teachback.ingest.readers.images import ArchiveFolder
from teachback.ingest.readers.registry import extension_of, get_reader, reader_for
from teachback.ingest.readers.triage import triage

ProgressCallback = Callable[[int, int, str], None]

DEFAULT_IGNORES = (
    ".*/",  # hidden folders: .git, .venv, .tox, .idea, .ipynb_checkpoints, ...
    "__pycache__/",
    "node_modules/",
    "venv/",
    "env/",
    "site-packages/",
    "build/",
    "dist/",
    "*.egg-info/",
    ".DS_Store",
    "*.pyc",
    "*.pyo",
    "*.min.js",
    "__MACOSX/",
)
# Ignore files honoured in every folder, same syntax as .gitignore; ``.teachbackignore`` leaves
# files out of ingest only (a README beside the course material, say) without touching git.
IGNORE_FILES = (".gitignore", ".teachbackignore")
_DEFAULT_SPEC = pathspec.GitIgnoreSpec.from_lines(DEFAULT_IGNORES)
_DRIVE = re.compile(r"^[A-Za-z]:")


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
class _Item:
    name: str
    path: Path | None = None
    data: bytes | None = None  # bytes handed over directly (uploads, fetched URLs)
    archive: zipfile.ZipFile | None = None
    info: zipfile.ZipInfo | None = None
    hints: dict = field(default_factory=dict)
    root: str | None = None  # the real path of the folder it was found in: it must stay inside


def _mb(n: int) -> str:
    """``52428800`` -> ``"50.0 MB"``; under 1 MB in KB so small limits read sensibly."""
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def _escapes(path: str | os.PathLike, root: str) -> str | None:
    """Where ``path`` really leads when that is outside the folder ``root`` (a real path),
    else None: ``("course/notes.md" -> "/etc/passwd", "/work/course") -> "/etc/passwd"``."""
    target = os.path.realpath(path)
    return None if target == root or target.startswith(root.rstrip(os.sep) + os.sep) else target


def _outside(name: str, target: str) -> SourceError:
    return SourceError(name, f"symlink leads outside the folder given (to {target}); not read")


def _too_big(name: str, size: int, limit: int) -> SourceError:
    return SourceError(
        name,
        f"file is {_mb(size)}, over the {_mb(limit)} size limit "
        "(set TEACHBACK_MAX_FILE_MB to raise it)",
    )


# ---------------------------------------------------------------------------------------------
# reading one file


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
    return doc


def read_file(path: str | os.PathLike, limits: IngestLimits | None = None) -> Document:
    """Read one file from disk (size-checked first). Raises ``SourceError``."""
    limits = limits or IngestLimits()
    name = os.fspath(path)
    p = Path(name)
    if p.is_dir():
        raise SourceError(name, "is a folder; use load_sources() to read a folder")
    return read_bytes(name, _read_disk(name, p, limits))


def _read_disk(name: str, path: Path, limits: IngestLimits) -> bytes:
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
        raise _too_big(name, st.st_size, limits.max_file_bytes)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise SourceError(name, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > limits.max_file_bytes:  # it grew while we looked
        raise _too_big(name, len(data), limits.max_file_bytes)
    return data


def _read_member(item: _Item, limits: IngestLimits) -> bytes:
    info = item.info
    assert item.archive is not None and info is not None
    try:
        with item.archive.open(info) as fh:
            data = fh.read(limits.max_file_bytes + 1)
    except RuntimeError as exc:  # encrypted member
        raise SourceError(item.name, f"cannot be read: {exc}") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise SourceError(item.name, f"corrupt archive member: {exc}") from None
    if len(data) > limits.max_file_bytes:
        raise _too_big(item.name, max(len(data), info.file_size), limits.max_file_bytes)
    return data


# ---------------------------------------------------------------------------------------------
# expanding folders and archives


def _ignored(rel: list[str], is_dir: bool, specs: list[tuple[int, pathspec.PathSpec]]) -> bool:
    """Git's rule: the deepest ``.gitignore`` with an opinion decides; defaults apply first."""
    for depth, spec in reversed(specs):
        sub = "/".join(rel[depth:]) + ("/" if is_dir else "")
        result = spec.check_file(sub)
        if result.include is not None:
            return bool(result.include)
    return False


def _gitignore(path: Path) -> pathspec.PathSpec | None:
    try:
        with open(path, "rb") as fh:
            lines = fh.read(1_000_000).decode("utf-8", "replace").splitlines()
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (OSError, ValueError):
        return None


def _patterns(lines: Iterable[str] | None) -> pathspec.PathSpec | None:
    lines = [ln for ln in (lines or []) if ln.strip()]
    return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None


class _Expander:
    def __init__(
        self,
        limits: IngestLimits,
        result: LoadResult,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
    ):
        self.limits = limits
        self.result = result
        self.include = _patterns(include)
        self.exclude = _patterns(exclude)
        self.items: list[_Item] = []
        self.seen: set[tuple[int, int] | str] = set()
        self.archives: list[zipfile.ZipFile] = []
        self.full = False
        self.root = ""  # the real path of the folder being walked

    def _left_out(self, parts: list[str] | tuple[str, ...], display: str) -> bool:
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

    def _add(self, item: _Item, key) -> None:
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

    def expand(self, given: str) -> None:
        path = Path(given)
        if not os.path.lexists(path):
            self.result.errors.append(SourceError(given, "no such file or folder"))
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
            self.result.errors.append(SourceError(given, problem))
            return
        if stat.S_ISDIR(st.st_mode):
            self.root = os.path.realpath(path)
            try:
                self._walk(path, given, [], [(0, _DEFAULT_SPEC)], {(st.st_dev, st.st_ino)})
            except RecursionError:
                self.result.errors.append(
                    SourceError(given, "folders nested too deeply; the deepest were not read")
                )
        elif extension_of(given) == ".zip":
            self._zip(path, given)
        else:
            # Images a single file links to may come from its own folder.
            hints = {"root": str(path.parent), "file": str(path)}
            self._add(_Item(given, path=path, hints=hints), (st.st_dev, st.st_ino))

    def _walk(self, folder: Path, shown: str, rel: list[str], specs, ancestors: set) -> None:
        entries = None if self.full else self._entries(folder, shown, rel)
        if entries is None:
            return
        specs = _with_ignore_files(folder, entries, rel, specs)
        for entry in entries:
            child_rel = [*rel, entry.name]
            display = os.path.join(shown, *child_rel)
            st = self._stat(entry, display)
            if st is None:
                continue
            is_dir = stat.S_ISDIR(st.st_mode)
            if _ignored(child_rel, is_dir, specs):
                continue
            if entry.is_symlink() and (target := _escapes(entry.path, self.root)):
                self.result.errors.append(_outside(display, target))
                continue
            key = (st.st_dev, st.st_ino)
            if is_dir:
                if self._enters(entry, display, key, ancestors):
                    self._walk(Path(entry.path), shown, child_rel, specs, ancestors | {key})
                continue
            added = stat.S_ISREG(st.st_mode) and self._take_file(
                entry, st, shown, child_rel, display, key
            )
            if added and self.full:
                return

    def _entries(self, folder: Path, shown: str, rel: list[str]) -> list | None:
        """The folder's entries by name; None (the problem recorded) when it cannot be read."""
        try:
            return sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            where = os.path.join(shown, *rel) if rel else shown
            self.result.errors.append(
                SourceError(where, f"folder cannot be read: {exc.strerror or exc}")
            )
            return None

    def _stat(self, entry: os.DirEntry, display: str) -> os.stat_result | None:
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
            self.result.errors.append(SourceError(display, problem))
            return None

    def _enters(self, entry: os.DirEntry, display: str, key: tuple, ancestors: set) -> bool:
        """Whether to walk into a folder: not a link back to a parent (recorded as a problem),
        nor one already walked through another link."""
        if key in ancestors:
            target = os.readlink(entry.path) if entry.is_symlink() else entry.path
            self.result.errors.append(
                SourceError(
                    display,
                    f"symlink loop: it points back to a parent folder ({target}); not followed",
                )
            )
            return False
        if key in self.seen:
            return False  # the same folder reached again through another link
        self.seen.add(key)
        return True

    def _take_file(
        self, entry: os.DirEntry, st, shown: str, child_rel: list[str], display: str, key
    ) -> bool:
        """A regular file of a folder: read when a reader walks into folders for it and
        triage keeps it (True); an empty ``__init__.py`` or an unknown kind is listed as
        skipped."""
        if st.st_size == 0 and entry.name == "__init__.py":
            self.result.skipped.append(display)  # an empty package marker, not a source
            return False
        reader = reader_for(entry.name)
        if reader is None or not reader.walk:
            if entry.name not in IGNORE_FILES:
                self.result.skipped.append(display)
            return False
        if self._left_out(child_rel, display):
            return False
        hints = {"root": shown, "file": entry.path}  # images only from inside the folder
        self._add(_Item(display, path=Path(entry.path), hints=hints, root=self.root), key)
        return True

    def _open_zip(self, path: Path | io.BytesIO, shown: str):
        """``(archive, its size)``; None (the problem recorded) when it is not a zip."""
        try:
            size = len(path.getbuffer()) if isinstance(path, io.BytesIO) else os.path.getsize(path)
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            self.result.errors.append(SourceError(shown, f"not a readable zip archive ({exc})"))
            return None
        self.archives.append(archive)
        return archive, size

    def _zip(self, path: Path | io.BytesIO, shown: str) -> None:
        opened = self._open_zip(path, shown)
        if opened is None:
            return
        archive, size = opened
        infos = [i for i in archive.infolist() if not i.is_dir()]
        problem = _zip_too_big(infos, size, self.limits)
        if problem:
            self.result.errors.append(SourceError(shown, problem))
            return
        in_archive = ArchiveFolder(archive)  # images a member links to come from the archive
        names = [i.filename.replace("\\", "/") for i in infos]
        ignore_specs = _zip_ignore_specs(archive, names, infos)
        package_dirs = {n.rsplit("/", 1)[0] for n in names if n.endswith("/__init__.py")}
        for name, info in zip(names, infos, strict=True):
            display = f"{shown}!{info.filename}"
            parts = PurePosixPath(name).parts
            unsafe = name.startswith("/") or _DRIVE.match(name) or ".." in parts
            if not unsafe and _zip_ignored(parts, ignore_specs):
                continue
            problem = _member_problem(info, bool(unsafe))
            if problem:
                self.result.errors.append(SourceError(display, problem))
                continue
            self._take_member(archive, in_archive, info, name, display, package_dirs)

    def _take_member(
        self, archive, in_archive, info: zipfile.ZipInfo, name: str, display: str, package_dirs
    ) -> None:
        """A zip member: read when a reader knows its kind and triage keeps it; an empty
        ``__init__.py``, an unknown kind or a zip inside the zip is listed as skipped."""
        parts = PurePosixPath(name).parts
        if info.file_size == 0 and parts[-1] == "__init__.py":
            self.result.skipped.append(display)
            return
        reader = reader_for(name)
        if reader is None or extension_of(name) == ".zip":
            if parts[-1] not in IGNORE_FILES:
                self.result.skipped.append(display)
            return
        if self._left_out(parts, display):
            return
        hints = {"root": in_archive, "file": name}
        if reader.format == "code" and name.endswith((".py", ".pyi")):
            hints["module"] = module_name_from_parts(list(parts), package_dirs)
        self._add(_Item(display, archive=archive, info=info, hints=hints), display)


def _with_ignore_files(folder: Path, entries: list, rel: list[str], specs: list) -> list:
    """``specs`` with the patterns of the folder's ignore files added (at its depth)."""
    for ignore_file in IGNORE_FILES:
        if any(e.name == ignore_file for e in entries):
            spec = _gitignore(folder / ignore_file)
            if spec is not None:
                specs = [*specs, (len(rel), spec)]
    return specs


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
            f"zip archive would unpack to {_mb(total)} (from "
            f"{_mb(size)}), over the {_mb(limits.max_zip_total_bytes)} "
            "limit (a zip bomb?); not read"
        )
    return ""


def _zip_ignore_specs(archive, names: list[str], infos: list) -> dict[str, pathspec.PathSpec]:
    """The patterns of the ignore files in an archive, by the folder they are in."""
    gitignores = {
        n.rsplit("/", 1)[0] if "/" in n else "": i
        for n, i in zip(names, infos, strict=True)
        if n.rsplit("/", 1)[-1] in IGNORE_FILES
    }
    ignore_specs: dict[str, pathspec.PathSpec] = {}
    for folder, info in gitignores.items():
        if info.file_size < 1_000_000:
            try:
                lines = archive.read(info).decode("utf-8", "replace").splitlines()
                ignore_specs[folder] = pathspec.GitIgnoreSpec.from_lines(lines)
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
                pass
    return ignore_specs


def _zip_ignored(parts: tuple[str, ...], ignore_specs: dict[str, pathspec.PathSpec]) -> bool:
    """Whether a member (or a folder it is in) is ignored: by default, or by an ignore file
    of a folder on its way."""
    member_specs: list[tuple[int, pathspec.PathSpec]] = [(0, _DEFAULT_SPEC)]
    for depth in range(len(parts)):
        folder = "/".join(parts[:depth])
        if folder in ignore_specs:
            member_specs.append((depth, ignore_specs[folder]))
    dirs_ignored = any(
        _ignored(list(parts[: d + 1]), True, member_specs) for d in range(len(parts) - 1)
    )
    return dirs_ignored or _ignored(list(parts), False, member_specs)


def _member_problem(info: zipfile.ZipInfo, unsafe: bool) -> str:
    """Why a zip member is not read (an unsafe path, a symlink, encrypted), or ""."""
    if unsafe:
        return "unsafe path in zip archive (absolute, or climbs out with '..'); not read"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symlink in zip archive; not followed, not read"
    if info.flag_bits & 0x1:
        return "encrypted zip member (needs a password); not read"
    return ""


# ---------------------------------------------------------------------------------------------


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
    expander = _Expander(limits, result, include, exclude)
    for given in paths:
        expander.expand(os.fspath(given))
    return _read_all(expander, limits, result, on_progress)


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
    expander = _Expander(limits, result)
    for name, data in files:
        if len(data) > limits.max_file_bytes and extension_of(name) != ".zip":
            result.errors.append(_too_big(name, len(data), limits.max_file_bytes))
        elif extension_of(name) == ".zip":
            expander._zip(io.BytesIO(data), name)
        else:
            expander._add(_Item(name, data=data), ("bytes", name))
    return _read_all(expander, limits, result, on_progress)


def _read_all(
    expander: _Expander,
    limits: IngestLimits,
    result: LoadResult,
    on_progress: ProgressCallback | None,
) -> LoadResult:
    try:
        total = len(expander.items)
        if on_progress:
            on_progress(0, total, "")
        for done, item in enumerate(expander.items, start=1):
            try:
                if item.archive is not None:
                    data = _read_member(item, limits)
                elif item.data is not None:
                    data = item.data
                else:
                    assert item.path is not None
                    # Again at read time: a link swapped in after the walk must not get out.
                    if item.root and (target := _escapes(item.path, item.root)):
                        raise _outside(item.name, target)
                    data = _read_disk(item.name, item.path, limits)
                result.documents.append(read_bytes(item.name, data, item.hints))
            except SourceError as err:
                result.errors.append(err)
            if on_progress:
                on_progress(done, total, item.name)
    finally:
        for archive in expander.archives:
            archive.close()
    return result
