"""``teachback bench prerequisites --pairs FILE --sections FILE``: AUC of the prerequisite score.

Pairs are ``{"domain","concept","prereq_candidate","label"}`` lines (label 1: the candidate is
a prerequisite of the concept). Sections are ``{"domain","section","title","text"}`` lines: a
domain with sections gets a Document built from them (heading + prose per section); a domain
without text is scored from its names alone (``NAMES_ONLY``: name containment, general-English
frequency from wordfreq, generality among the batch's names) — the text features are then 0 for
every pair, as for two concepts that never appear in a text.

The score is ``teachback.ingest.prerequisites.scoring.score`` (shipped weights). Also reported:
grouped 5-fold cross-validation by concept (all pairs of a concept in one fold, since the pairs
were expanded by transitive closure) of the same model, leave-one-domain-out (fitted on the
other domains only: the estimate for a new domain), the AUC of a text domain with its text
hidden (as a names-only domain), the AUC of each single feature per domain, and the textbook
key-term coverage of concept extraction (see ``benchmarks/concepts_textbook.py``).

The model is a logistic regression fitted on the pairs plus a names-only copy of every pair
that has text (so the names features also learn to score a domain that comes without text).
``--fit`` chooses its regularisation ``C`` from ``C_GRID`` by the mean leave-one-domain-out AUC,
then refits the shipped weights on all pairs given.
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
from teachback.ingest.prerequisites.mentions import gather
from teachback.ingest.prerequisites.scoring import (
    FEATURES,
    NAMES_ONLY,
    WEIGHTS_PATH,
    prerequisite_features,
)

SEED = 0
C_GRID = (1.0, 0.3, 0.1, 0.03, 0.01)
TEXT_COLUMNS = [j for j, name in enumerate(FEATURES) if name not in NAMES_ONLY]


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


def names_only(x: np.ndarray) -> np.ndarray:
    """The same pairs as if they had no text: every text feature 0 (``both_seen`` too)."""
    out = x.copy()
    out[:, TEXT_COLUMNS] = 0.0
    return out


def fit_model(x: np.ndarray, y: np.ndarray, has_text: np.ndarray, c: float):
    """Logistic regression on the pairs plus a names-only copy of the pairs that have text."""
    from sklearn.linear_model import LogisticRegression

    xs = np.vstack([x, names_only(x[has_text])])
    ys = np.concatenate([y, y[has_text]])
    return LogisticRegression(C=c, max_iter=2000).fit(xs, ys)


def grouped_cv(
    x: np.ndarray, y: np.ndarray, groups: list[str], has_text: np.ndarray, c: float, folds: int = 5
) -> np.ndarray:
    """Out-of-fold scores with all pairs of a concept in the same fold."""
    from sklearn.model_selection import GroupKFold

    pred = np.zeros(len(y))
    cv = GroupKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in cv.split(x, y, groups):
        model = fit_model(x[train], y[train], has_text[train], c)
        pred[test] = model.predict_proba(x[test])[:, 1]
    return pred


def leave_domain_out(
    x: np.ndarray, y: np.ndarray, domains: np.ndarray, has_text: np.ndarray, c: float
) -> dict[str, float]:
    """AUC of each domain when the model is fitted on the other domains only.

    A domain with text is also scored with its text hidden (key ``<domain>_names_only``).
    """
    out: dict[str, float] = {}
    for d in sorted(set(domains.tolist())):
        m = domains == d
        if m.all() or len(set(y[~m].tolist())) < 2:
            continue
        model = fit_model(x[~m], y[~m], has_text[~m], c)
        out[d] = auc(y[m], model.predict_proba(x[m])[:, 1])
        if has_text[m].any():
            out[f"{d}_names_only"] = auc(y[m], model.predict_proba(names_only(x[m]))[:, 1])
    return out


def choose_c(
    x: np.ndarray, y: np.ndarray, domains: np.ndarray, has_text: np.ndarray
) -> tuple[float, dict[float, float]]:
    """The ``C`` of ``C_GRID`` with the best mean leave-one-domain-out AUC over the domains."""
    table: dict[float, float] = {}
    for c in C_GRID:
        held = leave_domain_out(x, y, domains, has_text, c)
        plain = [v for k, v in held.items() if not k.endswith("_names_only")]
        table[c] = round(float(np.mean(plain)), 4) if plain else float("nan")
    if all(np.isnan(v) for v in table.values()):  # one domain: nothing to choose with
        return 1.0, table
    best = max(C_GRID, key=lambda c: (table[c], c))
    return best, table


def fit_weights(x: np.ndarray, y: np.ndarray, domains: np.ndarray, has_text: np.ndarray) -> dict:
    c, table = choose_c(x, y, domains, has_text)
    model = fit_model(x, y, has_text, c)
    data = {
        "about": "logistic regression over general prerequisite features, fitted by "
        "benchmarks/prerequisites.py --fit on the dev pairs (geometry with its textbook, data "
        "mining names only) plus a names-only copy of the pairs with text; C chosen by the mean "
        "leave-one-domain-out AUC (c_grid_lodo_auc)",
        "features": FEATURES,
        "coef": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "C": c,
        "c_grid_lodo_auc": {str(k): v for k, v in table.items()},
        "pairs": len(y),
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
    from teachback.ingest.prerequisites import scoring as pq

    t0 = time.perf_counter()
    rows = load_pairs(Path(pairs))
    secs = load_sections(Path(sections))
    x = pair_features(rows, secs)
    y = np.array([int(r["label"]) for r in rows])
    domains = np.array([r.get("domain", "") for r in rows])
    has_text = np.array([bool(secs.get(d)) for d in domains.tolist()], dtype=bool)
    if fit:
        data = fit_weights(x, y, domains, has_text)
        pq.load_weights.cache_clear()
        click.echo(
            f"refitted {WEIGHTS_PATH.name} (C={data['C']}, mean held-out-domain AUC by C "
            f"{data['c_grid_lodo_auc']}): "
            + json.dumps(dict(zip(FEATURES, data["coef"], strict=True)))
        )
    c = float(json.loads(WEIGHTS_PATH.read_text(encoding="utf-8")).get("C", 1.0))
    scores = np.array([pq.score(list(f)) for f in x])
    groups = [f"{r.get('domain')}|{r['concept']}" for r in rows]
    cv = grouped_cv(x, y, groups, has_text, c)
    figures: dict = {"benchmark": "prerequisites", "pairs": len(rows), "machine": machine()}
    figures["auc"] = round(auc(y, scores), 4)
    figures["auc_cv"] = round(auc(y, cv), 4)
    figures["C"] = c
    click.echo(f"prerequisites: {len(rows)} pairs from {pairs}")
    click.echo(
        f"  overall  AUC {figures['auc']:.4f}  (grouped-CV by concept {figures['auc_cv']:.4f})"
    )
    names_scores = np.array([pq.score(list(f)) for f in names_only(x)])
    for d in sorted(set(domains.tolist())):
        m = domains == d
        a, acv = round(auc(y[m], scores[m]), 4), round(auc(y[m], cv[m]), 4)
        figures[f"auc_{d}"] = a
        figures[f"auc_cv_{d}"] = acv
        text = "no (names only)"
        if has_text[m].any():
            figures[f"auc_names_only_{d}"] = round(auc(y[m], names_scores[m]), 4)
            text = f"yes (names only: AUC {figures[f'auc_names_only_{d}']:.4f})"
        click.echo(
            f"  {d:12s} AUC {a:.4f}  (CV {acv:.4f})  pairs {int(m.sum())}, positive "
            f"{int(y[m].sum())}, text: {text}"
        )
    # Leave one domain out: fit on the other domains, score this one (a held-out domain).
    for key, value in leave_domain_out(x, y, domains, has_text, c).items():
        figures[f"auc_heldout_domain_{key}"] = round(value, 4)
        click.echo(f"  {key:12s} AUC {value:.4f} when fitted on the other domain(s) only")
    for d in sorted(set(domains.tolist())):
        m = domains == d
        click.echo(
            f"  single-feature AUC ({d}): "
            + ", ".join(f"{name} {auc(y[m], x[m, j]):.3f}" for j, name in enumerate(FEATURES))
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
