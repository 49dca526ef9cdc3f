"""The instructor's concept graph says why each edge is there."""

from teachback.ui.instructor.editor import graph_dot


def test_each_edge_carries_its_reason_as_a_tooltip():
    concepts = [{"id": "a", "name": "LayerNorm"}, {"id": "b", "name": "Block"}]
    edges = [
        {"prerequisite": "a", "concept": "b", "kind": "prerequisite", "reason": 'Block uses "it"'},
        {"prerequisite": "b", "concept": "a", "kind": "related", "reason": ""},
    ]
    lines = graph_dot(concepts, edges, []).splitlines()
    assert '  "a" -> "b" [tooltip="Block uses \\"it\\""];' in lines
    assert '  "b" -> "a" [style=dashed, color="#888888"];' in lines
