"""The curricula themselves: list, open, create, and which one a command means by default."""

from __future__ import annotations

from sqlite_utils import Database

from teachback.curricula.rows import parse_json
from teachback.errors import NotFound


def list_curricula(db: Database) -> list[dict]:
    """Every curriculum, by id, with counts of its sources and concepts."""
    rows = db.query(
        """
        select c.*,
          (select count(*) from sources s where s.curriculum_id = c.id) as source_count,
          (select count(*) from concepts k where k.curriculum_id = c.id) as concept_count
        from curricula c order by c.id
        """
    )
    out = []
    for item in rows:
        item["settings"] = parse_json(item.get("settings"), {})
        out.append(item)
    return out


def get_curriculum(db: Database, curriculum: str) -> dict:
    """One curriculum row (``settings`` parsed); raises ``NotFound``."""
    rows = list(db["curricula"].rows_where("id = ?", [curriculum]))
    if not rows:
        raise NotFound(f"no curriculum {curriculum!r}")
    row = rows[0]
    row["settings"] = parse_json(row.get("settings"), {})
    return row


def ensure_curriculum(db: Database, curriculum: str, title: str | None = None) -> dict:
    """Create the curriculum if it does not exist yet; return its row."""
    from teachback.curricula.db import now

    with db.atomic():
        if not list(db["curricula"].rows_where("id = ?", [curriculum])):
            db["curricula"].insert(
                {
                    "id": curriculum,
                    "title": title or curriculum.replace("-", " ").replace("_", " ").title(),
                    "created_at": now(),
                    "published_version": None,
                    "settings": "{}",
                }
            )
    return get_curriculum(db, curriculum)


def default_curriculum(db: Database) -> str:
    """The only curriculum in the store, else ``"default"``."""
    ids = [row[0] for row in db.execute("select id from curricula order by id").fetchall()]
    return ids[0] if len(ids) == 1 else "default"
