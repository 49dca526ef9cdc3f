"""``teachback bench keyphrases --jsonl FILE``: keyphrase F1@5 / F1@10 on Inspec-format lines.

Each line is ``{"text": ..., "keyphrases": [...]}``. A predicted phrase matches a gold one when
both are equal after lower-casing and Porter-stemming each whitespace-separated word. Per text:
precision = matches / number predicted (at most k), recall = matches / distinct gold keys;
F1 per text, then the mean over texts (macro average).

The extractor is ``teachback.ingest.keyphrases.extract_keyphrases`` — the same candidates,
features and ranker that concept extraction uses. YAKE (n=3) is scored alongside unless
``--no-yake``. ``--split test`` scores only the half of the rows the ranker was not fitted on.
"""

from __future__ import annotations

import json
import time
import zlib
from pathlib import Path

import click

from teachback.benchmarks.report import emit, machine
from teachback.core.text import fold
from teachback.ingest.textutil import stem


def norm_key(phrase: str) -> str:
    """Lower-case, Porter-stem each word: "Neural Networks" -> "neural network"."""
    return " ".join(stem(w) for w in fold(phrase).lower().split())


def prf_at_k(predicted: list[str], gold: list[str], k: int) -> tuple[float, float, float]:
    """(precision, recall, F1) of the first ``k`` predictions against the gold keys.

    Duplicate predictions (same key) count once.

    >>> prf_at_k(["Neural networks", "cats", "neural network"], ["neural network", "dogs"], 2)
    (0.5, 0.5, 0.5)
    """
    gold_keys = {norm_key(g) for g in gold if g.strip()}
    pred_keys: list[str] = []
    for p in predicted:
        key = norm_key(p)
        if key and key not in pred_keys:
            pred_keys.append(key)
    pred_keys = pred_keys[:k]
    if not pred_keys or not gold_keys:
        return 0.0, 0.0, 0.0
    hits = sum(1 for p in pred_keys if p in gold_keys)
    precision = hits / len(pred_keys)
    recall = hits / len(gold_keys)
    f1 = 0.0 if hits == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def split_of(row_id: str) -> str:
    """The fixed train/test split used to fit the ranker: a CRC32 hash of the row id."""
    return "train" if zlib.crc32(str(row_id).encode()) % 2 == 0 else "test"


def load_rows(path: Path, limit: int | None = None, split: str = "all") -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if not line.strip():
                continue
            row = json.loads(line)
            if "text" not in row or "keyphrases" not in row:
                raise click.ClickException(f"{path}:{i + 1}: a row needs 'text' and 'keyphrases'")
            if split != "all" and split_of(row.get("id", i)) != split:
                continue
            rows.append(row)
            if limit and len(rows) >= limit:
                break
    return rows


def _yake_extractor():
    import yake

    kw = yake.KeywordExtractor(lan="en", n=3, top=10)
    return lambda text: [k for k, _ in kw.extract_keywords(fold(text))]


def evaluate(rows: list[dict], extract) -> dict:
    sums = {"p@5": 0.0, "r@5": 0.0, "f1@5": 0.0, "p@10": 0.0, "r@10": 0.0, "f1@10": 0.0}
    for row in rows:
        pred = extract(row["text"])
        for k in (5, 10):
            p, r, f = prf_at_k(pred, row["keyphrases"], k)
            sums[f"p@{k}"] += p
            sums[f"r@{k}"] += r
            sums[f"f1@{k}"] += f
    n = max(1, len(rows))
    return {k: round(v / n, 4) for k, v in sums.items()}


@click.command()
@click.option("--jsonl", "jsonl", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=int, default=None, help="Score only the first N rows.")
@click.option(
    "--split",
    type=click.Choice(["all", "train", "test"]),
    default="all",
    show_default=True,
    help="Rows by the fixed hash split the shipped ranker was fitted on ('test' = held out).",
)
@click.option("--no-yake", is_flag=True, help="Skip the YAKE baseline.")
def command(jsonl: str, limit: int | None, split: str, no_yake: bool) -> None:
    """Keyphrase F1@5/F1@10 of the concept extractor's ranker on Inspec-format JSONL.

    Example: teachback bench keyphrases --jsonl ../shared/data/keyphrases/inspec.jsonl
    """
    from teachback.ingest.keyphrases.ranking import extract_keyphrases

    rows = load_rows(Path(jsonl), limit, split)
    click.echo(f"keyphrases: {len(rows)} texts from {jsonl} (split={split})")
    t0 = time.perf_counter()
    ours = evaluate(rows, lambda t: extract_keyphrases(t, 10))
    secs = time.perf_counter() - t0
    click.echo(
        f"  teachback  F1@5 {ours['f1@5']:.4f}  F1@10 {ours['f1@10']:.4f}  "
        f"(P@10 {ours['p@10']:.3f}, R@10 {ours['r@10']:.3f})  {secs:.1f} s"
    )
    figures = {
        "benchmark": "keyphrases",
        "texts": len(rows),
        "split": split,
        "f1@5": ours["f1@5"],
        "f1@10": ours["f1@10"],
        "seconds": round(secs, 2),
        "machine": machine(),
    }
    if not no_yake:
        t0 = time.perf_counter()
        base = evaluate(rows, _yake_extractor())
        click.echo(
            f"  yake n=3   F1@5 {base['f1@5']:.4f}  F1@10 {base['f1@10']:.4f}  "
            f"(P@10 {base['p@10']:.3f}, R@10 {base['r@10']:.3f})  "
            f"{time.perf_counter() - t0:.1f} s"
        )
        figures["yake_f1@5"] = base["f1@5"]
        figures["yake_f1@10"] = base["f1@10"]
    emit(figures)
