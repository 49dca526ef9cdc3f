"""Figures from the sources, stored once per content hash (table ``images``, migration m0010).

A source's readers keep its images in ``Document.meta["images"]`` (base64, see
``ingest.readers.images``); ``store_images`` moves the bytes into the table and returns the meta
without them, so a source row never carries image data. Lessons refer to an image as
``teachback-image:<key>``; ``image`` gives a page its bytes.

A curriculum's JSON export carries the figures it uses (``exported`` gives them, base64, for the
top-level ``images`` array of ``docs/formats.md``) and an import stores them again
(``check_exported`` first: the bytes must hash to their key and be a kept image type).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from sqlite_utils import Database

SCHEME = "teachback-image:"
MAX_IMAGE_BYTES = 2 * 1024 * 1024  # an image is kept up to this size

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def sniff(data: bytes) -> str | None:
    """The image type of ``data`` by its signature, or None when it is not a kept type (PNG,
    JPEG, GIF, WebP; never SVG, which can carry script)."""
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


IMAGE_REF = re.compile(r"!\[([^\]\n]*)\]\(teachback-image:([0-9a-f]{64})\)")


def store_images(db: Database, meta: dict) -> dict:
    """Store the images of a source's ``meta``; the meta to keep (records without ``data``)."""
    images = meta.get("images")
    if not isinstance(images, dict) or not images:
        return meta
    rows, kept = [], {}
    for ref, item in images.items():
        try:
            data = base64.b64decode(item["data"], validate=True)
        except (KeyError, TypeError, ValueError, binascii.Error):
            continue
        rows.append(
            {
                "key": item["key"],
                "mime": item["mime"],
                "alt": item.get("alt", ""),
                "bytes": len(data),
                "data": data,
            }
        )
        kept[ref] = {k: v for k, v in item.items() if k != "data"}
    if rows:
        db["images"].insert_all(rows, pk="key", ignore=True)
    return {**meta, "images": kept}


def image(db: Database, key: str) -> tuple[str, bytes] | None:
    """``(mime, bytes)`` of a stored image, or None when there is none with that key."""
    if not re.fullmatch(r"[0-9a-f]{64}", key or ""):
        return None
    row = db.execute("select mime, data from images where key = ?", [key]).fetchone()
    return (row[0], bytes(row[1])) if row else None


def image_refs(text: str) -> list[tuple[str, str]]:
    """``(alt, key)`` of every stored image a lesson's Markdown shows, in order."""
    return [(m.group(1), m.group(2)) for m in IMAGE_REF.finditer(text or "")]


def used_keys(db: Database, curriculum: str, lesson_texts: list[str]) -> list[str]:
    """The stored images a curriculum uses: those its lessons show and those its sources hold
    (``sources.meta``), sorted by key (an export is deterministic)."""
    import json

    keys = {key for text in lesson_texts for _, key in image_refs(text)}
    for (meta,) in db.execute("select meta from sources where curriculum_id = ?", [curriculum]):
        try:
            items = (json.loads(meta) if meta else {}).get("images") or {}
        except (ValueError, AttributeError):
            continue
        keys.update(i["key"] for i in items.values() if isinstance(i, dict) and i.get("key"))
    return sorted(k for k in keys if re.fullmatch(r"[0-9a-f]{64}", str(k)))


def exported(db: Database, keys: list[str]) -> list[dict]:
    """``{"key", "mime", "alt", "bytes", "data"}`` (data base64) of each stored image in
    ``keys``, in that order; keys with nothing stored are left out."""
    out = []
    for key in keys:
        row = db.execute("select mime, alt, data from images where key = ?", [key]).fetchone()
        if row is None:
            continue
        data = bytes(row[2])
        out.append(
            {
                "key": key,
                "mime": row[0],
                "alt": row[1] or "",
                "bytes": len(data),
                "data": base64.b64encode(data).decode("ascii"),
            }
        )
    return out


def check_exported(item) -> tuple[dict | None, str]:
    """An exported image as a row to store, or ``(None, why)`` when it is not one: the data
    must be base64, hash to its key, and be a PNG, JPEG, GIF or WebP image (the types an
    ingest keeps; never SVG) no bigger than an ingest would keep."""
    if not isinstance(item, dict):
        return None, "expected an object"
    key = item.get("key")
    if not isinstance(key, str) or not re.fullmatch(r"[0-9a-f]{64}", key):
        return None, "field 'key' should be 64 lower-case hex digits (a SHA-256)"
    try:
        data = base64.b64decode(str(item.get("data") or ""), validate=True)
    except (binascii.Error, ValueError):
        return None, "field 'data' is not base64"
    if not data or len(data) > MAX_IMAGE_BYTES:
        return None, f"image is empty or over {MAX_IMAGE_BYTES // (1024 * 1024)} MB"
    if hashlib.sha256(data).hexdigest() != key:
        return None, "the image bytes do not match its key (file corrupted?)"
    mime = sniff(data)
    if mime is None:
        return None, "not a PNG, JPEG, GIF or WebP image"
    alt = item.get("alt")
    alt = " ".join(alt.split())[:200] if isinstance(alt, str) else ""
    return {"key": key, "mime": mime, "alt": alt, "bytes": len(data), "data": data}, ""


def store_rows(db: Database, rows: list[dict]) -> None:
    """Store checked image rows (``check_exported``); an image already stored is kept."""
    if rows:
        db["images"].insert_all(rows, pk="key", ignore=True)
