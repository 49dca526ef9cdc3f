"""What the progress page shows, as pure functions over rows: the concept graph coloured by
mastery (Graphviz DOT), mastery over time, and the concepts due for review.

>>> concepts = [{"id": "c/a", "name": "A", "unit_id": 1},
...             {"id": "c/b", "name": 'B "quoted"', "unit_id": 1}]
>>> dot = concept_graph_dot(concepts, [{"prerequisite": "c/a", "concept": "c/b"}],
...                         {"c/a": 0.97, "c/b": 0.4})
>>> '"c/a" -> "c/b"' in dot, 'B \\\\"quoted\\\\"' in dot
(True, True)
>>> timeline([{"concept_id": "c/a", "correct": 1, "at": "t1"}], {"c/a": "A"})[0]["concept"]
'A'
"""

from __future__ import annotations

from collections.abc import Iterable

from teachback.tutor import bkt

MASTERED = "#5cb85c"  # green
LEARNING = "#f0ad4e"  # amber: some evidence, not mastered yet
STARTING = "#f7f7f7"  # nothing known yet
DUE = "#d9534f"  # red outline: due for review


def _quote(text: str) -> str:
    """A Graphviz double-quoted string: source names are text, never HTML-like labels."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def colour(p_known: float, threshold: float) -> str:
    if p_known >= threshold:
        return MASTERED
    if p_known >= 0.5:
        return LEARNING
    return STARTING


def concept_graph_dot(
    concepts: list[dict],
    edges: Iterable[dict],
    p_known: dict[str, float],
    threshold: float = bkt.MASTERY_THRESHOLD,
    *,
    units: dict | None = None,
    due: Iterable[str] = (),
) -> str:
    """DOT source: one node per concept (label: name and P(known) in %), filled by mastery,
    grouped in a box per unit, arrows from prerequisite to concept; due reviews outlined red.
    Concepts missing from ``p_known`` (nothing to practise) are drawn dashed, without a %."""
    due = set(due)
    ids = {c["id"] for c in concepts}
    lines = [
        "digraph concepts {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
    ]
    by_unit: dict = {}
    for c in concepts:
        by_unit.setdefault(c.get("unit_id"), []).append(c)
    for n, (unit_id, members) in enumerate(by_unit.items()):
        title = (units or {}).get(unit_id, {}).get("title") if unit_id is not None else None
        indent = "  "
        if title:
            lines.append(f"  subgraph cluster_{n} {{")
            lines.append(f'    label={_quote(title)}; style="rounded,dashed"; color="#999999";')
            indent = "    "
        for c in members:
            if c["id"] not in p_known:  # nothing to practise: shown, never coloured
                attrs = [f"label={_quote(c['name'])}", 'style="rounded,dashed"']
                lines.append(f"{indent}{_quote(c['id'])} [{', '.join(attrs)}];")
                continue
            p = float(p_known[c["id"]])
            label = _quote(c["name"])[:-1] + "\\n" + f'{round(100 * p)}%"'  # DOT's \n: newline
            attrs = [f"label={label}"]
            attrs.append(f'fillcolor="{colour(p, threshold)}"')
            if c["id"] in due:
                attrs.append(f'color="{DUE}", penwidth=2.5')
            lines.append(f"{indent}{_quote(c['id'])} [{', '.join(attrs)}];")
        if title:
            lines.append("  }")
    for e in edges:
        if e["prerequisite"] in ids and e["concept"] in ids:
            lines.append(f"  {_quote(e['prerequisite'])} -> {_quote(e['concept'])};")
    lines.append("}")
    return "\n".join(lines)


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


def summary(p_known: dict[str, float], threshold: float = bkt.MASTERY_THRESHOLD) -> dict:
    """``{"mastered", "total", "share"}`` for a progress bar."""
    total = len(p_known)
    mastered = sum(1 for p in p_known.values() if p >= threshold)
    return {"mastered": mastered, "total": total, "share": mastered / total if total else 0.0}


def progress_data(db, learner_id: str, curriculum_id: str) -> dict:
    """Everything the progress page draws, read from the store in one go."""
    from teachback.tutor import session_model as model

    cur = model.load_curriculum(db, curriculum_id)
    p_known = model.mastery(db, learner_id, cur)
    due = model.due_reviews(db, learner_id, cur)
    edges = [
        {"prerequisite": pre, "concept": cid}
        for cid, pres in cur.prerequisites.items()
        for pre in pres
    ]
    names = {c["id"]: c["name"] for c in cur.concepts}
    rows = timeline(model.attempts_of(db, learner_id, curriculum_id), names)
    return {
        "dot": concept_graph_dot(
            cur.concepts,
            edges,
            p_known,
            cur.threshold,
            units=cur.units,
            due=[d["concept_id"] for d in due],
        ),
        "summary": summary(p_known, cur.threshold),
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
