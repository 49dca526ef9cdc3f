"""The free-text scoring model: a ridge regression and small gradient-boosted trees, averaged,
and a gaming check.

Both regressions are fitted on question-independent features (``features.FEATURES``) to predict
the human mean grade on a 0-5 scale. The gaming check is a gradient-boosted classifier on
``features.GATE_FEATURES``: the probability that an answer is the reference's words without its
statement (shuffled, negated, turned around; built by ``adversarial.py`` from the training
questions, the keyword lists and negations also a word away from the reference's words) rather
than an answer a learner wrote or the reference itself.

The fitted weights of both ship as ``free_text_model.json`` next to this file (plain numbers: the
scaler, the ridge coefficients and every tree's nodes), so scoring needs numpy only.
``fit_rows(training_rows(rows), features)`` refits from rows with ``question``, ``reference``,
``student_answer`` and ``score_avg_0_5``; ``teachback bench grading --refit`` writes the file.

Not handled: a rubric-only grader without a reference; the model always needs a reference text.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from teachback.tutor.grading.features import FEATURES, GATE_FEATURES, extract, vector

WEIGHTS_PATH = Path(__file__).with_name("free_text_model.json")
SCALE = 5.0  # the human grades' scale
RIDGE_ALPHA = 300.0
GBR_PARAMS = dict(
    max_depth=2, n_estimators=100, learning_rate=0.03, subsample=0.8, random_state=0, loss="huber"
)
GATE_PARAMS = dict(max_depth=2, n_estimators=100, learning_rate=0.1, random_state=0)
# Sample weights of the gaming check's training rows: the few built answers count more than
# each of the many human ones, and the reference most (it must never look like gaming). The
# loosened variants come two per answer and lie nearer human answers: they count as one each.
GATE_WEIGHTS = {"human": 1.0, "gaming": 3.0, "loosened": 1.0, "reference": 5.0}
GAMING_KINDS = ("keyword_salad", "word_salad", "negated", "reversed_relation")
# Gaming kinds also fitted a word away from the reference's words (``adversarial.loosened``).
LOOSENED_KINDS = ("keyword_salad", "negated")

_LOCK = threading.Lock()
_CACHE: dict[str, FreeTextModel] = {}


class FreeTextModel:
    """Predicts a 0-5 grade from a feature vector with the shipped (or given) weights."""

    def __init__(self, weights: dict):
        if weights.get("features") != FEATURES:
            raise ValueError("model weights were fitted on other features; refit them")
        self.weights = weights
        r = weights["ridge"]
        self.mean = np.array(r["mean"])
        self.scale = np.array(r["scale"])
        self.coef = np.array(r["coef"])
        self.intercept = float(r["intercept"])
        g = weights["gbr"]
        self.init = float(g["init"])
        self.rate = float(g["learning_rate"])
        self.trees = [{k: np.array(v) for k, v in t.items()} for t in g["trees"]]
        self.blend = float(weights.get("blend", 0.5))
        gate = weights.get("gate")
        if gate is not None and gate.get("features") != GATE_FEATURES:
            raise ValueError("gaming check was fitted on other features; refit it")
        self.gate = gate and {
            "init": float(gate["init"]),
            "rate": float(gate["learning_rate"]),
            "trees": [{k: np.array(v) for k, v in t.items()} for t in gate["trees"]],
        }

    def _ridge(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept

    @staticmethod
    def _trees(x: np.ndarray, init: float, rate: float, trees: list[dict]) -> np.ndarray:
        out = np.full(x.shape[0], init)
        for t in trees:
            for row in range(x.shape[0]):
                node = 0
                while t["left"][node] != -1:
                    go_left = x[row, t["feature"][node]] <= t["threshold"][node]
                    node = t["left"][node] if go_left else t["right"][node]
                out[row] += rate * t["value"][node]
        return out

    def _gbr(self, x: np.ndarray) -> np.ndarray:
        return self._trees(x, self.init, self.rate, self.trees)

    def gaming(self, x: np.ndarray) -> np.ndarray:
        """Probability that each answer (rows of ``GATE_FEATURES`` values) games the grader."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if not self.gate:
            return np.zeros(x.shape[0])
        logit = self._trees(x, self.gate["init"], self.gate["rate"], self.gate["trees"])
        return 1.0 / (1.0 + np.exp(-logit))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """0-5 grades for a (n, features) array (or one vector)."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        pred = self.blend * self._ridge(x) + (1 - self.blend) * self._gbr(x)
        return np.clip(pred, 0.0, SCALE)


def load(path: Path | None = None) -> FreeTextModel:
    """The model from ``path`` (default: the shipped weights), loaded once and cached."""
    key = str(path or WEIGHTS_PATH)
    if key not in _CACHE:
        with _LOCK:
            if key not in _CACHE:
                _CACHE[key] = FreeTextModel(json.loads(Path(key).read_text(encoding="utf-8")))
    return _CACHE[key]


def feature_matrix(rows: list[dict], on_progress=None) -> np.ndarray:
    out = []
    for i, r in enumerate(rows):
        out.append(vector(extract(r["question"], r["reference"], r["student_answer"])))
        if on_progress:
            on_progress(i + 1, len(rows))
    return np.array(out)


def training_rows(rows: list[dict]) -> list[dict]:
    """The rows the models are fitted on: the human-graded rows, plus for each of their
    questions the gaming answers built from its reference (``synthetic`` names the kind; they
    train the gaming check only). Only the given rows' questions are used, so a
    cross-validation fold's questions stay unseen."""
    from teachback.tutor.grading.adversarial import TRAINING_FILLERS, build, loosened

    out, seen = list(rows), set()
    for r in rows:
        key = (r["question"], r["reference"])
        if key in seen:
            continue
        seen.add(key)
        for kind, answer in build(*key).items():
            if kind not in (*GAMING_KINDS, "reference"):
                continue
            made = {kind: answer}
            if kind in LOOSENED_KINDS:
                # The same gaming answer a word away from the reference's exact words, so the
                # check reads its form, not whether every word is the reference's.
                for n, filler in enumerate(TRAINING_FILLERS):
                    made[f"{kind}_loose{n}"] = loosened(answer, filler)
            for name, text in made.items():
                if text:
                    out.append(
                        {
                            "question": key[0],
                            "reference": key[1],
                            "student_answer": text,
                            "synthetic": name,
                        }
                    )
    return out


