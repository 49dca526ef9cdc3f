"""Progress page data: the mastery-coloured graph, mastery over time, the summary."""

import graphviz
import pytest

from teachback.curricula.publish import publish
from teachback.tutor import bkt
from teachback.tutor.progress import (
    LEARNING,
    MASTERED,
    STARTING,
    concept_graph_dot,
    progress_data,
    summary,
    timeline,
    timeline_table,
)

CONCEPTS = [
    {"id": "c/a", "name": "Alpha", "unit_id": 1},
    {"id": "c/b", "name": "Beta", "unit_id": 1},
    {"id": "c/c", "name": 'Gamma "<b>bold</b>"', "unit_id": 2},
]
EDGES = [{"prerequisite": "c/a", "concept": "c/b"}, {"prerequisite": "c/b", "concept": "c/zzz"}]


def test_graph_colours_each_concept_by_mastery_and_draws_prerequisites():
    dot = concept_graph_dot(
        CONCEPTS, EDGES, {"c/a": 0.99, "c/b": 0.6, "c/c": 0.1}, 0.95,
        units={1: {"title": "One"}, 2: {"title": "Two"}}, due=["c/a"],
    )  # fmt: skip
    plain = graphviz.Source(dot).pipe("plain").decode()
    nodes = {line.split()[1]: line for line in plain.splitlines() if line.startswith("node")}
    assert MASTERED in nodes['"c/a"'] and LEARNING in nodes['"c/b"'] and STARTING in nodes['"c/c"']
    assert "99%" in nodes['"c/a"'] and "60%" in nodes['"c/b"']
    edges = [line.split()[1:3] for line in plain.splitlines() if line.startswith("edge")]
    assert edges == [['"c/a"', '"c/b"']]  # an edge to an unknown concept is left out
    assert "<b>bold</b>" in nodes['"c/c"']  # a name is text, never an HTML-like label
    assert 'color="#d9534f"' in dot.split('"c/a" [')[1].split("\n")[0]


def test_timeline_replays_bkt_over_the_log():
    log = [
        {"concept_id": "c/a", "correct": 1, "at": "1"},
        {"concept_id": "c/b", "correct": 0, "at": "2"},
        {"concept_id": "c/a", "correct": 1, "at": "3"},
    ]
    rows = timeline(log, {"c/a": "Alpha", "c/b": "Beta"})
    p1 = bkt.step(bkt.DEFAULT_PARAMS.prior, True)
    assert [r["concept"] for r in rows] == ["Alpha", "Beta", "Alpha"]
    assert rows[0]["p_known"] == pytest.approx(p1, abs=1e-4)
    assert rows[2]["p_known"] == pytest.approx(bkt.step(p1, True), abs=1e-4)
    assert rows[1]["p_known"] < bkt.DEFAULT_PARAMS.prior + bkt.DEFAULT_PARAMS.learn
    table = timeline_table(rows)
    assert table["answer"] == [1, 2, 3]
    assert table["Beta"][0] is None and table["Alpha"][1] == rows[0]["p_known"]


def test_summary_counts_mastered_concepts():
    assert summary({"a": 0.96, "b": 0.5}, 0.95) == {"mastered": 1, "total": 2, "share": 0.5}
    assert summary({}) == {"mastered": 0, "total": 0, "share": 0.0}


def test_progress_data_for_a_learner_in_the_store(water):
    data = progress_data(water, "nobody", "water")
    assert data["summary"] == {"mastered": 0, "total": 4, "share": 0.0}
    assert data["timeline"] == [] and data["due"] == []
    assert [c["concept"] for c in data["concepts"]] == [
        "Evaporation", "Condensation", "Precipitation", "Runoff"
    ]  # fmt: skip
    assert '"water/evaporation" -> "water/condensation"' in data["dot"]


def test_a_concept_with_nothing_to_practise_is_drawn_but_not_counted(water):
    water.execute("update exercises set status = 'rejected' where concept_id = 'water/runoff'")
    assert progress_data(water, "nobody", "water")["summary"]["total"] == 4  # a draft change
    publish(water, "water", "instructor")  # learners see it once published
    data = progress_data(water, "nobody", "water")
    assert data["summary"]["total"] == 3
    assert "Runoff" not in [c["concept"] for c in data["concepts"]]
    plain = graphviz.Source(data["dot"]).pipe("plain").decode()
    runoff = next(line for line in plain.splitlines() if '"water/runoff"' in line.split()[:2])
    assert "dashed" in runoff and "%" not in runoff
