"""Published snapshots stored compactly: each item once, by content hash.

A snapshot is a JSON export of a curriculum. Most of its items (an exercise with its
self-check, a source with its text) are the same from one version to the next, so each list of
items is stored as ``{"$items": [sha256, ...]}`` and the items live once in ``snapshot_items``.
Publishing and the migration that packed the versions stored before it use the same code.
"""

from __future__ import annotations

import hashlib
import json

from sqlite_utils import Database

from teachback.errors import NotFound

# The parts of a snapshot that are lists of items. Each item is stored once by content hash,
# because most of them (an exercise's self-check, a source's text) are the same from one
# version to the next.
PACKED_SECTIONS = ("sources", "units", "concepts", "edges", "lessons", "exercises")


def pack_snapshot(db: Database, snapshot: dict) -> dict:
    """``snapshot`` with each list in ``PACKED_SECTIONS`` replaced by ``{"$items": [sha256, ...]}``.

    The items go into ``snapshot_items`` (insert-or-ignore: the same item is stored once). Call
    inside the transaction that stores the version, so a failed publish leaves at most unused
    items, never a version that points at a missing one.
    """
    packed = dict(snapshot)
    for section in PACKED_SECTIONS:
        items = snapshot.get(section)
        if not isinstance(items, list):  # absent, or packed already
            continue
        hashes = []
        for item in items:
            body = json.dumps(item, ensure_ascii=False)  # key order kept: unpacking returns it
            sha = hashlib.sha256(body.encode("utf-8")).hexdigest()
            db.execute(
                "INSERT OR IGNORE INTO snapshot_items (sha256, body) VALUES (?, ?)", [sha, body]
            )
            hashes.append(sha)
        packed[section] = {"$items": hashes}
    return packed


def unpack_snapshot(db: Database, snapshot: dict) -> dict:
    """The full snapshot: each ``{"$items": [...]}`` replaced by the stored items, in order."""
    full = dict(snapshot)
    for section, value in snapshot.items():
        if not (isinstance(value, dict) and set(value) == {"$items"}):
            continue  # not packed (a plain field, or a version stored before m0006)
        hashes = value["$items"]
        bodies: dict[str, str] = {}
        for i in range(0, len(hashes), 500):  # SQLite caps the number of bound parameters
            chunk = hashes[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            bodies.update(
                db.execute(
                    f"SELECT sha256, body FROM snapshot_items WHERE sha256 IN ({marks})", chunk
                ).fetchall()
            )
        missing = [h for h in hashes if h not in bodies]
        if missing:
            raise NotFound(
                f"a published version's {section} refer to {len(missing)} missing item(s), "
                f"first {missing[0]}"
            )
        full[section] = [json.loads(bodies[h]) for h in hashes]
    return full
