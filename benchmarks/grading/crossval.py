"""Cross-validation by question: fit the free-text model on the other folds' questions, score
this fold's answers (and the gaming answers built from its questions) through the full grader."""

from __future__ import annotations

import numpy as np

from teachback.benchmarks.grading.data import adversarial_cases, paraphrase_mask
from teachback.benchmarks.grading.verdicts import adversarial_acceptance, verdict_agreement


def _pearson(a, b) -> float:
    from scipy.stats import pearsonr

    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(pearsonr(a, b)[0])


class _Features:
    """Feature dicts by (question, reference, answer), computed once per benchmark run."""

    def __init__(self):
        self.memo: dict[tuple, dict] = {}

    def __call__(self, rows: list[dict], on_progress=None) -> list[dict]:
        from teachback.tutor.grading.features import extract

        out = []
        for r in rows:
            key = (r["question"], r["reference"], r["student_answer"])
            if key not in self.memo:
                self.memo[key] = extract(*key)
            out.append(self.memo[key])
            if on_progress:
                on_progress()
        return out


def cross_validate(rows: list[dict], folds: int, on_fold=None) -> dict:
    """Fit on the other folds' questions, score this fold's answers through the full grader."""
    from sklearn.model_selection import GroupKFold
    from tqdm import tqdm

    from teachback.tutor.grading import model as model_mod
    from teachback.tutor.grading.features import FEATURES, vector
    from teachback.tutor.grading.freetext import score_free_text

    groups = np.array([r["qid"] for r in rows])
    folds = max(2, min(folds, len(set(groups))))
    y = np.array([float(r["score_avg_0_5"]) for r in rows])
    features = _Features()
    bar = tqdm(total=len(rows), desc="features", unit="answer", leave=False, disable=None)
    x = np.array([vector(f) for f in features(rows, on_progress=lambda: bar.update(1))])
    bar.close()
    cases = adversarial_cases(rows)
    case_qids = np.array([c["qid"] for c in cases])
    score, raw = np.zeros(len(rows)), np.zeros(len(rows))
    case_score = np.zeros(len(cases))
    per_fold = []
    for k, (train, test) in enumerate(GroupKFold(n_splits=folds).split(x, y, groups)):
        train_rows = model_mod.training_rows([rows[i] for i in train])
        fitted = model_mod.FreeTextModel(model_mod.fit_rows(train_rows, features(train_rows)))
        for i in test:
            r = rows[i]
            res = score_free_text(r["question"], r["reference"], r["student_answer"], None, fitted)
            score[i], raw[i] = res.score, res.raw
        held_out = set(groups[test])
        for j in np.flatnonzero(np.isin(case_qids, list(held_out))):
            c = cases[j]
            res = score_free_text(c["question"], c["reference"], c["student_answer"], None, fitted)
            case_score[j] = res.score
        fold = {
            "fold": k + 1,
            "questions": len(held_out),
            "answers": len(test),
            "pearson_r": _pearson(score[test], y[test]),
            "pearson_r_raw": _pearson(raw[test], y[test]),
        }
        per_fold.append(fold)
        if on_fold:
            on_fold(fold)
    col = {name: x[:, i] for i, name in enumerate(FEATURES)}
    return {
        "verdicts": verdict_agreement(score, y),
        "adversarial": adversarial_acceptance(cases, case_score, score[paraphrase_mask(rows)]),
        "score": score,
        "raw": raw,
        "folds": per_fold,
        "pearson_r": _pearson(score, y),
        "pearson_r_raw": _pearson(raw, y),
        "rmse": float(np.sqrt(np.mean((raw - y) ** 2))),
        "rmse_score_x5": float(np.sqrt(np.mean((score * 5 - y) ** 2))),
        "baseline_overlap_f1_r": _pearson(col["overlap_f1"], y),
        "baseline_cosine_r": _pearson(col["cos_ref"], y),
        "features": features,
        "x": x,
        "y": y,
    }
