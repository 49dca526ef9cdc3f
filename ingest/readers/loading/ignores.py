"""Which files of a folder or archive are ignored: default ignores (version control,
virtualenvs, caches, build output, hidden folders), then ``.gitignore`` and
``.teachbackignore`` at every level with git's rule (the deepest file with an opinion decides; a
deeper file can re-include with ``!``), and the user's ``--include``/``--exclude`` patterns.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

import pathspec

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
DEFAULT_SPEC = pathspec.GitIgnoreSpec.from_lines(DEFAULT_IGNORES)


def ignored(rel: list[str], is_dir: bool, specs: list[tuple[int, pathspec.PathSpec]]) -> bool:
    """Git's rule: the deepest ``.gitignore`` with an opinion decides; defaults apply first."""
    for depth, spec in reversed(specs):
        sub = "/".join(rel[depth:]) + ("/" if is_dir else "")
        result = spec.check_file(sub)
        if result.include is not None:
            return bool(result.include)
    return False


def gitignore(path: Path) -> pathspec.PathSpec | None:
    """The patterns of an ignore file on disk; None when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            lines = fh.read(1_000_000).decode("utf-8", "replace").splitlines()
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (OSError, ValueError):
        return None


def patterns(lines: Iterable[str] | None) -> pathspec.PathSpec | None:
    """The user's ``--include``/``--exclude`` patterns; None when there are none."""
    lines = [ln for ln in (lines or []) if ln.strip()]
    return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None


def with_ignore_files(folder: Path, entries: list, rel: list[str], specs: list) -> list:
    """``specs`` with the patterns of the folder's ignore files added (at its depth)."""
    for ignore_file in IGNORE_FILES:
        if any(e.name == ignore_file for e in entries):
            spec = gitignore(folder / ignore_file)
            if spec is not None:
                specs = [*specs, (len(rel), spec)]
    return specs


def zip_ignore_specs(archive, names: list[str], infos: list) -> dict[str, pathspec.PathSpec]:
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


def zip_ignored(parts: tuple[str, ...], ignore_specs: dict[str, pathspec.PathSpec]) -> bool:
    """Whether a member (or a folder it is in) is ignored: by default, or by an ignore file
    of a folder on its way."""
    member_specs: list[tuple[int, pathspec.PathSpec]] = [(0, DEFAULT_SPEC)]
    for depth in range(len(parts)):
        folder = "/".join(parts[:depth])
        if folder in ignore_specs:
            member_specs.append((depth, ignore_specs[folder]))
    dirs_ignored = any(
        ignored(list(parts[: d + 1]), True, member_specs) for d in range(len(parts) - 1)
    )
    return dirs_ignored or ignored(list(parts), False, member_specs)
