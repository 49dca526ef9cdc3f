"""Names-only generality: a concept whose words recur in other concepts' names is more basic."""

from __future__ import annotations

from teachback.ingest.prerequisites.mentions import gather
from teachback.ingest.prerequisites.scoring import FEATURES, prerequisite_features, score


def test_generality_from_names_alone():
    names = ["probability", "joint probability", "conditional probability", "DBSCAN", "mean"]
    stats = gather([[n] for n in names], [])  # no text at all
    g = dict(zip(names, stats.generality, strict=True))
    assert g["probability"] > g["joint probability"] == g["conditional probability"]
    assert g["probability"] > g["DBSCAN"]
    i = FEATURES.index("generality")
    forward = prerequisite_features(0, 1, stats)  # probability -> joint probability
    backward = prerequisite_features(1, 0, stats)
    assert forward[i] > 0 > backward[i]
    assert score(forward) > score(backward)
