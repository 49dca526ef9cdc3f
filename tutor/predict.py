"""Success prediction: P(this learner answers this exercise right), learned from all learners.

``SuccessModel`` is a logistic regression of the "best-LR" family (Gervet et al. 2020) over the
online features of ``teachback.tutor.features``: item difficulty and skill one-hots, PFA-style
counts of earlier right/wrong answers per skill and overall, running accuracy and recency, an Elo
ability, and plain BKT's prediction with per-skill EM-fitted parameters. It therefore combines
what BKT knows about the skill with learner ability and item difficulty. Features of an attempt
use only earlier attempts, so predicting for a new learner needs only that learner's history.

``predict_success(p_known, difficulty)`` is the cheap form the pacing policy uses when no fitted
model is available: BKT's P(correct) shifted by the exercise's difficulty on the logit scale.

Not handled: multi-skill items are treated as one skill id (whatever string the log carries).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from teachback.tutor import bkt
from teachback.tutor.features import FeatureState


@dataclass(frozen=True)
class Record:
    """One attempt in a log: who, which item of which skill, when (seconds), right or not."""

    user: str
    item: str
    skill: str
    correct: int
    t: float = 0.0


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def predict_success(
    p_known: float, difficulty: float = 0.0, params: bkt.BKTParams = bkt.DEFAULT_PARAMS
) -> float:
    """BKT's P(correct), made harder by ``difficulty`` (logit units; 0 = an average exercise).

    >>> round(predict_success(0.95, 0.0), 3)
    0.865
    """
    p = min(max(bkt.p_correct(p_known, params), 1e-4), 1 - 1e-4)
    return float(_sigmoid(math.log(p / (1 - p)) - difficulty))


def group_by_user(records: Iterable[Record]) -> dict[str, list[Record]]:
    """Each user's records in time order (stable: equal stamps keep file order)."""
    by_user: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_user[r.user].append(r)
    for recs in by_user.values():
        recs.sort(key=lambda r: r.t)
    return by_user


