"""Fit the keyphrase ranker's weights on the TRAIN half of Inspec (hash split by row id).

    .venv/bin/python -m teachback.benchmarks.concepts_train_keyphrases \
        --jsonl ../shared/data/keyphrases/inspec.jsonl

Writes ``ingest/keyphrases/weights.json`` (feature means, scales, logistic-regression
coefficients). A candidate is positive when its stemmed key equals a gold key's. The held-out
half is scored by ``teachback bench keyphrases --split test``. Deterministic (liblinear, no
random state involved).
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import numpy as np

from teachback.benchmarks.keyphrases import load_rows, norm_key
from teachback.ingest.keyphrases.candidates import candidates
from teachback.ingest.keyphrases.features import FEATURES, featurize
from teachback.ingest.keyphrases.ranking import WEIGHTS_PATH


def training_matrix(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    xs: list[list[float]] = []
    ys: list[int] = []
    for row in rows:
        text = row["text"]
        gold = {norm_key(g) for g in row["keyphrases"]}
        found = candidates(text)
        featurize(found, 0, len(text))
        for c in found.values():
            xs.append(c.features)
            ys.append(int(norm_key(c.surface) in gold))
    return np.array(xs, dtype=float), np.array(ys, dtype=int)


@click.command()
@click.option("--jsonl", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", default=str(WEIGHTS_PATH), show_default=True)
@click.option("--c", "c_reg", default=1.0, show_default=True, help="Inverse regularisation.")
def main(jsonl: str, out: str, c_reg: float) -> None:
    from sklearn.linear_model import LogisticRegression

    rows = load_rows(Path(jsonl), split="train")
    x, y = training_matrix(rows)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c_reg, solver="liblinear", max_iter=1000)
    model.fit((x - mean) / scale, y)
    data = {
        "about": "logistic-regression keyphrase ranker fitted on the Inspec train half "
        "(crc32(id) % 2 == 0) by benchmarks/concepts_train_keyphrases.py",
        "features": FEATURES,
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "train_texts": len(rows),
        "train_candidates": int(len(y)),
        "train_positives": int(y.sum()),
    }
    Path(out).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    click.echo(f"fitted on {len(rows)} texts, {len(y)} candidates ({y.sum()} positive) -> {out}")
    for name, w in sorted(zip(FEATURES, data["coef"], strict=True), key=lambda t: -abs(t[1])):
        click.echo(f"  {name:20s} {w:+.3f}")


if __name__ == "__main__":
    main()
