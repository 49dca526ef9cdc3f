"""``teachback bench learner-model --train TSV --test TSV``: success prediction, unseen learners.

Reads tab-separated logs with columns ``user_id, item_id, timestamp, correct, skill_id`` (rows
of one user in time order; equal time stamps keep file order). Test users are unseen: every
model predicts each test attempt from that user's *earlier* test attempts only, before seeing it.

Models: global mean, skill mean, plain BKT (EM per skill, no forgetting), PFA (skill one-hots and
per-skill right/wrong counts), Elo-style ability against item difficulty, and ours ("best-LR":
``teachback.tutor.predict.SuccessModel``). The regularisation strength C of ours is chosen on a
20 % hold-out of the *training* users (never on the test file), then the model is refitted on
all training users. The last line is a JSON object with our model's figures.
"""

from __future__ import annotations

import csv
import math
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import click
import numpy as np

from teachback.benchmarks.report import emit, machine
from teachback.errors import TeachbackError
from teachback.tutor import bkt
from teachback.tutor.features import FeatureState
from teachback.tutor.predict import Record, SuccessModel, group_by_user, metrics, online_bkt

COLUMNS = ("user_id", "item_id", "timestamp", "correct", "skill_id")
C_GRID = (0.3, 1.0, 3.0)


class LogFormatError(TeachbackError):
    """A learner log that is not the expected TSV."""


def _timestamp(value: str | None) -> float:
    """Seconds: a number as is, or an ISO-8601 date/time (``2009-09-18 10:01:02``)."""
    value = (value or "").strip()
    if not value:
        return 0.0
    try:
        return float(value)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as err:
        raise ValueError(f"timestamp {value!r} is neither a number nor an ISO date") from err
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def load_log(path: str | Path) -> list[Record]:
    """Read a TSV log; a bad row raises one line naming the file, the line and the problem."""
    path = Path(path)
    if not path.exists():
        raise LogFormatError(f"{path}: no such file")
    out = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise LogFormatError(f"{path}: missing column(s) {', '.join(missing)}")
        for lineno, row in enumerate(reader, start=2):
            try:
                correct = int(float(row["correct"]))
                if correct not in (0, 1):
                    raise ValueError("correct must be 0 or 1")
                ts = _timestamp(row["timestamp"])
            except (TypeError, ValueError) as err:
                raise LogFormatError(f"{path}:{lineno}: {err}") from err
            out.append(Record(row["user_id"], row["item_id"], row["skill_id"], correct, ts))
    if not out:
        raise LogFormatError(f"{path}: no rows")
    return out


def split_users(records: list[Record], share: float, seed: int):
    users = sorted({r.user for r in records})
    rng = np.random.default_rng(seed)
    held = set(rng.choice(users, max(1, int(len(users) * share)), replace=False).tolist())
    return [r for r in records if r.user not in held], [r for r in records if r.user in held]


def _ordered(records):
    return [r for recs in group_by_user(records).values() for r in recs]


def baseline_means(train, test):
    mu = float(np.mean([r.correct for r in train]))
    sk_n, sk_c = defaultdict(int), defaultdict(int)
    for r in train:
        sk_n[r.skill] += 1
        sk_c[r.skill] += r.correct
    ordered = _ordered(test)
    y = np.array([r.correct for r in ordered])
    p_global = np.full(len(y), mu)
    p_skill = np.array([(sk_c[r.skill] + 10 * mu) / (sk_n[r.skill] + 10) for r in ordered])
    return y, p_global, p_skill


def baseline_elo(train, test):
    mu = float(np.mean([r.correct for r in train]))
    n, c = defaultdict(int), defaultdict(int)
    for r in train:
        n[r.item] += 1
        c[r.item] += r.correct
    diff = {i: -math.log((c[i] + 5 * mu) / (n[i] - c[i] + 5 * (1 - mu))) for i in n}
    default_b = -math.log(mu / (1 - mu))
    ys, ps = [], []
    for recs in group_by_user(test).values():
        state = FeatureState(item_difficulty=diff)
        for r in recs:
            b = diff.get(r.item, default_b)
            ps.append(1 / (1 + math.exp(-(state.elo - b))))
            ys.append(r.correct)
            state.observe(r.item, r.skill, r.correct, r.t)
    return np.array(ys), np.array(ps)


