"""``teachback bench prerequisites --pairs FILE --sections FILE``: AUC of the prerequisite score.

Pairs are ``{"domain","concept","prereq_candidate","label"}`` lines (label 1: the candidate is
a prerequisite of the concept). Sections are ``{"domain","section","title","text"}`` lines: a
domain with sections gets a Document built from them (heading + prose per section); a domain
without text is scored from its names alone (name containment, general-English frequency from
wordfreq, name length) — the text features are then 0 for every pair, as for two concepts that
never appear in a text.

The score is ``teachback.ingest.prerequisites.score`` (shipped weights). Also reported:
grouped 5-fold cross-validation by concept (all pairs of a concept in one fold, since the pairs
were expanded by transitive closure) of the same logistic regression, the AUC of each single
feature, and the textbook key-term coverage of concept extraction (see
``benchmarks/concepts_textbook.py``). ``--fit`` refits the shipped weights on all pairs given.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

import click
import numpy as np

from teachback.benchmarks.concepts_textbook import (
    clean_gold,
    load_sections,
    sections_document,
    textbook_report,
)
from teachback.benchmarks.report import emit, machine
from teachback.ingest.prerequisites import FEATURES, WEIGHTS_PATH, gather, prerequisite_features

SEED = 0


def load_pairs(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if line.strip():
                row = json.loads(line)
                for key in ("concept", "prereq_candidate", "label"):
                    if key not in row:
                        raise click.ClickException(f"{path}:{i + 1}: a pair needs '{key}'")
                rows.append(row)
    return rows


def pair_features(pairs: list[dict], sections: dict[str, list[dict]]) -> np.ndarray:
    """Feature rows for the pairs, domain by domain (one term index per domain)."""
    out = np.zeros((len(pairs), len(FEATURES)))
    by_domain: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(pairs):
        by_domain[row.get("domain", "")].append(i)
    for domain, idx in by_domain.items():
        names: dict[str, int] = {}
        for i in idx:
            for n in (pairs[i]["concept"], pairs[i]["prereq_candidate"]):
                names.setdefault(n, len(names))
        forms = [[clean_gold(n)] for n in names]
        docs = [sections_document(sections[domain], domain)] if sections.get(domain) else []
        stats = gather(forms, docs)
        for i in idx:
            a = names[pairs[i]["prereq_candidate"]]
            b = names[pairs[i]["concept"]]
            out[i] = prerequisite_features(a, b, stats)
    return out


def auc(y: np.ndarray, s: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    if len(set(y.tolist())) < 2:
        return float("nan")
    return float(roc_auc_score(y, s))


def grouped_cv(x: np.ndarray, y: np.ndarray, groups: list[str], folds: int = 5) -> np.ndarray:
    """Out-of-fold scores with all pairs of a concept in the same fold."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    pred = np.zeros(len(y))
    cv = GroupKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in cv.split(x, y, groups):
        model = LogisticRegression(C=1.0, max_iter=1000)
        model.fit(x[train], y[train])
        pred[test] = model.predict_proba(x[test])[:, 1]
    return pred


def fit_weights(x: np.ndarray, y: np.ndarray, n_pairs: int) -> dict:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit(x, y)
    data = {
        "about": "logistic regression over general prerequisite features, fitted on the dev "
        "pairs (geometry with its textbook, data mining names only) by "
        "benchmarks/prerequisites.py --fit",
        "features": FEATURES,
        "coef": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "pairs": n_pairs,
    }
    WEIGHTS_PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return data


@click.command()
@click.option("--pairs", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--sections", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--fit", is_flag=True, help="Refit the shipped weights on these pairs first.")
@click.option("--no-coverage", is_flag=True, help="Skip the textbook key-term coverage.")
def command(pairs: str, sections: str, fit: bool, no_coverage: bool) -> None:
    """AUC of the prerequisite score on labelled concept pairs, per domain and overall.

    Example: teachback bench prerequisites --pairs concept_pairs_dev.jsonl
    --sections textbook_sections_dev.jsonl
    """
    from teachback.ingest import prerequisites as pq

    t0 = time.perf_counter()
    rows = load_pairs(Path(pairs))
    secs = load_sections(Path(sections))
    x = pair_features(rows, secs)
    y = np.array([int(r["label"]) for r in rows])
    domains = np.array([r.get("domain", "") for r in rows])
    if fit:
        data = fit_weights(x, y, len(rows))
        pq.load_weights.cache_clear()
        click.echo(
            f"refitted {WEIGHTS_PATH.name}: "
            + json.dumps(dict(zip(FEATURES, data["coef"], strict=True)))
        )
    scores = np.array([pq.score(list(f)) for f in x])
    cv = grouped_cv(x, y, [f"{r.get('domain')}|{r['concept']}" for r in rows])
    figures: dict = {"benchmark": "prerequisites", "pairs": len(rows), "machine": machine()}
    figures["auc"] = round(auc(y, scores), 4)
    figures["auc_cv"] = round(auc(y, cv), 4)
    click.echo(f"prerequisites: {len(rows)} pairs from {pairs}")
    click.echo(
        f"  overall  AUC {figures['auc']:.4f}  (grouped-CV by concept {figures['auc_cv']:.4f})"
    )
    for d in sorted(set(domains.tolist())):
        m = domains == d
        has_text = bool(secs.get(d))
        a, acv = round(auc(y[m], scores[m]), 4), round(auc(y[m], cv[m]), 4)
        figures[f"auc_{d}"] = a
        figures[f"auc_cv_{d}"] = acv
        click.echo(
            f"  {d:12s} AUC {a:.4f}  (CV {acv:.4f})  pairs {int(m.sum())}, positive "
            f"{int(y[m].sum())}, text: {'yes' if has_text else 'no (names only)'}"
        )
    # Leave one domain out: fit on the other domains, score this one (a held-out domain).
    from sklearn.linear_model import LogisticRegression

    for d in sorted(set(domains.tolist())):
        m = domains == d
        if m.all() or len(set(y[~m].tolist())) < 2:
            continue
        model = LogisticRegression(C=1.0, max_iter=1000).fit(x[~m], y[~m])
        a = round(auc(y[m], model.predict_proba(x[m])[:, 1]), 4)
        figures[f"auc_heldout_domain_{d}"] = a
        click.echo(f"  {d:12s} AUC {a:.4f} when fitted on the other domain(s) only")
    click.echo(
        "  single-feature AUC (overall): "
        + ", ".join(f"{name} {auc(y, x[:, j]):.3f}" for j, name in enumerate(FEATURES))
    )
    if not no_coverage:
        for d, r in textbook_report(Path(pairs), Path(sections)).items():
            click.echo(
                f"  key-term coverage {d}: {r['coverage_findable']:.3f} of the gold terms in the "
                f"text ({r['coverage']:.3f} of all {r['gold']}), "
                f"{r['concepts_per_section']} concepts/section"
            )
            figures[f"coverage_{d}"] = r["coverage_findable"]
    figures["seconds"] = round(time.perf_counter() - t0, 2)
    emit(figures)
