"""Checking a curriculum's JSON export (``docs/formats.md``) whole before anything is written.

``validate(data, chk)`` raises ``ImportFormatError`` naming the item and what is wrong: a file
from a newer ``format_version``, a missing or mistyped field, a span whose quote does not match
its source text, a reference to a concept, unit or source that is not in the file, a figure
that does not hash to its key. It reads nothing from the database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from teachback.curricula.export_json import FORMAT, FORMAT_VERSION
from teachback.errors import ImportFormatError

_MISSING = object()


class Check:
    """Small typed getters that turn a bad field into a one-line ``ImportFormatError``."""

    def __init__(self, name: str):
        self.name = name

    def fail(self, where: str, problem: str) -> ImportFormatError:
        return ImportFormatError(f"{self.name}: {where}: {problem}")

    def get(self, obj: Any, key: str, types, where: str, *, optional: bool = False):
        if not isinstance(obj, dict):
            raise self.fail(where, "expected an object")
        value = obj.get(key, _MISSING)
        if value is _MISSING or (value is None and not optional):
            if optional:
                return None
            raise self.fail(where, f"missing field {key!r}")
        if value is None:
            return None
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in _tuple(types)):
            want = "/".join(t.__name__ for t in _tuple(types))
            raise self.fail(where, f"field {key!r} should be {want}, not {type(value).__name__}")
        return value


def _tuple(types) -> tuple:
    return types if isinstance(types, tuple) else (types,)


def _check_header(data: Any, chk: Check) -> None:
    if not isinstance(data, dict):
        raise chk.fail("top level", "expected a JSON object")
    if data.get("format") != FORMAT:
        raise chk.fail("format", f"expected {FORMAT!r}, found {data.get('format')!r}")
    version = chk.get(data, "format_version", int, "format_version")
    if version > FORMAT_VERSION:
        raise chk.fail(
            "format_version",
            f"version {version} is newer than this teachback understands ({FORMAT_VERSION}); "
            "upgrade teachback to import it",
        )
    if version < 1:
        raise chk.fail("format_version", f"unknown version {version}")
    cur = chk.get(data, "curriculum", dict, "curriculum")
    cid = chk.get(cur, "id", str, "curriculum")
    if not cid.strip() or "/" in cid:
        raise chk.fail("curriculum.id", f"{cid!r} is not a valid curriculum id")
    chk.get(cur, "title", str, "curriculum", optional=True)
    for key in ("sources", "concepts", "edges", "units", "lessons", "exercises"):
        chk.get(data, key, list, key)


def _check_sources(data: dict, chk: Check) -> dict[str, str | None]:
    """Source id -> its text (None when the export left it out), after checking each source
    and that its passages lie inside its text."""
    texts: dict[str, str | None] = {}
    for i, s in enumerate(data["sources"]):
        where = f"sources[{i}]"
        sid = chk.get(s, "id", str, where)
        chk.get(s, "path", str, where)
        text = chk.get(s, "text", str, where, optional=True)
        if sid in texts:
            raise chk.fail(where, f"source id {sid!r} appears twice")
        texts[sid] = text
        for j, p in enumerate(chk.get(s, "passages", list, where, optional=True) or []):
            pw = f"{where}.passages[{j}]"
            chk.get(p, "seq", int, pw)
            start, end = chk.get(p, "start", int, pw), chk.get(p, "end", int, pw)
            if text is not None and not 0 <= start <= end <= len(text):
                raise chk.fail(pw, f"span {start}..{end} is outside the source text")
    return texts


def _span_check(chk: Check, texts: dict[str, str | None]) -> Callable[[Any, str], None]:
    """A check of one cited span: its source is in the file and its quote is that text."""

    def span(obj: Any, where: str) -> None:
        src = chk.get(obj, "source", str, where)
        start, end = chk.get(obj, "start", int, where), chk.get(obj, "end", int, where)
        quote = chk.get(obj, "quote", str, where)
        if src not in texts:
            raise chk.fail(where, f"refers to source {src!r}, which is not in the file")
        text = texts[src]
        if text is not None and text[start:end] != quote:
            raise chk.fail(where, f"quote does not match {src}[{start}:{end}] (file corrupted?)")

    return span


def _check_units(data: dict, chk: Check) -> set[int]:
    units = set()
    for i, u in enumerate(data["units"]):
        uid = chk.get(u, "id", int, f"units[{i}]")
        chk.get(u, "title", str, f"units[{i}]", optional=True)
        chk.get(u, "position", int, f"units[{i}]", optional=True)
        if uid in units:
            raise chk.fail(f"units[{i}]", f"unit id {uid} appears twice")
        units.add(uid)
    return units


def _check_concepts(data: dict, chk: Check, units: set[int], span) -> set[str]:
    concepts, slugs = set(), set()
    for i, c in enumerate(data["concepts"]):
        where = f"concepts[{i}]"
        cid_ = chk.get(c, "id", str, where)
        slug = chk.get(c, "slug", str, where)
        chk.get(c, "name", str, where)
        chk.get(c, "aliases", list, where)
        chk.get(c, "importance", (int, float), where, optional=True)
        unit = chk.get(c, "unit", int, where, optional=True)
        if cid_ in concepts or slug in slugs:
            raise chk.fail(where, f"concept {cid_!r} appears twice")
        if unit is not None and unit not in units:
            raise chk.fail(where, f"unit {unit} is not in units[]")
        concepts.add(cid_)
        slugs.add(slug)
        for j, e in enumerate(chk.get(c, "evidence", list, where)):
            span(e, f"{where}.evidence[{j}]")
    return concepts


def _check_links(data: dict, chk: Check, concepts: set[str]) -> None:
    """Units' members and edges name concepts of the file; edges are of a known kind."""
    for i, u in enumerate(data["units"]):
        for m in chk.get(u, "concepts", list, f"units[{i}]", optional=True) or []:
            if m not in concepts:
                raise chk.fail(f"units[{i}]", f"concept {m!r} is not in concepts[]")
    for i, e in enumerate(data["edges"]):
        where = f"edges[{i}]"
        for end in ("prerequisite", "concept"):
            if chk.get(e, end, str, where) not in concepts:
                raise chk.fail(where, f"{end} {e[end]!r} is not in concepts[]")
        if chk.get(e, "kind", str, where) not in ("prerequisite", "related"):
            raise chk.fail(where, f"unknown edge kind {e['kind']!r}")