@click.command()
@click.option("--train", "train_path", required=True, type=click.Path(), help="training TSV")
@click.option("--test", "test_path", required=True, type=click.Path(), help="held-out TSV")
@click.option("--seed", default=0, show_default=True, help="seed of the train hold-out split")
@click.option(
    "--select/--no-select",
    default=True,
    show_default=True,
    help="choose C on a hold-out of training users (else C=1)",
)
def command(train_path, test_path, seed, select):
    """Success prediction: AUC, RMSE, log loss on unseen test learners.

    Example: teachback bench learner-model --train statics_train.tsv --test statics_test.tsv
    """
    train = load_log(train_path)
    test = load_log(test_path)
    click.echo(
        f"train: {len(train)} attempts by {len({r.user for r in train})} learners; "
        f"test: {len(test)} attempts by {len({r.user for r in test})} learners"
    )
    rows: dict[str, dict] = {}
    y, p_global, p_skill = baseline_means(train, test)
    rows["global mean"] = metrics(y, p_global)
    rows["skill mean"] = metrics(y, p_skill)

    t0 = time.perf_counter()
    plain = bkt.fit_skills(
        ((r.user, r.skill, r.correct) for r in _ordered(train)), min_attempts=1, fit_forget=False
    )
    bkt_fit = time.perf_counter() - t0
    rows["BKT (EM per skill)"] = metrics(*online_bkt(test, plain))
    rows["Elo (ability vs item)"] = metrics(*baseline_elo(train, test))
    pfa = SuccessModel(C=1.0, only=("skill=", "s:")).fit(train)
    rows["PFA"] = metrics(*pfa.predict_online(test))

    chosen = 1.0
    if select:
        fit_part, held = split_users(train, 0.2, seed)
        scores = {}
        for c in C_GRID:
            model = SuccessModel(C=c).fit(fit_part)
            scores[c] = metrics(*model.predict_online(held))["logloss"]
        chosen = min(scores, key=scores.get)
        click.echo(
            "C chosen on a 20% hold-out of training users (log loss): "
            + ", ".join(f"C={c}: {v:.4f}" for c, v in scores.items())
            + f" -> C={chosen}"
        )
    ours = SuccessModel(C=chosen).fit(train)
    t1 = time.perf_counter()
    y_ours, p_ours = ours.predict_online(test)
    predict_seconds = time.perf_counter() - t1
    rows["ours: best-LR + BKT + Elo"] = metrics(y_ours, p_ours)

    click.echo("")
    click.echo(f"{'model':<28} {'AUC':>7} {'RMSE':>7} {'logloss':>8}")
    click.echo("-" * 53)
    for name, m in rows.items():
        click.echo(f"{name:<28} {m['auc']:>7.4f} {m['rmse']:>7.4f} {m['logloss']:>8.4f}")
    click.echo("")
    click.echo(
        f"plain BKT EM fit {bkt_fit:.1f}s; ours fit {ours.fit_seconds:.1f}s on {len(train)} rows "
        f"({len(ours.vocab)} features), online prediction {predict_seconds:.1f}s"
    )
    result = dict(rows["ours: best-LR + BKT + Elo"])
    result.update(
        {
            "fit_seconds": round(ours.fit_seconds, 2),
            "C": chosen,
            "train_rows": len(train),
            "test_rows": len(test),
            "baselines": {
                k: {kk: round(vv, 4) for kk, vv in v.items()}
                for k, v in rows.items()
                if not k.startswith("ours")
            },
            "machine": machine(),
        }
    )
    result["auc"], result["rmse"], result["logloss"] = (
        round(result["auc"], 4),
        round(result["rmse"], 4),
        round(result["logloss"], 4),
    )
    emit(result)