def _weight_class(kind: str) -> str:
    """A training row's class in ``GATE_WEIGHTS``: its synthetic kind, or "human"."""
    if "_loose" in kind:
        return "loosened"
    return "gaming" if kind in GAMING_KINDS else kind


def fit_rows(rows: list[dict], features: list[dict], source: str = "") -> dict:
    """Fit the grade model on the human rows and the gaming check on all ``rows`` (as made by
    ``training_rows``); ``features`` are their ``extract`` dicts, in the same order."""
    from teachback.tutor.grading.text import is_non_answer

    # Non-answers ("not answered") are scored 0 by a rule before the model is asked; as rows
    # they would only teach it that an answer sharing nothing with the reference is worth 0.
    human = [
        i
        for i, r in enumerate(rows)
        if "synthetic" not in r and not is_non_answer(r["student_answer"], r["reference"])
    ]
    x = np.array([vector(features[i]) for i in human])
    y = np.array([float(rows[i]["score_avg_0_5"]) for i in human])
    weights = fit_arrays(x, y, source)
    kinds = [r.get("synthetic", "human") for r in rows]
    gx = np.array([vector(f, GATE_FEATURES) for f in features])
    gaming = [k.split("_loose")[0] in GAMING_KINDS for k in kinds]
    gy = np.array(gaming, dtype=int)
    gw = np.array([GATE_WEIGHTS[_weight_class(k)] for k in kinds])
    if gy.any() and not gy.all():
        weights["gate"] = fit_gate(gx, gy, gw)
    return weights


def _export_trees(estimators) -> list[dict]:
    trees = []
    for est in estimators[:, 0]:
        t = est.tree_
        trees.append(
            {
                "left": t.children_left.tolist(),
                "right": t.children_right.tolist(),
                "feature": t.feature.tolist(),
                "threshold": [round(float(v), 6) for v in t.threshold],
                "value": [round(float(v), 6) for v in t.value[:, 0, 0]],
            }
        )
    return trees


def fit_gate(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> dict:
    """Fit the gaming check (1 = built gaming answer) and return its trees as plain numbers."""
    from sklearn.ensemble import GradientBoostingClassifier

    clf = GradientBoostingClassifier(**GATE_PARAMS).fit(x, y, sample_weight=w)
    return {
        "features": list(GATE_FEATURES),
        "params": dict(GATE_PARAMS),
        "init": float(clf._raw_predict_init(x[:1])[0, 0]),
        "learning_rate": GATE_PARAMS["learning_rate"],
        "trees": _export_trees(clf.estimators_),
    }


def fit_arrays(x: np.ndarray, y: np.ndarray, source: str = "") -> dict:
    """Fit both models on features ``x`` and 0-5 grades ``y``; return the weights as a dict."""
    from sklearn.ensemble import GradientBoostingRegressor
    from sklearn.linear_model import Ridge
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    ridge = Ridge(alpha=RIDGE_ALPHA).fit((x - scaler.mean_) / scale, y)
    gbr = GradientBoostingRegressor(**GBR_PARAMS).fit(x, y)
    trees = _export_trees(gbr.estimators_)
    return {
        "features": list(FEATURES),
        "scale": SCALE,
        "blend": 0.5,
        "trained_on": source,
        "n_rows": int(len(y)),
        "fitted_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ridge": {
            "alpha": RIDGE_ALPHA,
            "mean": scaler.mean_.tolist(),
            "scale": scale.tolist(),
            "coef": ridge.coef_.tolist(),
            "intercept": float(ridge.intercept_),
        },
        "gbr": {
            "params": {k: v for k, v in GBR_PARAMS.items()},
            "init": float(gbr.init_.constant_.ravel()[0])
            if hasattr(gbr.init_, "constant_")
            else float(np.median(y)),
            "learning_rate": GBR_PARAMS["learning_rate"],
            "trees": trees,
        },
    }


def save(weights: dict, path: Path | None = None) -> Path:
    path = Path(path or WEIGHTS_PATH)
    path.write_text(json.dumps(weights, separators=(",", ":")) + "\n", encoding="utf-8")
    _CACHE.pop(str(path), None)
    return path
