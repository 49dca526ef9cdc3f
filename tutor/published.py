"""The curriculum as a learner sees it: its PUBLISHED version, parsed once per version.

Learners never see the draft tables: ``load_curriculum`` reads the snapshot of
``curricula.published_version`` (cached per store, curriculum and version); only the
instructor's settings are read live. Settings (JSON in ``curricula.settings``):
``mastery_threshold`` (default 0.95) and ``cap_concept`` (a concept id nobody passes; ``cap`` is
read as an alias) -- ``read_settings`` is the one place that parses them.
"""

from __future__ import annotations

import itertools
import json
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

from teachback.curricula.db import Database

DEFAULT_THRESHOLD = 0.95


@dataclass
class Curriculum:
    """What the tutor needs of a curriculum's PUBLISHED version, in teaching order.

    Learners never see the draft tables: everything here comes from the snapshot that
    ``teachback.curricula.publish.publish`` stored (``published_view``). Only the instructor's
    settings (threshold, cap) are read live from ``curricula.settings``.
    """

    id: str
    concepts: list[dict]  # rows, ordered by unit position then concept position
    prerequisites: dict[str, list[str]]  # concept id -> prerequisite concept ids (active edges)
    units: dict[int, dict]  # unit id -> {"id", "title", "position"}
    threshold: float = DEFAULT_THRESHOLD
    cap: str | None = None  # instructor cap: nobody past this concept
    # Concepts with at least one exercise a learner can be asked: only these can be practised
    # and mastered; the others are neither offered nor block what depends on them.
    assessable: set[str] = field(default_factory=set)
    # id, concept_id, difficulty (0..1), passage, from_passage (``exercise_passage``)
    exercises: list[dict] = field(default_factory=list)
    version: int | None = None  # the published version this was read from
    exercise_rows: dict[str, list[dict]] = field(default_factory=dict)  # concept -> full rows
    lessons: dict[str, dict] = field(default_factory=dict)  # concept -> {"text", "citations"}
    evidence: dict[str, list[dict]] = field(default_factory=dict)  # concept -> cited passages
    source_ids: frozenset = frozenset()  # the sources the published version was made from
    source_titles: dict[str, str] = field(default_factory=dict)  # source id -> its title
    _graph: Any = None
    _pool: Any = None
    _carriers: Any = None
    fingerprint: tuple = ()
    by_id: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self):
        self.by_id = {c["id"]: c for c in self.concepts}
        self._members: dict = {}
        for c in self.concepts:
            self._members.setdefault(c["unit_id"], []).append(c["id"])

    def unit_concepts(self, unit_id) -> list[str]:
        return list(self._members.get(unit_id, []))

    def exercises_of(self, concept_id: str) -> list[dict]:
        """The learner-facing exercises of a concept (kept or approved), easiest first."""
        return self.exercise_rows.get(concept_id, [])


# Legacy spelling of the cap setting, still read (``cap_concept`` is the key written and read).
SETTINGS_ALIASES = {"cap": "cap_concept"}


def read_settings(raw: Any) -> dict:
    """A curriculum's ``settings`` (JSON text or dict) with the canonical keys
    ``mastery_threshold`` (float, default 0.95) and ``cap_concept`` (concept id or None).
    The legacy key ``cap`` is accepted as an alias; ``cap_concept`` wins when both are set.

    >>> read_settings('{"cap": "c/x", "mastery_threshold": 0.9}')
    {'mastery_threshold': 0.9, 'cap_concept': 'c/x'}
    >>> read_settings(None)
    {'mastery_threshold': 0.95, 'cap_concept': None}
    """
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw or "{}")
        except ValueError:
            raw = {}
    raw = dict(raw) if isinstance(raw, dict) else {}
    for old, new in SETTINGS_ALIASES.items():
        if raw.get(old) and not raw.get(new):
            raw[new] = raw[old]
    try:
        threshold = float(raw.get("mastery_threshold", DEFAULT_THRESHOLD))
    except (TypeError, ValueError):
        threshold = DEFAULT_THRESHOLD
    if not 0.0 < threshold < 1.0:
        threshold = DEFAULT_THRESHOLD
    return {"mastery_threshold": threshold, "cap_concept": raw.get("cap_concept") or None}


