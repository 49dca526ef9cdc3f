"""Online features for success prediction ("best-LR" family, Gervet et al. 2020).

Every feature of an attempt is computed from the learner's *earlier* attempts only, so the same
code serves training (all learners' logs) and prediction (a new learner's own short history):
``FeatureState.features(item, skill, t)`` is read before ``FeatureState.observe(...)``.

Features (names are the columns of a sparse design matrix):
- ``item=<id>``, ``skill=<id>``: one-hot item difficulty and skill easiness
- ``s:<skill>:c``/``s:<skill>:w``: skill-specific slopes on log(1 + prior correct/wrong) (PFA)
- ``sc``/``sw``/``tc``/``tw``: shared slopes on log counts for this skill and overall
- ``ic``/``iw``: earlier attempts at this very item (retries)
- ``acc``/``sacc``: smoothed running accuracy overall and on this skill (logit), a cheap ability
- ``ewma``/``sewma``: exponentially weighted recent correctness (overall / skill), centred
- ``bkt``: logit of plain BKT's P(correct) for this skill with the fitted per-skill parameters
- ``elo``: an online learner ability from Elo-style updates against item difficulty priors
- ``win<k>``: best-LR time windows (attempts on the skill in the last hour/day/week/month),
  only when time stamps actually vary.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from teachback.tutor import bkt

WINDOWS = (3600.0, 86400.0, 7 * 86400.0, 30 * 86400.0)
PRIOR_ACC = 0.75  # smoothing anchor for running accuracies (about the population mean)
SMOOTH = 4.0


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


@dataclass
class FeatureState:
    """One learner's running history, as the predictor sees it."""

    bkt_params: dict[str, bkt.BKTParams] = field(default_factory=dict)
    item_difficulty: dict[str, float] = field(default_factory=dict)  # logit scale, for elo
    default_difficulty: float = 0.0  # for items never seen in training (an average item)
    use_time: bool = False
    tc: int = 0
    tw: int = 0
    ewma: float = 0.0
    elo: float = 0.0
    elo_n: int = 0
    sc: dict = field(default_factory=lambda: defaultdict(int))
    sw: dict = field(default_factory=lambda: defaultdict(int))
    sewma: dict = field(default_factory=lambda: defaultdict(float))
    ic: dict = field(default_factory=lambda: defaultdict(int))
    iw: dict = field(default_factory=lambda: defaultdict(int))
    pk: dict = field(default_factory=dict)
    times: dict = field(default_factory=lambda: defaultdict(list))

    def features(self, item: str, skill: str, t: float = 0.0) -> dict[str, float]:
        sc, sw = self.sc[skill], self.sw[skill]
        params = bkt.params_for(skill, self.bkt_params)
        p_known = self.pk.get(skill, params.prior)
        acc = (self.tc + SMOOTH * PRIOR_ACC) / (self.tc + self.tw + SMOOTH)
        sacc = (sc + SMOOTH * acc) / (sc + sw + SMOOTH)
        f = {
            f"item={item}": 1.0,
            f"skill={skill}": 1.0,
            f"s:{skill}:c": math.log1p(sc),
            f"s:{skill}:w": math.log1p(sw),
            "sc": math.log1p(sc),
            "sw": math.log1p(sw),
            "tc": math.log1p(self.tc),
            "tw": math.log1p(self.tw),
            "ic": math.log1p(self.ic[item]),
            "iw": math.log1p(self.iw[item]),
            "acc": _logit(acc),
            "sacc": _logit(sacc),
            "ewma": self.ewma,
            "sewma": self.sewma[skill],
            "bkt": _logit(bkt.p_correct(p_known, params)),
            "elo": self.elo,
        }
        if self.use_time:
            past = self.times[skill]  # ascending: attempts arrive in time order
            for k, w in enumerate(WINDOWS):
                f[f"win{k}"] = math.log1p(len(past) - bisect_left(past, t - w))
        return f

    def observe(self, item: str, skill: str, correct: int, t: float = 0.0) -> None:
        correct = int(correct)
        if correct:
            self.tc += 1
            self.sc[skill] += 1
            self.ic[item] += 1
        else:
            self.tw += 1
            self.sw[skill] += 1
            self.iw[item] += 1
        y = 1.0 if correct else -1.0
        self.ewma = 0.8 * self.ewma + 0.2 * y
        self.sewma[skill] = 0.7 * self.sewma[skill] + 0.3 * y
        params = bkt.params_for(skill, self.bkt_params)
        self.pk[skill] = bkt.step(self.pk.get(skill, params.prior), bool(correct), params)
        # Elo: ability moves by the surprise of the answer, with a step that shrinks.
        b = self.item_difficulty.get(item, self.default_difficulty)
        expected = 1.0 / (1.0 + math.exp(-(self.elo - b)))
        self.elo_n += 1
        self.elo += (0.4 / (1 + 0.05 * self.elo_n)) * (correct - expected)
        if self.use_time:
            self.times[skill].append(t)
