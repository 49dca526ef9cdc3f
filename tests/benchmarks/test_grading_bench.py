"""``teachback bench grading`` on a small slice of the dev file: report, JSON last line, refit."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from teachback.cli import cli

DEV = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "grading" / "short_answers_dev.jsonl"
)


def test_bench_grading_small_slice(tmp_path):
    if not DEV.exists():
        pytest.skip(f"dev file not here: {DEV}")
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    qids = sorted({r["qid"] for r in rows})[:4]
    small = [r for r in rows if r["qid"] in qids][:48]
    src = tmp_path / "slice.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in small) + "oops\n", encoding="utf-8")
    weights = tmp_path / "w.json"
    args = ["bench", "grading", "--jsonl", str(src), "--folds", "2", "--latency-n", "8"]
    result = CliRunner().invoke(cli, [*args, "--refit", "--out", str(weights)])
    assert result.exit_code == 0, result.output
    assert "slice.jsonl:49: not JSON" in result.stderr
    assert "fold 1:" in result.stdout and "fold 2:" in result.stdout
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"pearson_r", "rmse", "p95_ms", "p50_ms", "p95_ms_cold", "fold_r"} <= set(figures)
    assert -1.0 <= figures["pearson_r"] <= 1.0 and figures["rmse"] > 0 and figures["p95_ms"] > 0
    assert figures["answers"] == len(small) and figures["folds"] == 2
    assert set(figures["accepted"]) == {
        "reference",
        "keyword_salad",
        "word_salad",
        "negated",
        "reversed_relation",
        "question",
        "paraphrase",
        "keyword_salad_loose",
        "negated_loose",
        "keyword_list",
        "keyword_list_loose",
        "changed_term",
    }
    n_questions = len({r["qid"] for r in small})
    assert figures["cases"]["reference"] == n_questions == figures["cases"]["question"]
    assert all(0.0 <= v <= 1.0 for v in figures["accepted"].values())
    assert "keyword_salad" in result.stdout and "rated >= 4.5" in result.stdout
    written = json.loads(weights.read_text(encoding="utf-8"))
    assert written["n_rows"] == len(small)
