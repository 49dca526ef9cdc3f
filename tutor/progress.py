"""What the progress page shows, as pure functions over rows: the concept map (units of
concepts coloured by mastery, the learner's frontier), mastery over time, and the concepts due
for review.

>>> concepts = [{"id": "c/a", "name": "A", "unit_id": 1},
...             {"id": "c/b", "name": "B", "unit_id": 1}]
>>> m = concept_map(concepts, [{"prerequisite": "c/a", "concept": "c/b"}],
...                 {"c/a": 0.97, "c/b": 0.4}, units={1: {"title": "hash_tables (2)"}})
>>> [(c["name"], c["status"]) for c in m["concepts"]], m["units"][0]["title"]
([('A', 'mastered'), ('B', 'ready')], 'Hash tables')
>>> timeline([{"concept_id": "c/a", "correct": 1, "at": "t1"}], {"c/a": "A"})[0]["concept"]
'A'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from teachback.tutor import bkt

# A concept's place on the learner's map. "ready": not mastered, every prerequisite is: what the
# learner can take on next (the frontier). "locked": waits on a prerequisite. "unpractised":
# the curriculum has nothing to practise it with: it is taught by its lesson, which the learner
# marks read ("read"); a read lesson counts toward finishing, never as mastered.
STATUSES = ("mastered", "due", "learning", "ready", "locked", "read", "unpractised")
STATUS_TEXT = {
    "mastered": "mastered",
    "due": "due for review",
    "learning": "on the way",
    "ready": "ready to learn",
    "locked": "not yet: builds on concepts still to learn",
    "read": "lesson read (nothing to practise)",
    "unpractised": "lesson to read (nothing to practise)",
}
LEARNING_FROM = 0.5  # P(known) from which a concept counts as "on the way"


def concept_status(
    p_known: float | None,
    threshold: float,
    *,
    due: bool,
    prerequisites_met: bool,
    read: bool = False,
) -> str:
    """One concept's status (see ``STATUSES``); ``read``: its lesson was marked read (counts
    only for a concept with nothing to practise, ``p_known`` None)."""
    if p_known is None:
        return "read" if read else "unpractised"
    if p_known >= threshold:
        return "due" if due else "mastered"
    if p_known >= LEARNING_FROM:
        return "learning"
    return "ready" if prerequisites_met else "locked"


_COPY_SUFFIX = re.compile(r"\s*\(\d+\)\s*$")  # "hash_tables (3)": the third part of a file
_DUNDER = re.compile(r"^_+\w*?_+$")  # "__init__", "__main__": a module, not a topic


def _base_title(raw: str | None) -> str:
    """A stored unit title as words: ``"hash_tables (3)"`` -> ``"Hash tables"``; a name that says
    nothing about the topic (``"__init__"``, empty) -> ``""``."""
    text = _COPY_SUFFIX.sub("", str(raw or "")).strip()
    if not text or _DUNDER.match(text):
        return ""
    text = re.sub(r"\.(md|py|ipynb|html?|txt|pdf|rst)$", "", text, flags=re.I)
    text = " ".join(re.sub(r"[_\-]+", " ", text).split())
    return text[:1].upper() + text[1:] if text else ""


def unit_titles(units: dict, members: dict) -> dict:
    """Readable titles for units: the stored title in words when it names one unit only;
    otherwise (a file split into parts, or a module's ``__init__``) the words plus the unit's
    most important concepts, so each title tells its unit apart.

    ``units``: unit id -> row with "title"; ``members``: unit id -> its concept rows.

    >>> unit_titles({1: {"title": "hashing"}, 2: {"title": "probing"}, 3: {"title": "probing (2)"},
    ...              4: {"title": "__init__"}},
    ...             {1: [], 2: [{"name": "probe sequence", "importance": 2}],
    ...              3: [{"name": "tombstone", "importance": 1}, {"name": "deletion"}],
    ...              4: [{"name": "hash table"}]})
    {1: 'Hashing', 2: 'Probing: probe sequence', 3: 'Probing: tombstone, deletion', 4: 'Hash table'}
    """
    bases = {uid: _base_title((row or {}).get("title")) for uid, row in units.items()}
    counts: dict[str, int] = {}
    for base in bases.values():
        counts[base.lower()] = counts.get(base.lower(), 0) + 1
    titles = {}
    for uid, base in bases.items():
        if base and counts[base.lower()] == 1:
            titles[uid] = base
            continue
        ranked = sorted(
            members.get(uid, []), key=lambda c: -float(c.get("importance") or 0.0)
        )  # stable: teaching order among equals
        names = [str(c["name"]) for c in ranked if str(c["name"]).lower() != base.lower()][:2]
        if not names:
            titles[uid] = base or f"Part {len(titles) + 1}"
        elif base:
            titles[uid] = f"{base}: {', '.join(names)}"
        else:
            lead = ", ".join(names)
            titles[uid] = lead[:1].upper() + lead[1:]
    return titles


def concept_map(
    concepts: list[dict],
    edges: Iterable[dict],
    p_known: dict[str, float],
    threshold: float = bkt.MASTERY_THRESHOLD,
    *,
    units: dict | None = None,
    due: Iterable[str] = (),
    read: Iterable[str] = (),
) -> dict:
    """The learner's concept map as data (drawn by ``teachback.ui.concept_map``):

    * ``units``: in teaching order, ``{"id", "title", "concepts": [ids], "mastered", "total",
      "ready", "read"}`` (``total`` counts concepts that can be practised; ``read`` the lessons
      read of those that cannot);
    * ``concepts``: in teaching order, ``{"id", "name", "unit", "p_known" (None when nothing to
      practise), "status", "prerequisites": [ids]}``;
    * ``edges``: ``(prerequisite, concept)`` pairs between known concepts.

    Concepts missing from ``p_known`` have nothing to practise: they never block what builds on
    them (the tutor does not wait on them either)."""
    due, read = set(due), set(read)
    ids = {c["id"] for c in concepts}
    pairs = [
        (e["prerequisite"], e["concept"])
        for e in edges
        if e["prerequisite"] in ids and e["concept"] in ids and e["prerequisite"] != e["concept"]
    ]
    needs: dict[str, list[str]] = {}
    for pre, cid in pairs:
        needs.setdefault(cid, []).append(pre)

    def known(cid: str) -> bool:
        return cid not in p_known or p_known[cid] >= threshold

    members: dict = {}
    for c in concepts:
        members.setdefault(c.get("unit_id"), []).append(c)
    titles = unit_titles({u: (units or {}).get(u) or {} for u in members}, members)
    rows = []
    for c in concepts:
        p = p_known.get(c["id"])
        status = concept_status(
            None if p is None else float(p),
            threshold,
            due=c["id"] in due,
            prerequisites_met=all(known(pre) for pre in needs.get(c["id"], [])),
            read=c["id"] in read,
        )
        rows.append(
            {
                "id": c["id"],
                "name": str(c["name"]),
                "unit": c.get("unit_id"),
                "p_known": None if p is None else round(float(p), 3),
                "status": status,
                "prerequisites": needs.get(c["id"], []),
            }
        )
    by_unit: dict = {}
    for r in rows:
        by_unit.setdefault(r["unit"], []).append(r)
    unit_rows = [
        {
            "id": uid,
            "title": titles[uid],
            "concepts": [r["id"] for r in group],
            "mastered": sum(r["status"] in ("mastered", "due") for r in group),
            "total": sum(r["status"] not in ("unpractised", "read") for r in group),
            "read": sum(r["status"] == "read" for r in group),
            "ready": sum(r["status"] in ("ready", "learning") for r in group),
        }
        for uid, group in by_unit.items()
    ]
    return {"units": unit_rows, "concepts": rows, "edges": pairs}


def timeline(
    attempts: Iterable[dict], names: dict[str, str], params: bkt.BKTParams = bkt.DEFAULT_PARAMS
) -> list[dict]:
    """P(known) of the practised concept after each attempt, replaying BKT over the log:
    rows ``{"n", "at", "concept", "p_known", "correct"}`` in the order answers were given."""
    p: dict[str, float] = {}
    rows = []
    for n, a in enumerate(attempts, start=1):
        cid = a["concept_id"]
        p[cid] = bkt.step(p.get(cid, params.prior), bool(a["correct"]), params)
        rows.append(
            {
                "n": n,
                "at": a.get("at", ""),
                "concept": names.get(cid, cid),
                "p_known": round(p[cid], 4),
                "correct": bool(a["correct"]),
            }
        )
    return rows


def timeline_table(rows: list[dict]) -> dict[str, list]:
    """Wide form for a line chart: ``{"answer": [1, 2, ...], "<concept>": [p or None, ...]}``,
    each concept's line carried forward between its own answers."""
    concepts = list(dict.fromkeys(r["concept"] for r in rows))
    table: dict[str, list] = {"answer": [r["n"] for r in rows]}
    last: dict[str, float | None] = dict.fromkeys(concepts)
    for name in concepts:
        table[name] = []
    for r in rows:
        last[r["concept"]] = r["p_known"]
        for name in concepts:
            table[name].append(last[name])
    return table


def summary(
    p_known: dict[str, float],
    threshold: float = bkt.MASTERY_THRESHOLD,
    *,
    readable: int = 0,
    read: int = 0,
) -> dict:
    """``{"mastered", "read", "total", "share"}`` for a progress bar: ``total`` counts the
    concepts to practise and the ``readable`` ones (nothing to practise: taught by the lesson),
    ``share`` what is finished (mastered, or the lesson read).

    >>> summary({"c/a": 0.97, "c/b": 0.4}, 0.95, readable=2, read=1)
    {'mastered': 1, 'read': 1, 'total': 4, 'share': 0.5}
    """
    total = len(p_known) + readable
    mastered = sum(1 for p in p_known.values() if p >= threshold)
    share = (mastered + read) / total if total else 0.0
    return {"mastered": mastered, "read": read, "total": total, "share": share}


def progress_data(db, learner_id: str, curriculum_id: str) -> dict:
    """Everything the progress page draws, read from the store in one go."""
    from teachback.tutor import answers, learner_model, published

    cur = published.load_curriculum(db, curriculum_id)
    state = learner_model.learner_state(db, learner_id, cur)
    p_known = learner_model.mastery_from(state, cur)
    due = learner_model.due_reviews(db, learner_id, cur, state)
    readable = [c["id"] for c in cur.concepts if c["id"] not in p_known]
    read = [c for c in readable if c in state.concepts and state.concepts[c].read]
    edges = [
        {"prerequisite": pre, "concept": cid}
        for cid, pres in cur.prerequisites.items()
        for pre in pres
    ]
    names = {c["id"]: c["name"] for c in cur.concepts}
    rows = timeline(answers.attempts_of(db, learner_id, curriculum_id), names)
    return {
        "map": concept_map(
            cur.concepts,
            edges,
            p_known,
            cur.threshold,
            units=cur.units,
            due=[d["concept_id"] for d in due],
            read=read,
        ),
        "summary": summary(p_known, cur.threshold, readable=len(readable), read=len(read)),
        "concepts": [
            {
                "concept": c["name"],
                "p_known": round(p_known[c["id"]], 3),
                "mastered": p_known[c["id"]] >= cur.threshold,
            }
            for c in cur.concepts
            if c["id"] in p_known
        ],
        "timeline": rows,
        "due": due,
    }
