"""The shipped weights load and agree with a refit; the refit path works on real rows."""

import json

import numpy as np
import pytest

from teachback.tutor.grading import model as model_mod
from teachback.tutor.grading.features import FEATURES, GATE_FEATURES, extract, vector


def test_shipped_weights_match_the_features():
    weights = json.loads(model_mod.WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert weights["features"] == FEATURES
    assert weights["n_rows"] >= 1000 and len(weights["gbr"]["trees"]) == 100


def test_serialised_trees_reproduce_sklearn():
    from sklearn.ensemble import GradientBoostingRegressor

    rng = np.random.default_rng(0)
    x = rng.random((200, len(FEATURES)))
    y = np.clip(5 * x[:, 0] + rng.normal(0, 0.3, 200), 0, 5)
    weights = model_mod.fit_arrays(x, y)
    ours = model_mod.FreeTextModel(weights)
    gbr = GradientBoostingRegressor(**model_mod.GBR_PARAMS).fit(x, y)
    assert np.allclose(ours._gbr(x), gbr.predict(x), atol=1e-4)
    assert np.corrcoef(ours.predict(x), y)[0, 1] > 0.9


def test_save_and_load_roundtrip(tmp_path):
    rows = [
        ("What is a pointer?", "A variable holding the address of another variable.", a, s)
        for a, s in [
            ("It holds the address of another variable.", 5.0),
            ("A variable with an address in it.", 4.0),
            ("A kind of loop.", 1.0),
            ("", 0.0),
        ]
    ]
    x = np.array([vector(extract(q, r, a)) for q, r, a, _ in rows])
    y = np.array([s for *_, s in rows])
    path = model_mod.save(model_mod.fit_arrays(x, y, source="unit test"), tmp_path / "w.json")
    loaded = model_mod.load(path)
    assert loaded.weights["trained_on"] == "unit test"
    assert loaded.predict(x).shape == (4,)
    with pytest.raises(ValueError, match="refit"):
        model_mod.FreeTextModel({**loaded.weights, "features": FEATURES[:-1]})


def test_shipped_gaming_check_reads_its_features():
    weights = json.loads(model_mod.WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert weights["gate"]["features"] == GATE_FEATURES
    assert len(weights["gate"]["trees"]) == model_mod.GATE_PARAMS["n_estimators"]


def test_serialised_gaming_check_reproduces_sklearn():
    from sklearn.ensemble import GradientBoostingClassifier

    rng = np.random.default_rng(1)
    x = rng.random((300, len(GATE_FEATURES)))
    y = (x[:, 2] + x[:, 3] > 1.0).astype(int)
    w = np.ones(300)
    ours = model_mod.FreeTextModel(
        {**model_mod.load().weights, "gate": model_mod.fit_gate(x, y, w)}
    )
    clf = GradientBoostingClassifier(**model_mod.GATE_PARAMS).fit(x, y, sample_weight=w)
    assert np.allclose(ours.gaming(x), clf.predict_proba(x)[:, 1], atol=1e-5)


def test_training_rows_add_gaming_answers_of_the_given_questions_only():
    rows = [
        {
            "qid": "1",
            "question": "What is a variable?",
            "reference": "A location in memory that can store a value.",
            "student_answer": "A named place in memory.",
            "score_avg_0_5": 4.5,
        }
    ]
    out = model_mod.training_rows(rows)
    assert out[0] == rows[0]
    assert [r["synthetic"] for r in out[1:]] == [
        "reference",
        "keyword_salad",
        "keyword_salad_loose0",
        "keyword_salad_loose1",
        "word_salad",
        "negated",
        "negated_loose0",
        "negated_loose1",
        "reversed_relation",
    ]
    assert {r["question"] for r in out} == {"What is a variable?"}
    made = {r["synthetic"]: r["student_answer"] for r in out[1:]}
    assert made["negated"] == "A location in memory that cannot store a value."
    # A word away from the gaming answer, with fillers the benchmark's loosened cases do not use.
    assert made["negated_loose0"] == "A location in memory that cannot store a, in short."
    assert made["keyword_salad_loose1"] == "Store location value, mostly."


def test_gaming_check_flags_the_reference_turned_into_nonsense():
    from teachback.tutor.grading.adversarial import build

    q = "What does the sizeof operator return?"
    ref = "The size in bytes of its operand."
    made = build(q, ref)
    gaming = {
        kind: float(model_mod.load().gaming(vector(extract(q, ref, a), GATE_FEATURES))[0])
        for kind, a in made.items()
    }
    assert gaming["reference"] < 0.5
    assert gaming["negated"] >= 0.5 and gaming["reversed_relation"] >= 0.5
