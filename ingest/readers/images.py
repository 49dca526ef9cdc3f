"""Figures a lesson can show: image files a Markdown source links to, and notebook image outputs.

Sources are untrusted, so an image is kept only when

* it is a file inside the folder the user ingested (or beside a single ingested file), reached
  by a relative link (no URLs, no ``..`` escaping the folder, symlinks resolved first), or a
  notebook's saved output/attachment;
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
import re
from pathlib import Path
from urllib.parse import unquote

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGES = 40

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
# ![alt](target "title") with the target optionally in <...>; alt without nested brackets.
MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def sniff(data: bytes) -> str | None:
    """The image type of ``data`` by its signature, or None when it is not a kept type."""
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


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


def local_file(target: str, doc_path: str, root: str) -> bytes | None:
    """The bytes of the file a relative link ``target`` in ``doc_path`` names, when it lies
    inside ``root``; None for URLs, absolute paths, files outside ``root`` or too big."""
    target = unquote(target.split("#", 1)[0].split("?", 1)[0]).strip()
    if not target or _SCHEME.match(target) or target.startswith(("/", "\\")):
        return None
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
