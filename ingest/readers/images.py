"""Figures a lesson can show: image files a Markdown source links to, and notebook image outputs.

Sources are untrusted, so an image is kept only when

* it is a file inside the folder the user ingested (or beside a single ingested file), reached
  by a relative link (no URLs, no ``..`` escaping the folder, symlinks resolved first), a member
  of the same zip archive as the source (``ArchiveFolder``: a relative link, never climbing out
  of the archive, no symlink or encrypted member), or a notebook's saved output/attachment;
* its bytes are a PNG, JPEG, GIF or WebP image by their signature (never SVG, which can carry
  script), and at most ``MAX_IMAGE_BYTES``; at most ``MAX_IMAGES`` per source.

A kept image is a record ``{"key": sha256, "mime", "alt", "data": base64}`` in
``Document.meta["images"]``, under the reference the source uses for it (the link target as
written, ``attachment:<cell>:<name>`` for notebook attachments, ``output:<cell>:<n>`` for
outputs). ``curricula.images`` stores the bytes once per key; lessons point at the key.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
import stat
import zipfile
from pathlib import Path
from urllib.parse import unquote

from teachback.curricula.images import MAX_IMAGE_BYTES, sniff

MAX_IMAGES = 40
# ![alt](target "title") with the target optionally in <...>; alt without nested brackets.
MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def record(data: bytes, alt: str) -> dict | None:
    """The stored form of an image, or None when it is too big or not an image."""
    if not data or len(data) > MAX_IMAGE_BYTES:
        return None
    mime = sniff(data)
    if mime is None:
        return None
    return {
        "key": hashlib.sha256(data).hexdigest(),
        "mime": mime,
        "alt": " ".join(alt.split())[:200],
        "data": base64.b64encode(data).decode("ascii"),
    }


class ArchiveFolder:
    """The "folder" of a source read from a zip archive: its images are the archive's own
    members, found by a relative link from the source's member path (``hints["root"]`` for
    the readers, with ``hints["file"]`` the member's name)."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.members = {
            i.filename.replace("\\", "/"): i for i in archive.infolist() if not i.is_dir()
        }

    def __bool__(self) -> bool:  # a root is given (readers test ``hints.get("root")``)
        return True

    def read(self, target: str, member: str) -> bytes | None:
        """The bytes of the member a relative link ``target`` in ``member`` names; None when
        the link climbs out of the archive or names no plain, unencrypted, small member."""
        name = posixpath.normpath(posixpath.join(posixpath.dirname(member), target))
        if name.startswith(("../", "/")) or name in ("..", "."):
            return None
        info = self.members.get(name)
        if info is None or info.flag_bits & 0x1 or stat.S_ISLNK(info.external_attr >> 16):
            return None
        if info.file_size > MAX_IMAGE_BYTES:
            return None
        try:
            with self.archive.open(info) as fh:
                data = fh.read(MAX_IMAGE_BYTES + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
            return None
        return data if len(data) <= MAX_IMAGE_BYTES else None


def local_file(target: str, doc_path: str, root) -> bytes | None:
    """The bytes of the file a relative link ``target`` in ``doc_path`` names, when it lies
    inside ``root`` (a folder path, or an ``ArchiveFolder``); None for URLs, absolute paths,
    files outside ``root`` or too big."""
    target = unquote(target.split("#", 1)[0].split("?", 1)[0]).strip()
    if not target or _SCHEME.match(target) or target.startswith(("/", "\\")):
        return None
    if isinstance(root, ArchiveFolder):
        return root.read(target, doc_path)
    try:
        base = Path(root).resolve()
        path = (Path(doc_path).parent / target).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            return None
        if path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        return path.read_bytes()
    except (OSError, ValueError, RuntimeError):
        return None


def markdown_images(text: str, doc_path: str, root: str, images: dict) -> None:
    """Add the local images ``text`` links to into ``images`` (keyed by the link target)."""
    for m in MD_IMAGE.finditer(text):
        if len(images) >= MAX_IMAGES:
            return
        alt, target = m.group(1), m.group(2)
        if target in images:
            continue
        data = local_file(target, doc_path, root)
        kept = record(data, alt) if data else None
        if kept:
            images[target] = kept


def decode_base64(value) -> bytes:
    """Bytes of a notebook's base64 field (a string or a list of lines); b"" if corrupt."""
    text = "".join(value) if isinstance(value, list) else str(value or "")
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (ValueError, TypeError):
        return b""