# Parsed published versions, per open database (weak keys: a closed and collected store takes
# its cache with it), then per (curriculum, version, settings). A version never changes once
# published, so an entry is valid for as long as it is the published one.
_CURRICULA: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()
_BUILD_LOCKS: dict = {}
_DRAFTS = itertools.count()


def load_curriculum(db: Database, curriculum: str, *, published_only: bool = False) -> Curriculum:
    """The published version of ``curriculum`` as the tutor needs it: concepts, prerequisite
    edges, units, lessons and exercise pool. Parsed once per (curriculum, version) and kept in
    memory; each call costs one indexed query (the published version number and the settings).

    ``NotFound`` if it does not exist. A curriculum never published is refused with
    ``published_only=True`` (what every learner-facing entry point passes: ``TutorSessions``,
    ``ask``); otherwise (instructor tools, e.g. a mastery export of a draft) it is read from
    the draft tables, uncached, with ``version`` None.
    """
    from teachback.curricula import catalogue
    from teachback.errors import NotFound

    row = catalogue.fingerprint(db, curriculum)
    if row is None:
        raise NotFound(f"curriculum {curriculum!r} does not exist")
    if row[0] is None:
        if published_only:
            raise NotFound(
                f"curriculum {curriculum!r} is not published yet: an instructor publishes it "
                "on the Review & publish page, or with `teachback publish`, before learners "
                "can start"
            )
        from teachback.curricula.export_json import export_curriculum

        cur = curriculum_from_view(export_curriculum(db, curriculum), read_settings(row[1]))
        cur.fingerprint = ("draft", next(_DRAFTS))  # never reused: drafts change
        return cur
    fingerprint = (row[0], row[1])
    with _CACHE_LOCK:
        hit = _CURRICULA.get(db, {}).get(curriculum)
        build_lock = _BUILD_LOCKS.setdefault((id(db), curriculum), threading.Lock())
    if hit is not None and hit.fingerprint == fingerprint:
        return hit
    with build_lock:  # one thread parses a new version; the others wait and reuse it
        with _CACHE_LOCK:
            hit = _CURRICULA.get(db, {}).get(curriculum)
        if hit is not None and hit.fingerprint == fingerprint:
            return hit
        from teachback.curricula.publish import snapshot

        cur = curriculum_from_view(snapshot(db, curriculum, row[0]), read_settings(row[1]))
        cur.fingerprint = fingerprint
        with _CACHE_LOCK:
            _CURRICULA.setdefault(db, {})[curriculum] = cur
        return cur