class SuccessModel:
    """Logistic regression over online features; ``fit`` on logs, ``predict_online`` on new ones."""

    def __init__(
        self,
        C: float = 1.0,
        *,
        use_bkt: bool = True,
        only: tuple[str, ...] | None = None,
    ):
        """``only``: keep just the features whose names start with these prefixes (baselines,
        e.g. PFA is ``("skill=", "s:")``)."""
        self.C = C
        self.only = only
        self.use_bkt = use_bkt and (only is None or any(p.startswith("bkt") for p in only))
        self.vocab: dict[str, int] = {}
        self.bkt_params: dict[str, bkt.BKTParams] = {}
        self.item_difficulty: dict[str, float] = {}
        self.default_difficulty = 0.0
        self.use_time = False
        self.clf: LogisticRegression | None = None
        self.fit_seconds = 0.0

    # ----------------------------------------------------------------- features
    def _state(self) -> FeatureState:
        return FeatureState(
            bkt_params=self.bkt_params,
            item_difficulty=self.item_difficulty,
            default_difficulty=self.default_difficulty,
            use_time=self.use_time,
        )

    def _rows(self, records: Sequence[Record], grow: bool):
        """Online feature dicts for every record, per user in time order; and labels."""
        data, rows, cols, labels, order = [], [], [], [], []
        n = 0
        for recs in group_by_user(records).values():
            state = self._state()
            for r in recs:
                f = state.features(r.item, r.skill, r.t)
                if not self.use_bkt:
                    f.pop("bkt", None)
                if self.only is not None:
                    f = {k: v for k, v in f.items() if k.startswith(self.only)}
                for name, value in f.items():
                    j = self.vocab.get(name)
                    if j is None:
                        if not grow:
                            continue
                        j = self.vocab[name] = len(self.vocab)
                    if value != 0.0:
                        rows.append(n)
                        cols.append(j)
                        data.append(value)
                labels.append(r.correct)
                order.append(r)
                state.observe(r.item, r.skill, r.correct, r.t)
                n += 1
        return data, rows, cols, np.array(labels), order

    def _matrix(self, data, rows, cols, n):
        return sparse.csr_matrix((data, (rows, cols)), shape=(n, len(self.vocab)))

    # ----------------------------------------------------------------- fit / predict
    def fit(self, records: Sequence[Record]) -> SuccessModel:
        start = time.perf_counter()
        records = list(records)
        self.use_time = len({r.t for r in records}) > 1
        by_user = group_by_user(records)
        ordered = [r for recs in by_user.values() for r in recs]
        if self.use_bkt:
            self.bkt_params = bkt.fit_skills(
                ((r.user, r.skill, r.correct) for r in ordered), min_attempts=200
            )
        mu = float(np.mean([r.correct for r in records])) if records else 0.5
        item_n: dict[str, int] = defaultdict(int)
        item_c: dict[str, int] = defaultdict(int)
        for r in records:
            item_n[r.item] += 1
            item_c[r.item] += r.correct
        self.default_difficulty = -math.log(mu / (1 - mu)) if 0 < mu < 1 else 0.0
        self.item_difficulty = {
            i: -math.log((item_c[i] + 5 * mu) / (item_n[i] - item_c[i] + 5 * (1 - mu)))
            for i in item_n
        }
        self.vocab = {}
        data, rows, cols, y, _ = self._rows(ordered, grow=True)
        x = self._matrix(data, rows, cols, len(y))
        if len(set(y.tolist())) < 2:
            raise ValueError("need both right and wrong answers to fit a success model")
        self.clf = LogisticRegression(C=self.C, max_iter=2000, solver="lbfgs")
        self.clf.fit(x, y)
        self.fit_seconds = time.perf_counter() - start
        return self

    def predict_online(self, records: Sequence[Record]) -> tuple[np.ndarray, np.ndarray]:
        """Predict every record before it is seen (each user's own earlier records only).

        Returns ``(y_true, p)`` in per-user time order.
        """
        if self.clf is None:
            raise RuntimeError("fit the model first")
        data, rows, cols, y, _ = self._rows(records, grow=False)
        x = self._matrix(data, rows, cols, len(y))
        return y, self.clf.predict_proba(x)[:, 1]

    def predict_next(self, history: Sequence[Record], item: str, skill: str, t: float = 0.0):
        """P(correct) on ``item`` for a learner whose earlier attempts are ``history``."""
        if self.clf is None:
            raise RuntimeError("fit the model first")
        state = self._state()
        for r in sorted(history, key=lambda r: r.t):
            state.observe(r.item, r.skill, r.correct, r.t)
        f = state.features(item, skill, t)
        if not self.use_bkt:
            f.pop("bkt", None)
        vec = np.zeros((1, len(self.vocab)))
        for name, value in f.items():
            j = self.vocab.get(name)
            if j is not None:
                vec[0, j] = value
        return float(self.clf.predict_proba(vec)[0, 1])


# --------------------------------------------------------------------------- baselines


def online_bkt(records: Sequence[Record], params: dict[str, bkt.BKTParams]):
    """Plain BKT prediction of each record before it is seen; ``(y_true, p)`` per-user order."""
    ys, ps = [], []
    for recs in group_by_user(records).values():
        pk: dict[str, float] = {}
        for r in recs:
            prm = bkt.params_for(r.skill, params)
            p = pk.get(r.skill, prm.prior)
            ps.append(bkt.p_correct(p, prm))
            ys.append(r.correct)
            pk[r.skill] = bkt.step(p, bool(r.correct), prm)
    return np.array(ys), np.array(ps)


def metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """AUC, RMSE and log loss (natural log)."""
    from sklearn.metrics import log_loss, roc_auc_score

    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    y = np.asarray(y)
    auc = float(roc_auc_score(y, p)) if len(set(y.tolist())) > 1 else float("nan")
    return {
        "auc": auc,
        "rmse": float(np.sqrt(np.mean((y - p) ** 2))),
        "logloss": float(log_loss(y, p, labels=[0, 1])),
    }
