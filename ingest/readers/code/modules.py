"""Dotted module names of Python files: from the caller's hint, from the ``__init__.py``
folders around a file on disk, or from the package folders known inside a folder or archive."""

from __future__ import annotations

from pathlib import Path, PurePosixPath


def module_name(name: str, hints: dict) -> str:
    """Dotted module name: from ``hints["module"]``, else by walking up ``__init__.py`` folders
    on disk, else the file's stem. ``__init__.py`` names its package."""
    if hints.get("module"):
        return hints["module"]
    inner = name.rsplit("!", 1)[-1]
    path = Path(inner)
    parts = [path.stem]
    if "!" not in name and path.exists():
        parent = path.resolve().parent
        while (parent / "__init__.py").exists() and parent.name.isidentifier():
            parts.insert(0, parent.name)
            parent = parent.parent
    if len(parts) > 1 and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def module_name_from_parts(parts: list[str], package_dirs: set[str]) -> str:
    """Module name for a path inside a folder or archive whose package folders are known.

    ``["src", "pkg", "mod.py"]`` with ``package_dirs={"src/pkg"}`` -> ``"pkg.mod"``.
    """
    stem = PurePosixPath(parts[-1]).stem
    names = [stem]
    for i in range(len(parts) - 1, 0, -1):
        folder = "/".join(parts[:i])
        if folder in package_dirs and parts[i - 1].isidentifier():
            names.insert(0, parts[i - 1])
        else:
            break
    if len(names) > 1 and names[-1] == "__init__":
        names.pop()
    return ".".join(names)
