"""Figures from the sources, stored once per content hash (table ``images``, migration m0010).

A source's readers keep its images in ``Document.meta["images"]`` (base64, see
``ingest.readers.images``); ``store_images`` moves the bytes into the table and returns the meta
without them, so a source row never carries image data. Lessons refer to an image as
``teachback-image:<key>``; ``image`` gives a page its bytes.
"""

from __future__ import annotations

import base64
import binascii
import re

from sqlite_utils import Database

SCHEME = "teachback-image:"
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