def _check_lessons(data: dict, chk: Check, concepts: set[str], span) -> None:
    for i, lesson in enumerate(data["lessons"]):
        where = f"lessons[{i}]"
        if chk.get(lesson, "concept", str, where) not in concepts:
            raise chk.fail(where, f"concept {lesson['concept']!r} is not in concepts[]")
        chk.get(lesson, "text", str, where)
        for j, s in enumerate(chk.get(lesson, "citations", list, where)):
            span(s, f"{where}.citations[{j}]")


def _check_exercises(data: dict, chk: Check, concepts: set[str], span) -> None:
    ids = set()
    for i, x in enumerate(data["exercises"]):
        where = f"exercises[{i}]"
        xid = chk.get(x, "id", str, where)
        if xid in ids:
            raise chk.fail(where, f"exercise id {xid!r} appears twice")
        ids.add(xid)
        if chk.get(x, "concept", str, where) not in concepts:
            raise chk.fail(where, f"concept {x['concept']!r} is not in concepts[]")
        chk.get(x, "kind", str, where)
        chk.get(x, "prompt", str, where)
        chk.get(x, "choices", list, where)
        chk.get(x, "status", str, where)
        for j, s in enumerate(chk.get(x, "citations", list, where)):
            span(s, f"{where}.citations[{j}]")


def validate(data: Any, chk: Check) -> None:
    """Check the whole export; the first problem found raises ``ImportFormatError``."""
    _check_header(data, chk)
    span = _span_check(chk, _check_sources(data, chk))
    units = _check_units(data, chk)
    concepts = _check_concepts(data, chk, units, span)
    _check_links(data, chk, concepts)
    _check_lessons(data, chk, concepts, span)
    _check_exercises(data, chk, concepts, span)
    image_rows(data, chk)


def image_rows(data: dict, chk: Check) -> list[dict]:
    """The checked rows of the optional top-level ``images`` array (``curricula.images``)."""
    from teachback.curricula.images import check_exported

    rows = []
    for i, item in enumerate(chk.get(data, "images", list, "images", optional=True) or []):
        row, why = check_exported(item)
        if row is None:
            raise chk.fail(f"images[{i}]", why)
        rows.append(row)
    return rows
