"""ui/concept_map: the learner's map laid out in Python (no Graphviz binary) and drawn by
Vega-Lite; pure functions, checked without a browser."""

import itertools
import json

from teachback.tutor.progress import concept_map
from teachback.ui.concept_map import as_text, chart, frontier, layout


def curriculum(units: int = 12, per_unit: int = 9):
    """A curriculum of ``units * per_unit`` concepts, each building on the one before it in its
    unit and the first of every unit on the previous unit's last concept."""
    concepts, edges = [], []
    for u, i in itertools.product(range(units), range(per_unit)):
        cid = f"u{u}/c{i}"
        concepts.append({"id": cid, "name": f"concept {u}.{i}", "unit_id": u})
        if i:
            edges.append({"prerequisite": f"u{u}/c{i - 1}", "concept": cid})
        elif u:
            edges.append({"prerequisite": f"u{u - 1}/c{per_unit - 1}", "concept": cid})
    names = {u: {"title": f"unit_{u}"} for u in range(units)}
    return concepts, edges, names


def overlaps(a, b) -> bool:
    return a["x"] < b["x2"] and b["x"] < a["x2"] and a["y"] < b["y2"] and b["y"] < a["y2"]


def test_a_hundred_concepts_with_units_closed_fit_one_screen():
    concepts, edges, units = curriculum(12, 9)  # 108 concepts
    p = {c["id"]: 0.1 for c in concepts}
    data = concept_map(concepts, edges, p, 0.95, units=units)
    lay = layout(data, opened=set())
    assert len(lay.nodes) == 108 and lay.height <= 600 and lay.width <= 900
    assert [u["title"] for u in lay.units][:2] == ["Unit 0", "Unit 1"]
    assert not any(overlaps(a, b) for a, b in itertools.combinations(lay.nodes, 2))


def test_an_open_unit_names_its_concepts_without_overlap_and_draws_its_arrows():
    concepts, edges, units = curriculum(3, 6)
    data = concept_map(concepts, edges, {c["id"]: 0.1 for c in concepts}, units=units)
    closed, opened = layout(data, set()), layout(data, {1})
    labelled = [n for n in opened.nodes if n["label"]]
    assert [n["label"] for n in labelled] == [f"concept 1.{i}" for i in range(6)]
    assert len(opened.edges) == 5  # the chain inside unit 1; others are listed, not drawn
    assert opened.height > closed.height
    assert not any(overlaps(a, b) for a, b in itertools.combinations(opened.nodes, 2))
    # columns by depth within the unit: each concept right of (or under) its prerequisite
    xs = [n["x"] for n in labelled]
    assert xs == sorted(xs)


def test_frontier_and_list_say_what_is_next():
    concepts, edges, units = curriculum(2, 3)
    p = {c["id"]: 0.1 for c in concepts} | {"u0/c0": 0.99, "u0/c1": 0.6}
    data = concept_map(concepts, edges, p, 0.95, units=units)
    assert frontier(data) == ["concept 0.1"]  # on the way; 0.2 still waits on it
    [(heading, lines), _] = as_text(data)
    assert heading == "Unit 0 \u2014 1 of 3 mastered \u00b7 1 ready"
    assert lines == [
        ("concept 0.0", "mastered (99%)"),
        ("concept 0.1", "on the way (60%); builds on concept 0.0"),
        ("concept 0.2", "not yet: builds on concepts still to learn (10%); builds on concept 0.1"),
    ]


def test_chart_is_zoomable_and_names_are_data_not_markup():
    concepts = [{"id": "a", "name": "<b>bold</b> & co", "unit_id": 1}]
    data = concept_map(concepts, [], {"a": 0.2}, units={1: {"title": "One"}})
    spec = chart(layout(data, {1})).to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert params["zoom"]["bind"] == "scales"  # zoom and pan move the map's scales
    assert params["zoom"]["select"] == {"type": "interval", "zoom": "wheel![event.shiftKey]"}
    assert params["open_unit"]["select"]["fields"] == ["unit"]  # a click opens or closes a unit
    assert "<b>bold</b> & co" in json.dumps(spec)  # a text mark: Vega draws it as text
