import numpy as np

from teachback.tutor import bkt


def _simulate(true, learners, length, rng):
    seqs = []
    for _ in range(learners):
        known = rng.random() < true.prior
        seq = []
        for _ in range(length):
            seq.append(int(rng.random() < ((1 - true.slip) if known else true.guess)))
            if not known and rng.random() < true.learn:
                known = True
        seqs.append(seq)
    return seqs


def test_em_recovers_parameters_from_simulated_data():
    true = bkt.BKTParams(prior=0.35, learn=0.25, forget=0.0, guess=0.12, slip=0.08)
    seqs = _simulate(true, 600, 12, np.random.default_rng(3))
    fit = bkt.fit_em(seqs, fit_forget=False)
    assert abs(fit.prior - true.prior) < 0.07
    assert abs(fit.learn - true.learn) < 0.07
    assert abs(fit.guess - true.guess) < 0.05
    assert abs(fit.slip - true.slip) < 0.05


def test_fit_skills_keeps_defaults_for_skills_with_little_data():
    rng = np.random.default_rng(0)
    true = bkt.BKTParams(prior=0.5, learn=0.3, guess=0.1, slip=0.05)
    records = []
    for u, seq in enumerate(_simulate(true, 100, 10, rng)):
        records += [(f"u{u}", "big", x) for x in seq]
    records += [("u0", "small", 1), ("u0", "small", 0)]
    fitted = bkt.fit_skills(records, min_attempts=200)
    assert fitted["small"] == bkt.DEFAULT_PARAMS
    assert fitted["big"] != bkt.DEFAULT_PARAMS
    assert abs(fitted["big"].prior - 0.5) < 0.15
