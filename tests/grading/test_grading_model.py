"""The shipped weights load and agree with a refit; the refit path works on real rows."""

import json

import numpy as np
import pytest

from teachback.tutor.grading import model as model_mod
from teachback.tutor.grading.features import FEATURES, extract, vector


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