def curriculum_from_view(view: dict, settings: dict | None = None) -> Curriculum:
    """Build the tutor's ``Curriculum`` from a curriculum export/snapshot (``export_json``
    format); rejected exercises and removed edges are left out (``publish.learner_view``)."""
    from teachback.curricula.publish import learner_view

    view = learner_view(view)
    settings = settings or read_settings(view["curriculum"].get("settings"))
    units = {
        u["id"]: {"id": u["id"], "title": u["title"], "position": u["position"]}
        for u in view["units"]
    }
    concepts = sorted(
        (
            {
                "id": c["id"],
                "name": c["name"],
                "slug": c["slug"],
                "definition": c["definition"],
                "importance": c["importance"],
                "unit_id": c["unit"],
                "position": c["position"],
                "unit_position": (units.get(c["unit"]) or {}).get("position") or 0,
            }
            for c in view["concepts"]
        ),
        key=lambda c: (c["unit_position"], c["position"] or 0, c["id"]),
    )
    prerequisites: dict[str, list[str]] = {c["id"]: [] for c in concepts}
    for e in view["edges"]:
        if e["kind"] == "prerequisite" and e["concept"] in prerequisites:
            prerequisites[e["concept"]].append(e["prerequisite"])
    rows: dict[str, list[dict]] = {}
    for x in view["exercises"]:
        if x["concept"] not in prerequisites:
            continue
        rows.setdefault(x["concept"], []).append(
            {
                "id": x["id"],
                "curriculum_id": view["curriculum"]["id"],
                "concept_id": x["concept"],
                "kind": x["kind"],
                "prompt": x["prompt"],
                "choices": x["choices"],
                "answer": x["answer"],
                "explanation": x["explanation"],
                "difficulty": x["difficulty"],
                "citations": x["citations"],
                "data": x["data"],
                "self_check": x["self_check"],
                "status": x["status"],
            }
        )
    for items in rows.values():
        items.sort(key=lambda r: (r.get("difficulty") or 0.5, r["id"]))
    pool = sorted(
        (
            {
                "id": r["id"],
                "concept_id": r["concept_id"],
                "difficulty": r["difficulty"],
                **exercise_passage(r),
            }
            for items in rows.values()
            for r in items
        ),
        key=lambda e: (e["concept_id"], e["difficulty"], e["id"]),
    )
    return Curriculum(
        id=view["curriculum"]["id"],
        assessable={e["concept_id"] for e in pool},
        exercises=pool,
        concepts=concepts,
        prerequisites=prerequisites,
        units=units,
        threshold=settings["mastery_threshold"],
        cap=settings["cap_concept"],
        version=view["curriculum"].get("published_version"),
        exercise_rows=rows,
        lessons={
            lesson["concept"]: {"text": lesson["text"], "citations": lesson["citations"]}
            for lesson in view["lessons"]
        },
        evidence=_evidence(view),
        source_ids=frozenset(s["id"] for s in view["sources"]),
        source_titles={s["id"]: s.get("title") or "" for s in view["sources"]},
    )


# Where an exercise's prompt is made of a source sentence: a cloze's sentence, a blank-choice's
# template, a true/false statement, a which-function question's code.
_FROM_PASSAGE = ("sentence", "template", "statement", "code")


def exercise_passage(row: dict) -> dict:
    """The passage an exercise cites first (``"<source>:<start>"``; its feedback shows it whole)
    and whether its prompt is made of it: what lets the pacing policy avoid asking a sentence
    again with another word blanked just after the learner read it whole.

    >>> exercise_passage({"citations": [{"source": "s1", "start": 40}], "data": {"sentence": "A"}})
    {'passage': 's1:40', 'from_passage': True}
    """
    cites = row.get("citations") or []
    first = cites[0] if cites and isinstance(cites[0], dict) else {}
    if first.get("source") is None or first.get("start") is None:
        return {"passage": None, "from_passage": False}
    data = row.get("data") or {}
    made_of = isinstance(data, dict) and any(data.get(k) for k in _FROM_PASSAGE)
    return {"passage": f"{first['source']}:{first['start']}", "from_passage": bool(made_of)}


_ROLE_ORDER = {"mention": 0, "code": 1}


def _evidence(view: dict) -> dict[str, list[dict]]:
    """Per concept, its cited spans with the passage around each (a lesson from another
    angle), mentions first, then code, then the rest."""
    passages = {}
    for s in view["sources"]:
        text = s.get("text") or ""
        passages[s["id"]] = (
            s.get("path") or "",
            text,
            sorted((p["start"], p["end"]) for p in s.get("passages") or []),
        )
    out: dict[str, list[dict]] = {}
    for c in view["concepts"]:
        items = []
        for e in c.get("evidence") or []:
            path, text, spans = passages.get(e["source"], ("", "", []))
            around = next(
                (text[a:b].strip() for a, b in spans if a <= e["start"] and e["end"] <= b), ""
            )
            items.append(
                {
                    "quote": e["quote"],
                    "start": e["start"],
                    "end": e["end"],
                    "source_id": e["source"],
                    "passage": around or e["quote"],
                    "path": path,
                    "role": e.get("role"),
                }
            )
        items.sort(key=lambda r: _ROLE_ORDER.get(r["role"], 2))  # stable: keeps stored order
        out[c["id"]] = items
    return out


def exercises_for(db: Database, curriculum: str, concept_id: str) -> list[dict]:
    """The learner-facing exercises of a concept in the published version, easiest first."""
    return load_curriculum(db, curriculum).exercises_of(concept_id)
