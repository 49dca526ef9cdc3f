"""Bayesian Knowledge Tracing: P(known) per learner and concept, with EM fitting per skill.

The model (Corbett & Anderson 1995, plus a forget rate): a concept is either known or not.
- ``prior``  P(known) before any practice
- ``learn``  P(unknown -> known) after a practice opportunity
- ``forget`` P(known -> unknown) after a practice opportunity (0 in classic BKT)
- ``guess``  P(correct | unknown)
- ``slip``   P(wrong | known)

One update (``step``), worked example with the defaults below and p = 0.2, a correct answer:
    posterior = p(1-slip) / (p(1-slip) + (1-p)guess) = 0.18 / (0.18 + 0.16) = 0.529
    next p    = posterior (1-forget) + (1-posterior) learn = 0.529 + 0.471 * 0.15 = 0.600

``fit_em`` runs Baum-Welch over many learners' answer sequences for one skill, vectorised over
sequences with numpy (pyBKT does not install cleanly here). Guess and slip are capped at 0.3 and
lightly regularised towards the defaults, the usual guard against the "known means wrong"
degenerate solution. Not handled: partial credit (score) — an answer is correct or not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

MASTERY_THRESHOLD = 0.95
MIN_ATTEMPTS_TO_FIT = 200  # attempts on a skill before EM replaces the defaults
MAX_GUESS = 0.3
MAX_SLIP = 0.3


@dataclass(frozen=True)
class BKTParams:
    prior: float = 0.2
    learn: float = 0.15
    forget: float = 0.0
    guess: float = 0.2
    slip: float = 0.1

    def as_dict(self) -> dict:
        return asdict(self)


DEFAULT_PARAMS = BKTParams()


def p_correct(p_known: float, params: BKTParams = DEFAULT_PARAMS) -> float:
    """Probability of a correct answer given P(known)."""
    return p_known * (1.0 - params.slip) + (1.0 - p_known) * params.guess


def posterior(p_known: float, correct: bool, params: BKTParams = DEFAULT_PARAMS) -> float:
    """P(known | this answer), before the learning transition."""
    if correct:
        num = p_known * (1.0 - params.slip)
        den = num + (1.0 - p_known) * params.guess
    else:
        num = p_known * params.slip
        den = num + (1.0 - p_known) * (1.0 - params.guess)
    return num / den if den > 0 else p_known


def transition(p_known: float, params: BKTParams = DEFAULT_PARAMS) -> float:
    """P(known) after a practice opportunity: learn if unknown, forget if known."""
    return p_known * (1.0 - params.forget) + (1.0 - p_known) * params.learn


def step(p_known: float, correct: bool, params: BKTParams = DEFAULT_PARAMS) -> float:
    """Observe one answer, then apply the learning transition."""
    return transition(posterior(p_known, correct, params), params)


def answers_to_master(
    threshold: float = MASTERY_THRESHOLD, params: BKTParams = DEFAULT_PARAMS, limit: int = 50
) -> int:
    """Right answers in a row that take P(known) from the prior to ``threshold``:
    ``answers_to_master(0.95) -> 3`` with the defaults (0.2, 0.6, 0.89, 0.98)."""
    p, n = params.prior, 0
    while p < threshold and n < limit:
        p, n = step(p, True, params), n + 1
    return n


def trace(answers: Sequence[bool], params: BKTParams = DEFAULT_PARAMS) -> list[float]:
    """P(known) *before* each answer, e.g. ``trace([1, 1]) -> [0.2, 0.6]`` with the defaults."""
    p = params.prior
    out = []
    for a in answers:
        out.append(p)
        p = step(p, bool(a), params)
    return out


DIFFICULTY_SLOPE = 0.5


def for_difficulty(params: BKTParams, difficulty: float, slope: float = DIFFICULTY_SLOPE):
    """Guess and slip for an exercise of ``difficulty`` (logit units, 0 = average).

    Item-difficulty-aware BKT (in the spirit of KT-IDEM): a right answer to an easy exercise is
    weaker evidence (higher guess), a wrong answer to a hard one is weaker evidence (higher slip).
    ``logit(guess') = logit(guess) - slope*difficulty``, ``logit(slip') = logit(slip) +
    slope*difficulty``.
    """
    if not difficulty:
        return params

    def shift(p: float, by: float) -> float:
        p = min(max(p, 1e-4), 1 - 1e-4)
        x = np.log(p / (1 - p)) + by
        return float(1.0 / (1.0 + np.exp(-x)))

    return BKTParams(
        prior=params.prior,
        learn=params.learn,
        forget=params.forget,
        guess=shift(params.guess, -slope * difficulty),
        slip=shift(params.slip, slope * difficulty),
    )


def is_mastered(p_known: float, threshold: float = MASTERY_THRESHOLD) -> bool:
    return p_known >= threshold


# --------------------------------------------------------------------------- EM fitting


def _pad(sequences: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.array([len(s) for s in sequences])
    n, t_max = len(sequences), int(lengths.max())
    obs = np.zeros((t_max, n), dtype=np.int8)
    mask = np.zeros((t_max, n), dtype=bool)
    for j, seq in enumerate(sequences):
        obs[: len(seq), j] = np.asarray(seq, dtype=np.int8)
        mask[: len(seq), j] = True
    return obs, mask


def fit_em(
    sequences: Sequence[Sequence[int]],
    init: BKTParams = DEFAULT_PARAMS,
    *,
    fit_forget: bool = True,
    max_iter: int = 60,
    tol: float = 1e-4,
    pseudo: float = 2.0,
) -> BKTParams:
    """Fit BKT parameters to answer sequences (one per learner, 0/1, in time order) by EM.

    ``pseudo`` adds that many pseudo-observations at ``init``'s values to each rate (a weak
    Beta prior) so a skill with little data stays near the defaults.
    """
    sequences = [s for s in sequences if len(s) > 0]
    if not sequences:
        return init
    obs, mask = _pad(sequences)
    t_max, n = obs.shape
    prior, learn, forget = init.prior, init.learn, init.forget if fit_forget else 0.0
    guess, slip = init.guess, init.slip
    last_ll = -np.inf
    for _ in range(max_iter):
        a = np.array([[1 - learn, learn], [forget, 1 - forget]])
        # emission[t, j, state] for the observed answer; 1 for padding.
        e_correct = np.array([guess, 1 - slip])
        emis = np.where(obs[..., None] == 1, e_correct, 1 - e_correct)
        emis[~mask] = 1.0
        alpha = np.empty((t_max, n, 2))
        scale = np.empty((t_max, n))
        cur = np.array([1 - prior, prior]) * emis[0]
        for t in range(t_max):
            if t > 0:
                cur = (alpha[t - 1] @ a) * emis[t]
            s = cur.sum(axis=1)
            scale[t] = s
            alpha[t] = cur / s[:, None]
        beta = np.ones((t_max, n, 2))
        for t in range(t_max - 2, -1, -1):
            beta[t] = ((emis[t + 1] * beta[t + 1]) @ a.T) / scale[t + 1][:, None]
        gamma = alpha * beta
        gamma /= gamma.sum(axis=2, keepdims=True)
        # xi[t, j, i, k]: state i at t and k at t+1, only where t+1 is a real answer.
        xi = (
            alpha[:-1, :, :, None]
            * a[None, None]
            * (emis[1:] * beta[1:])[:, :, None, :]
            / scale[1:][:, :, None, None]
        )
        xi *= mask[1:][:, :, None, None]
        g_valid = gamma * mask[..., None]
        g_trans = gamma[:-1] * mask[1:][..., None]
        ll = np.log(scale[mask]).sum()
        # M step with pseudo-counts at the initial values.
        prior = (gamma[0, :, 1].sum() + pseudo * init.prior) / (n + pseudo)
        learn = (xi[..., 0, 1].sum() + pseudo * init.learn) / (g_trans[..., 0].sum() + pseudo)
        if fit_forget:
            forget = (xi[..., 1, 0].sum() + pseudo * max(init.forget, 0.01)) / (
                g_trans[..., 1].sum() + pseudo
            )
        correct = (obs == 1) & mask
        guess = ((g_valid[..., 0] * correct).sum() + pseudo * init.guess) / (
            g_valid[..., 0].sum() + pseudo
        )
        slip = ((g_valid[..., 1] * (~correct & mask)).sum() + pseudo * init.slip) / (
            g_valid[..., 1].sum() + pseudo
        )
        prior = float(np.clip(prior, 0.001, 0.999))
        learn = float(np.clip(learn, 0.001, 0.999))
        forget = float(np.clip(forget, 0.0, 0.5))
        guess = float(np.clip(guess, 0.001, MAX_GUESS))
        slip = float(np.clip(slip, 0.001, MAX_SLIP))
        if abs(ll - last_ll) < tol * max(1.0, abs(ll)):
            break
        last_ll = ll
    return BKTParams(prior=prior, learn=learn, forget=forget, guess=guess, slip=slip)


def sequences_by_skill(
    records: Iterable[tuple[str, str, int]],
) -> dict[str, list[list[int]]]:
    """Group ``(learner, skill, correct)`` records (in time order) into per-skill sequences."""
    seqs: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for learner, skill, correct in records:
        seqs[skill][learner].append(int(correct))
    return {skill: list(by_learner.values()) for skill, by_learner in seqs.items()}


def fit_skills(
    records: Iterable[tuple[str, str, int]],
    *,
    init: BKTParams = DEFAULT_PARAMS,
    min_attempts: int = MIN_ATTEMPTS_TO_FIT,
    fit_forget: bool = True,
) -> dict[str, BKTParams]:
    """EM per skill for skills with at least ``min_attempts`` attempts; others keep ``init``.

    Skills missing from the result should use ``init`` (see ``params_for``).
    """
    fitted = {}
    for skill, seqs in sequences_by_skill(records).items():
        if sum(len(s) for s in seqs) >= min_attempts:
            fitted[skill] = fit_em(seqs, init, fit_forget=fit_forget)
        else:
            fitted[skill] = init
    return fitted


def params_for(
    skill: str, fitted: dict[str, BKTParams] | None, default: BKTParams = DEFAULT_PARAMS
) -> BKTParams:
    if fitted and skill in fitted:
        return fitted[skill]
    return default
