"""Prerequisite model for new domains: names-only features, names-only training copies, and the
regularisation chosen by leave-one-domain-out."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from teachback.benchmarks import prerequisites as bench
from teachback.ingest.keyphrases.frequency import zipf
from teachback.ingest.prerequisites.scoring import FEATURES, NAMES_ONLY, WEIGHTS_PATH

PAIRS = Path(__file__).resolve().parents[3] / "shared/data/prerequisites/concept_pairs_dev.jsonl"


def test_names_only_keeps_exactly_the_name_features():
    x = np.arange(1, len(FEATURES) + 1, dtype=float)[None, :]
    hidden = bench.names_only(x)
    expected = [v if name in NAMES_ONLY else 0.0 for name, v in zip(FEATURES, x[0], strict=True)]
    assert hidden[0].tolist() == expected
    assert x[0, 1] == 2.0  # the input is not changed in place


def test_a_domain_without_text_is_scored_from_its_names():
    pairs = [
        {"domain": "d", "concept": "Conditional probability", "prereq_candidate": "Probability"},
    ]
    row = bench.pair_features(pairs, {})[0]
    expected = dict.fromkeys(FEATURES, 0.0)
    expected["contains"] = 1.0
    expected["zipf"] = zipf("Probability") - zipf("Conditional probability")
    # "probability" is in both names, "conditional" in one: spread 2 against 1
    expected["generality"] = math.log1p(2) - math.log1p(1)
    assert dict(zip(FEATURES, row.tolist(), strict=True)) == pytest.approx(expected)


def synthetic(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Three domains; the first two have text. Labels follow zipf in all of them, and follow
    generality in two but run against it in the third (a feature that does not transfer)."""
    rng = np.random.default_rng(seed)
    xs, ys, ds = [], [], []
    for d, sign in (("a", 1.0), ("b", 1.0), ("c", -1.0)):
        n = 120
        latent = rng.normal(size=n)
        y = (latent + 0.8 * rng.normal(size=n) > 0).astype(int)
        x = np.zeros((n, len(FEATURES)))
        x[:, FEATURES.index("zipf")] = latent + rng.normal(size=n)
        x[:, FEATURES.index("generality")] = sign * latent + rng.normal(size=n)
        if d != "c":
            x[:, FEATURES.index("order")] = np.sign(latent + 0.5 * rng.normal(size=n))
            x[:, FEATURES.index("both_seen")] = 1.0
        xs.append(x)
        ys.append(y)
        ds += [d] * n
    domains = np.array(ds)
    return np.vstack(xs), np.concatenate(ys), domains, domains != "c"


def test_held_out_domains_and_the_text_domain_with_its_text_hidden():
    x, y, domains, has_text = synthetic()
    held = bench.leave_domain_out(x, y, domains, has_text, 1.0)
    assert set(held) == {"a", "a_names_only", "b", "b_names_only", "c"}
    # "c" reverses generality, which the other two domains teach: it transfers worst.
    assert held["c"] < min(held["a"], held["b"])
    # The text signal (order) learnt on one text domain helps the other; hiding it costs.
    assert held["a"] > held["a_names_only"] > 0.5
    assert held["b"] > held["b_names_only"] > 0.5
    # Fitted on a domain without text, the model cannot use a's text: a is scored from its
    # names, exactly as with its text hidden.
    m = domains != "b"
    alone = bench.leave_domain_out(x[m], y[m], domains[m], has_text[m], 1.0)
    assert alone["a"] == alone["a_names_only"]


def test_c_is_the_best_mean_held_out_domain_auc():
    x, y, domains, has_text = synthetic(1)
    best, table = bench.choose_c(x, y, domains, has_text)
    expected = {}
    for c in bench.C_GRID:
        held = bench.leave_domain_out(x, y, domains, has_text, c)
        expected[c] = round(float(np.mean([held["a"], held["b"], held["c"]])), 4)
    assert table == expected
    assert best == max(bench.C_GRID, key=lambda c: (expected[c], c))


def test_shipped_weights_record_how_c_was_chosen():
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert data["features"] == FEATURES
    table = {float(k): v for k, v in data["c_grid_lodo_auc"].items()}
    assert sorted(table) == sorted(bench.C_GRID)
    assert data["C"] == max(table, key=lambda c: (table[c], c))


@pytest.mark.skipif(not PAIRS.is_file(), reason="shared evaluation data not present")
def test_bench_reports_held_out_domain_figures(tmp_path):
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line]
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        "".join(json.dumps(r) + "\n" for r in rows if r["domain"] == "data_mining"),
        encoding="utf-8",
    )
    sections = tmp_path / "sections.jsonl"
    sections.write_text("", encoding="utf-8")
    result = CliRunner().invoke(
        bench.command, ["--pairs", str(pairs), "--sections", str(sections), "--no-coverage"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    # names only, one domain: no held-out domain to report, the shipped weights still rank
    assert "auc_heldout_domain_data_mining" not in figures
    assert figures["auc"] == figures["auc_data_mining"] > 0.6
    assert "single-feature AUC (data_mining): contains" in result.output
