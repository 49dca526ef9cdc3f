"""The class by unit: what keeps the dashboard readable at 100+ concepts and 30+ learners
(a learner x unit heatmap, a table per unit, the drill-down into one unit). Pure functions."""

from __future__ import annotations

from collections import defaultdict

NO_UNIT = "Other concepts"


def unit_titles(units: list[dict]) -> dict:
    """Unit id -> a title to show (``Unit 3`` when the unit has none); None -> NO_UNIT."""
    out = {u["id"]: (str(u.get("title") or "").strip() or f"Unit {n}")
           for n, u in enumerate(units, 1)}  # fmt: skip
    out[None] = NO_UNIT
    return out


def unit_heatmap(cells: list[dict], concepts: list[dict], units: list[dict],
                 threshold: float) -> list[dict]:  # fmt: skip
    """The heatmap folded to learner x unit: a class of 30 and a curriculum of 110 concepts in
    eight units is 240 cells a screen can show. Each cell: the learner's mean P(known) over the
    unit's assessed concepts and how many of them they have mastered.

    >>> unit_heatmap([{"learner": "Ada", "learner_id": "a", "concept_id": "c1", "mastery": 0.9},
    ...               {"learner": "Ada", "learner_id": "a", "concept_id": "c2", "mastery": 0.5}],
    ...              [{"id": "c1", "unit_id": 1}, {"id": "c2", "unit_id": 1}],
    ...              [{"id": 1, "title": "Basics"}], 0.8)[0]["mastered"]
    1
    """
    unit_of = {c["id"]: c.get("unit_id") for c in concepts}
    titles = unit_titles(units)
    order = {u: n for n, u in enumerate([*(u["id"] for u in units), None])}
    groups: dict[tuple, list[float]] = defaultdict(list)
    names = {}
    for cell in cells:
        unit = unit_of.get(cell["concept_id"])
        unit = unit if unit in titles else None
        groups[(cell["learner_id"], unit)].append(cell["mastery"])
        names[cell["learner_id"]] = cell["learner"]
    rows = [
        {
            "learner": names[lid],
            "learner_id": lid,
            "unit": titles[unit],
            "unit_id": unit,
            "order": order[unit],
            "mastery": round(sum(values) / len(values), 3),
            "mastered": sum(1 for v in values if v >= threshold),
            "concepts": len(values),
        }
        for (lid, unit), values in groups.items()
    ]
    return sorted(rows, key=lambda r: (r["order"], r["learner"]))


def unit_trouble(concept_rows: list[dict], units: list[dict]) -> list[dict]:
    """Per unit (teaching order): assessed concepts, answers, misses, miss rate and the class's
    mean P(known) over its concepts -- the table a teacher scans before drilling into a unit."""
    titles = unit_titles(units)
    order = [*(u["id"] for u in units), None]
    rows = []
    for unit in order:
        mine = [r for r in concept_rows if r["unit_id"] == unit]
        if not mine:
            continue
        answers = sum(r["answers"] for r in mine)
        misses = sum(r["misses"] for r in mine)
        rows.append(
            {
                "unit": titles[unit],
                "unit_id": unit,
                "concepts": len(mine),
                "answers": answers,
                "misses": misses,
                "miss_rate": round(misses / answers, 3) if answers else None,
                "mastery": round(sum(r["mastery"] for r in mine) / len(mine), 3),
            }
        )
    return rows


def unit_cells(cells: list[dict], concepts: list[dict], unit_id) -> list[dict]:
    """The heatmap cells of one unit (its concepts, in teaching order): the drill-down view."""
    ids = {c["id"] for c in concepts if c.get("unit_id") == unit_id}
    return [c for c in cells if c["concept_id"] in ids]
