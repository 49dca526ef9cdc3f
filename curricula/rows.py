"""Small helpers the store's readers share: JSON columns parsed, SQL placeholders, columns that
a later migration adds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database


def parse_json(text: Any, default: Any) -> Any:
    """A JSON column's value; ``default`` when it is empty or not JSON (an old or hand-edited
    row must not stop a page from opening)."""
    if text is None or text == "":
        return default
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return default


def has_column(db: Database, table: str, column: str) -> bool:
    return column in db[table].columns_dict


def placeholders(values: Sequence[Any]) -> str:
    """``"?, ?, ?"`` for an ``in (...)`` clause over ``values``."""
    return ", ".join("?" for _ in values)
